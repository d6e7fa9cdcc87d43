//go:build unix

package results

import "golang.org/x/sys/unix"

// canWrite asks the kernel whether this process may write the file,
// without opening it: opening some devices has effects of its own, and
// opening a FIFO waits for a reader.
func canWrite(path string) error { return unix.Access(path, unix.W_OK) }
