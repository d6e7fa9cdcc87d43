package fileinput

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Kinds of file a caller accepts.
const (
	Regular = iota // regular files only
	Streams        // regular files and pipes (process substitution, /dev/stdin from a pipe)
)

var errNoName = errors.New("no file name given")

// Read returns the content of the file at path, which must be of a kind
// accepted and hold at most limit bytes.
func Read(path string, limit int64, kinds int) ([]byte, error) {
	if path == "" {
		return nil, errNoName // os.Stat's "stat : no such file or directory" names nothing
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	mode := info.Mode()
	switch {
	case mode.IsRegular():
		if info.Size() > limit {
			return nil, tooLarge(path, limit)
		}
	case mode&fs.ModeNamedPipe != 0 && kinds == Streams:
	default:
		return nil, fmt.Errorf("%s is %s; only %s can be read", path, describe(mode), accepted(kinds))
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(f, path, limit, info.Size())
}

// ReadAll reads r (standard input, say) to its end; name says what it is in
// errors. More than limit bytes is an error.
func ReadAll(r io.Reader, name string, limit int64) ([]byte, error) {
	return readAll(r, name, limit, 0)
}

// readAll reads to the end, allocating once when sizeHint is right (as
// os.ReadFile does): a 1 GB payload must not pass through a buffer that
// doubles to 2 GB on its last read.
func readAll(r io.Reader, name string, limit, sizeHint int64) ([]byte, error) {
	buf := make([]byte, 0, min(max(sizeHint, 0), limit)+512)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, tooLarge(name, limit)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
}

// ErrTooLarge is wrapped by errors about files over their limit.
var ErrTooLarge = errors.New("file too large")

func tooLarge(name string, limit int64) error {
	return fmt.Errorf("%s is larger than %s, the most Surge reads from it: %w", name, Size(limit), ErrTooLarge)
}

func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a regular file"
}

func accepted(kinds int) string {
	if kinds == Streams {
		return "regular files and pipes"
	}
	return "regular files"
}

// Size prints a byte count in binary units, as limits are written in the
// documentation ("64 MiB").
func Size(n int64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for n >= 1024 && n%1024 == 0 && i < len(units)-1 {
		n /= 1024
		i++
	}
	return fmt.Sprintf("%d %s", n, units[i])
}
