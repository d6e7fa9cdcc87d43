package results

import (
	"fmt"
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
	if kernelPath(path) {
		return openStream(path, path, os.O_WRONLY|os.O_APPEND)
	}
	dest, info, err := resolveLinks(path)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", path, explain(path, err))
	}
	switch {
	case info == nil:
		return openStream(path, dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
	case info.Mode().IsRegular():
		return openStream(path, dest, os.O_WRONLY|os.O_TRUNC)
	case isSpecial(info.Mode()):
		return openStream(path, dest, os.O_WRONLY|os.O_APPEND)
	}
	return nil, fmt.Errorf("stream %s: %w", path, notWritable(dest, info))
}

func openStream(path, dest string, flag int) (*os.File, error) {
	f, err := os.OpenFile(dest, flag, 0o644)
	if err != nil {
		return nil, fmt.Errorf("stream %s: %w", path, err)
	}
	return f, nil
}
