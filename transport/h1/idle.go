package h1

import "time"

// An idle connection may have been closed by the server (its keep-alive
// timeout, a restart), or the server may have written on it unasked (an
// "HTTP/1.1 408 Request Timeout" before closing, say). Reused as it is,
// the first fails the next request, which must then not be sent again if
// it may have been processed (retry.go), and the second is read as the
// next request's response: a wrong status counted, and every later
// response on that connection out of step. net/http notices both in the
// read loop it keeps on every idle connection. This client has no
// goroutine per connection, so it looks once, when it takes a connection
// from the pool: a non-blocking peek at the socket, one system call.
//
// That call costs 1.5 to 1.8 µs of CPU on the 2-core VMs Surge is
// measured on (BenchmarkIdlePeek), and made on every reuse it took 9 % off
// the requests per CPU second of `surge quick --users 32` against `surge
// target` (37,500 against 41,300, the means of six interleaved 4 s runs),
// far above the 2 % a safety check may take on the hot path. So a
// connection back in the pool for less than freshIdle is reused without a
// look (42,000 in the same runs: no cost to measure). Under load,
// connections come back and go out again within microseconds and never
// pay; at rates low enough for them to idle longer, the look is cheap in
// CPU per second. What goes unseen is a server that closes or writes on a
// connection within freshIdle of its last response: far below any
// keep-alive timeout in use, so rather a crash or a bug; the retry rules
// then apply, and a request that cannot be sent again fails and is
// counted.
const freshIdle = 5 * time.Millisecond

// idleStates are what a peek found on an idle connection.
type idleState uint8

const (
	idleQuiet     idleState = iota // nothing to read: fit for reuse
	idleClosed                     // end of stream or a socket error
	idleOutOfStep                  // bytes nobody asked for
)

// usable reports whether c, taken from the pool at now, may serve a
// request: no bytes wait in its buffers, and, unless it came back just
// now, none in its socket and no close. A careful request, one that
// cannot be sent again once written (a POST), looks however fresh the
// connection: a server that closes right after a response without saying
// so (a misbehaving one, but they exist) would otherwise cost it an
// error that net/http, whose read loop sees the close at once, avoids;
// such requests are rarely the bulk of a test sent as fast as possible.
func (c *conn) usable(now time.Time, careful bool) bool {
	if c.buffered() {
		return false
	}
	if c.raw == nil || (!careful && now.Sub(c.idleAt) < freshIdle) {
		return true
	}
	return c.quiet()
}

// quiet peeks at the socket: nothing to read, and still open.
func (c *conn) quiet() bool {
	if err := c.raw.Control(c.peek); err != nil {
		return false
	}
	return c.idleState == idleQuiet
}
