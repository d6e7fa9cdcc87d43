//go:build unix

package h1

import (
	"io"
	"net"
	"os"
	"syscall"
)

// useRaw lets c read its socket itself when nc is one: the first read of
// a response goes through readOnce, so that a connection waiting for a
// response holds no read buffer, and idle connections can be peeked at
// (idle.go) and large writes watched (early.go). Anything else, a
// connection a Transport.Dial wrapped, is read through nc alone.
func (c *conn) useRaw(nc net.Conn) {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return
	}
	if raw, err := sc.SyscallConn(); err == nil {
		c.raw = raw
		c.prefill = c.readOnce
		c.peek = c.peekIdle
	}
}

// readOnce is prefill: one non-blocking read; false asks raw.Read to wait
// for the socket to become readable and call again.
func (c *conn) readOnce(fd uintptr) bool {
	buf := c.pool.t.prefillBuffer()
	for {
		n, err := syscall.Read(int(fd), *buf)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			c.pool.t.readPools().prefills.Put(buf)
			return false
		case err != nil:
			n, c.preErr = 0, os.NewSyscallError("read", err)
		case n == 0:
			c.preErr = io.EOF
		}
		c.pre, c.preBuf = (*buf)[:n], buf
		return true
	}
}
