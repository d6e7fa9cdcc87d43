package h1

import (
	"errors"
	"os"
	"sync"
	"time"
)

// A server may answer before it has read the whole request: a 413 for a
// body too large, a 401 before an upload. RFC 9112 section 9.5 asks a
// client to watch for such a response while it sends the body; net/http
// does, reading on a goroutine of its own while it writes. This client
// writes and then reads on the caller's goroutine, so a server that
// answered and then neither read the rest nor closed would leave it
// blocked in the write until its timeout, counted as ETIMEDOUT where the
// server said 413.
//
// So a request large enough for its write to block has a goroutine wait
// for the response to begin while the caller writes. If it begins first,
// the write is given earlyGrace to end (never past the request's own
// deadline), and then cut by a write deadline: the response is read, and
// the connection closed unless the write ended within the grace (the
// server read the rest). That is net/http's rule too: it keeps the
// connection if the write ends within 50 ms of the response
// (persistConn.wroteRequest).
const (
	// watchAbove is the size of a request watched while it is written:
	// smaller ones fit the socket buffers, and their write cannot block.
	watchAbove = 64 << 10
	earlyGrace = 50 * time.Millisecond
)

// Where a watched write stands: the caller and the watching goroutine
// each move it on from writing, under earlyWatch.mu; the first one wins.
const (
	unwatched uint8 = iota // no write in progress, or it ended
	writing
	answered // the response began first: the grace is running
)

// earlyWatch is a conn's watch for an early response.
type earlyWatch struct {
	mu    sync.Mutex
	state uint8  // under mu
	gen   uint32 // under mu: the watch running; an old watcher may outlive its request
	on    bool   // the caller's own: a watch is running
}

// watchWrite starts the watch for a request of n bytes on the wire (n < 0:
// of unknown length), if it is large enough to need one.
func (c *conn) watchWrite(n int64) {
	if !watchable || c.raw == nil || (n >= 0 && n <= watchAbove) {
		return
	}
	c.early.mu.Lock()
	c.early.gen++
	gen := c.early.gen
	c.early.state = writing
	c.early.mu.Unlock()
	c.early.on = true
	go c.watchResponse(gen, c.until)
}

// watchResponse waits for the response to begin, or the connection to
// fail, and then gives a write still in progress its grace, up to the
// request's deadline (until; zero for none).
func (c *conn) watchResponse(gen uint32, until time.Time) {
	c.raw.Read(peekReadable)
	c.early.mu.Lock()
	defer c.early.mu.Unlock()
	if c.early.gen == gen && c.early.state == writing {
		c.early.state = answered
		grace := time.Now().Add(earlyGrace)
		if !until.IsZero() && until.Before(grace) {
			grace = until
		}
		c.nc.SetWriteDeadline(grace)
	}
}

// writeEnded ends the watch once the write has returned err, and reports
// whether the grace cut it: the response began first and the request is
// incomplete. After a grace the write deadline is set back.
func (c *conn) writeEnded(err error) (cut bool) {
	if !c.early.on {
		return false
	}
	c.early.on = false
	c.early.mu.Lock()
	defer c.early.mu.Unlock()
	early := c.early.state == answered
	c.early.state = unwatched
	if !early {
		return false
	}
	c.nc.SetWriteDeadline(c.until)
	return errors.Is(err, os.ErrDeadlineExceeded)
}
