package results

import (
	"context"
	"fmt"
	"io/fs"
	"os"
)

// CreateStream opens path for a stream, which is written as the test
// goes and so cannot be replaced atomically at the end as a results file
// is. It never puts something else in place of what is there:
//
//   - a new or regular file is created or truncated and written, as a
//     shell's "> path" would;
//   - a symbolic link is followed and its final target written: the link
//     stays a link;
//   - a device, a FIFO or a path under /dev or /proc is opened to append,
//     never created or truncated (a FIFO waits for its reader);
//   - a directory or a socket is an error.
func CreateStream(path string) (*os.File, error) {
	return OpenStream(context.Background(), path, nil)
}

// OpenStream is CreateStream whose wait for a FIFO's reader ends with an
// error when ctx does (an open(2) blocked on a FIFO cannot be
// interrupted, so the FIFO is opened without blocking until a reader
// comes); waiting, if not nil, is called once when it has to wait.
func OpenStream(ctx context.Context, path string, waiting func()) (*os.File, error) {
	if kernelPath(path) {
		return openStream(ctx, path, path, os.O_WRONLY|os.O_APPEND, waiting)
	}
	dest, info, err := resolveLinks(path)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", path, explain(path, err))
	}
	switch {
	case info == nil:
		return openStream(ctx, path, dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, waiting)
	case info.Mode().IsRegular():
		return openStream(ctx, path, dest, os.O_WRONLY|os.O_TRUNC, waiting)
	case isSpecial(info.Mode()):
		return openStream(ctx, path, dest, os.O_WRONLY|os.O_APPEND, waiting)
	}
	return nil, fmt.Errorf("stream %s: %w", path, notWritable(dest, info))
}

func openStream(ctx context.Context, path, dest string, flag int, waiting func()) (*os.File, error) {
	var f *os.File
	var err error
	if info, serr := os.Stat(dest); serr == nil && info.Mode()&fs.ModeNamedPipe != 0 {
		f, err = openFIFO(ctx, dest, flag, waiting)
	} else {
		f, err = os.OpenFile(dest, flag, 0o644)
	}
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", path, err)
	}
	return f, nil
}
