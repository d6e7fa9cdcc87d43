//go:build unix

package cli

import "syscall"

// openFileLimit is the process's RLIMIT_NOFILE: the soft limit in force
// (Go raises it to the hard limit at start) and the hard limit.
func openFileLimit() (soft, hard uint64, ok bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, 0, false
	}
	return r.Cur, r.Max, true
}
