//go:build !unix

package h1

import "net"

// useRaw leaves every connection on the generic path, the one a
// connection that is not a socket (a Transport.Dial's wrapper) takes on
// Unix: reads go through net.Conn into a read buffer the connection keeps
// for its life, idle connections are reused without a peek, and no write
// is watched for an early response.
//
// readOnce's trick does not carry over to Windows. It asks the socket for
// bytes with a read that returns EAGAIN when there are none, inside
// RawConn.Read, and lets Go's poller wait for readability. Go opens
// Windows sockets for overlapped I/O, driven by a completion port, and
// never makes them non-blocking: a ReadFile on the handle would block
// the thread instead of returning, outside the poller's knowledge.
func (c *conn) useRaw(net.Conn) {}
