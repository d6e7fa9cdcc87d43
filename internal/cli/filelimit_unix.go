//go:build unix

package cli

import "syscall"

// openFileLimit is the process's RLIMIT_NOFILE: the soft limit in force
// (Go raises it to the hard limit at start) and the hard limit. Rlimit's
// fields are uint64 on most systems and int64 on FreeBSD and DragonFly,
// whose RLIM_INFINITY is the largest int64: the conversion keeps every
// limit, infinity included.
func openFileLimit() (soft, hard uint64, ok bool) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, 0, false
	}
	return uint64(r.Cur), uint64(r.Max), true
}
