package h1

import (
	"syscall"
	"unsafe"
)

// peekIdle is raw.Control's callback for conn.stale: one recv of a byte
// with MSG_PEEK|MSG_DONTWAIT, which neither blocks nor consumes. A raw
// system call suffices for a call that cannot block, and saves the
// scheduler hand-off of syscall.Syscall6; syscall.Recvfrom would also
// allocate the sender's address.
func (c *conn) peekIdle(fd uintptr) {
	for {
		n, _, errno := syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&c.peekByte)), 1,
			syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
		switch {
		case errno == syscall.EINTR:
			continue
		case errno == syscall.EAGAIN:
			c.idleState = idleQuiet
		case errno != 0:
			c.idleState = idleClosed // reset, or any other socket error
		case n == 0:
			c.idleState = idleClosed // EOF: the server closed it
		default:
			c.idleState = idleOutOfStep
		}
		return
	}
}

// watchable: peekReadable can tell a readable socket (see early.go).
const watchable = true

// peekReadable is raw.Read's callback for the watch on an early response:
// true once the socket has bytes, its end or an error to read, without
// consuming any.
func peekReadable(fd uintptr) bool {
	var b byte
	for {
		_, _, errno := syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b)), 1,
			syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
		if errno != syscall.EINTR {
			return errno != syscall.EAGAIN
		}
	}
}
