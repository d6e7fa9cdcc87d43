package results

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxLinkHops bounds how many symbolic links are followed, as the
// kernel's own limit (40) does for a path.
const maxLinkHops = 40

// WriteAtomic writes data to path so that nothing at path is harmed:
//
//   - a new or regular file is replaced atomically (a temporary file beside
//     it is synced and renamed over it), so readers see the old content or
//     the whole new one; an existing file keeps its permissions;
//   - a symbolic link is followed and its final target written as above:
//     the link itself stays a link;
//   - a device, a FIFO or a path under /dev or /proc (-o /dev/null,
//     -o /dev/stdout, a named pipe) is opened and appended to; renaming
//     over it would replace, for instance, the system's /dev/null with a
//     regular file;
//   - a directory or a socket is an error.
func WriteAtomic(path string, data []byte) error {
	if kernelPath(path) {
		return writeInPlace(path, path, data)
	}
	dest, info, err := resolveLinks(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, explain(path, err))
	}
	switch {
	case info == nil:
		return replaceFile(path, dest, data, 0o644)
	case info.Mode().IsRegular():
		return replaceFile(path, dest, data, info.Mode().Perm())
	case isSpecial(info.Mode()):
		return writeInPlace(path, dest, data)
	}
	return fmt.Errorf("write %s: %w", path, notWritable(dest, info))
}

// CheckWritable reports whether WriteAtomic could write path, without
// changing what is there: a run checks its output paths before the test
// rather than failing after it. For a new or regular file it creates and
// removes a temporary file in the directory (the rename needs that, and
// it is the only check that holds for root, whom permission bits do not
// stop); for a device or FIFO it asks access(2).
func CheckWritable(path string) error {
	if kernelPath(path) {
		if err := canWrite(path); err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		return nil
	}
	dest, info, err := resolveLinks(path)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, explain(path, err))
	}
	switch {
	case info != nil && isSpecial(info.Mode()):
		if err := canWrite(dest); err != nil {
			return fmt.Errorf("cannot write %s: %w", path, err)
		}
		return nil
	case info != nil && !info.Mode().IsRegular():
		return fmt.Errorf("cannot write %s: %w", path, notWritable(dest, info))
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, dirError(dest, err))
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// kernelPath is true for /dev and /proc paths, such as /dev/stdout or
// /dev/fd/3: their links are the kernel's (to "pipe:[123]", or to the file
// the shell opened), so they are written through, appended to, and never
// replaced.
func kernelPath(path string) bool {
	abs, err := filepath.Abs(path)
	return err == nil && (strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/"))
}

// resolveLinks follows symbolic links from path to what they finally name.
// info is nil when that does not exist yet (a new file, or a dangling
// link's target, which is then created).
func resolveLinks(path string) (string, fs.FileInfo, error) {
	p := path
	for range maxLinkHops {
		info, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil, nil
		}
		if err != nil {
			return p, nil, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			return p, info, nil
		}
		target, err := os.Readlink(p)
		if err != nil {
			return p, nil, err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	return p, nil, fmt.Errorf("more than %d symbolic links", maxLinkHops)
}

// isSpecial is true for what must be written in place: devices and FIFOs.
func isSpecial(m fs.FileMode) bool {
	return m&(fs.ModeDevice|fs.ModeCharDevice|fs.ModeNamedPipe) != 0
}

func notWritable(dest string, info fs.FileInfo) error {
	if info.IsDir() {
		return fmt.Errorf("%s is a directory", dest)
	}
	return fmt.Errorf("%s is not a regular file, a device or a FIFO (%v)", dest, info.Mode().Type())
}

// explain replaces "lstat a/b/c: not a directory" with the part of the
// path that is not a directory.
func explain(path string, err error) error {
	if !errors.Is(err, syscall.ENOTDIR) {
		return err
	}
	for dir := filepath.Dir(path); dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		if info, serr := os.Stat(dir); serr == nil && !info.IsDir() {
			return fmt.Errorf("%s is not a directory", dir)
		}
	}
	return err
}

// dirError says why no file can be created beside dest, naming the
// directory rather than the temporary file's made-up name.
func dirError(dest string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot create files in %s: %w", filepath.Dir(dest), pe.Err)
	}
	return err
}

// replaceFile writes a temporary file beside dest, syncs it and renames
// it over dest. path is what the caller named, for errors.
func replaceFile(path, dest string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, dirError(dest, err))
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	err = writeSyncClose(tmp, data)
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dest)
	}
	if err != nil {
		return named(path, err)
	}
	return nil
}

// named is err with path in front, unless err already begins with it:
// the file's own errors read "write /dev/full: no space left on device",
// and "write /dev/full: " before that said it twice.
func named(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == path && strings.HasPrefix(err.Error(), pe.Op+" "+path+":") {
		return err
	}
	return fmt.Errorf("write %s: %w", path, err)
}

func writeSyncClose(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeInPlace writes to a device, a FIFO or a kernel path as ">> path"
// would: opened to append, never created, truncated or replaced, so that
// -o /dev/stdout with standard output sent to a file adds to what is
// there. (Opening a FIFO waits for its reader, as "> fifo" does.)
func writeInPlace(path, dest string, data []byte) error {
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return named(path, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return named(path, err)
	}
	return nil
}
