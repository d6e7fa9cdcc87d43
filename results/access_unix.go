//go:build unix

package results

import (
	"errors"

	"golang.org/x/sys/unix"
)

// canWrite asks the kernel whether this process may write the file,
// without opening it: opening some devices has effects of its own, and
// opening a FIFO waits for a reader. A file of procfs or sysfs (the
// /proc/self/status a typo names) is refused: access(2) lets root write
// it, and the write then fails, after the test.
func canWrite(path string) error {
	if err := unix.Access(path, unix.W_OK); err != nil {
		return err
	}
	var st unix.Statfs_t
	if unix.Statfs(path, &st) != nil {
		return nil
	}
	if isKernelFS(int64(st.Type)) {
		var info unix.Stat_t
		if unix.Stat(path, &info) == nil && info.Mode&unix.S_IFMT == unix.S_IFREG {
			return errors.New("a file of the kernel's (procfs or sysfs), not one that takes results")
		}
	}
	return nil
}

// isKernelFS is true for procfs and sysfs.
func isKernelFS(fsType int64) bool {
	const procMagic, sysfsMagic = 0x9fa0, 0x62656572
	return fsType == procMagic || fsType == sysfsMagic
}
