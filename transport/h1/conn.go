package h1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"runtime"
	"syscall"
	"time"
)

// conn is one connection to a server. Exactly one goroutine owns it at a
// time: the pool while it is idle, then the request it was handed to,
// until that request's response body is finished.
type conn struct {
	nc    net.Conn
	br    *bufio.Reader
	bw    *bufio.Writer
	pool  *hostPool
	head  headParser
	keys  []string // scratch for sorting request header names
	chunk []byte   // scratch for chunked request bodies, made on first use

	// raw waits for a response to begin before a read buffer is taken, so
	// that ten thousand connections waiting on a slow server hold none;
	// nil (not a socket, or not Unix: see useRaw) keeps the buffer for
	// the connection's life.
	raw     syscall.RawConn
	prefill func(fd uintptr) bool // raw.Read's callback: see takeReader
	peek    func(fd uintptr)      // raw.Control's callback: see stale
	pre     []byte                // what prefill read, not yet taken by br
	preBuf  *[]byte               // the pooled buffer pre lies in
	preErr  error                 // what prefill's read returned with pre

	drain body // Exchange's body reader, for chunked and close-delimited bodies

	ctx   context.Context // of the request in flight, for error wrapping
	stop  func() bool     // detaches ctx's AfterFunc
	abort func()          // closes nc; made once, as AfterFunc's argument
	nread int64           // bytes read from nc: tells whether a response began
	// nwritten counts the bytes written to nc: tells whether a request
	// may have reached the server.
	nwritten int64
	idleAt   time.Time // when it went back to the pool
	until    time.Time // the deadline set on nc (zero: none)
	reused   bool      // served a request before the one in flight
	sticky   bool      // ctx stays armed while idle (Exchange)
	dead     bool      // closed and counted out of the pool
	// cut marks a request whose write failed or was cut (early.go) after
	// an early response: the connection closes after that response.
	cut bool
	// idleState and peekByte are what peek found, and where it looked.
	// The small fields sit together: spread out, their padding made the
	// struct 520 bytes, a 576-byte allocation, against 512.
	idleState idleState
	peekByte  byte

	early earlyWatch // the watch for an early response: see early.go
}

// Read counts what the bufio.Reader takes from the network, so that a
// failed request knows whether any of its response had arrived.
func (c *conn) Read(p []byte) (int, error) {
	var n int
	var err error
	if c.preBuf != nil {
		n, err = c.takePre(p)
	} else {
		n, err = c.nc.Read(p)
	}
	c.nread += int64(n)
	return n, err
}

// pos is how far the response stream has been consumed: the bytes read
// from the network less those still unread in the buffer.
func (c *conn) pos() int64 {
	if c.br == nil {
		return c.nread
	}
	return c.nread - int64(c.br.Buffered())
}

// Write counts what reaches the network, for the retry rules and the
// bytes sent.
func (c *conn) Write(p []byte) (int, error) {
	n, err := c.nc.Write(p)
	c.nwritten += int64(n)
	return n, err
}

// takePre serves a read from the bytes prefill read.
func (c *conn) takePre(p []byte) (int, error) {
	n := copy(p, c.pre)
	c.pre = c.pre[n:]
	if len(c.pre) > 0 {
		return n, nil
	}
	err := c.preErr
	c.pool.t.readPools().prefills.Put(c.preBuf)
	c.pre, c.preBuf, c.preErr = nil, nil, nil
	return n, err
}

// arm ties the connection to ctx: its deadline becomes the connection's,
// and its cancellation closes the connection, which unblocks any read or
// write in progress.
func (c *conn) arm(ctx context.Context) {
	if c.sticky {
		c.disarm()
	}
	c.ctx = ctx
	if d, ok := ctx.Deadline(); ok {
		c.nc.SetDeadline(d)
		c.until = d
	} else if !c.until.IsZero() {
		c.nc.SetDeadline(time.Time{})
		c.until = time.Time{}
	}
	if ctx.Done() != nil {
		c.stop = context.AfterFunc(ctx, c.abort)
	}
}

// disarm detaches the context; false means it fired and closed nc.
func (c *conn) disarm() bool {
	ok := true
	if c.stop != nil {
		ok = c.stop()
		c.stop = nil
	}
	c.ctx = nil
	c.sticky = false
	return ok
}

// roundTrip sends req with the given body (closed here) and reads the
// response head. On error the connection is closed.
func (c *conn) roundTrip(ctx context.Context, req *http.Request, reqBody io.ReadCloser, length int64, keep bool) (*http.Response, error) {
	c.arm(ctx)
	wrote := c.nwritten
	if reqBody != nil {
		c.watchWrite(length)
	}
	err := c.send(req, reqBody, length)
	cut := c.writeEnded(err)
	if reqBody != nil {
		reqBody.Close()
	}
	sent := c.nwritten - wrote
	if err == nil {
		return c.readResponse(req, keep, sent)
	}
	// A server may answer before taking the whole body (413 and the
	// like), and close, or leave the rest unread (early.go): its response
	// says more than the broken pipe or the cut write.
	if connLost(err) || cut {
		c.cut = true
		resp, rerr := c.readResponse(req, false, sent)
		switch {
		case rerr == nil:
			return resp, nil
		case cut: // a response had begun: what became of it is the news
			return nil, rerr
		}
		return nil, ctxErr(ctx, err) // readResponse closed the connection
	}
	return nil, c.fail(err)
}

// readResponse reads the response head and hands the body over; keep says
// whether the request allows reusing the connection afterwards, sent how
// many bytes of it were written (for the body's WireBytes, set before the
// connection can go back to the pool).
func (c *conn) readResponse(req *http.Request, keep bool, sent int64) (*http.Response, error) {
	if err := c.takeReader(); err != nil {
		return nil, c.fail(err)
	}
	x := &exchange{}
	resp := &x.resp
	from := c.pos()
	kind, err := c.head.read(c.br, resp, req.Method)
	if err != nil {
		return nil, c.fail(err)
	}
	resp.Request = req
	keep = keep && !resp.Close
	x.body.init(c.br, c, kind, resp.ContentLength, keep, from)
	x.body.sent = sent
	resp.Body = &x.body
	if kind == bodyNone {
		// Not http.NoBody: the body still counts the bytes.
		x.body.finish(io.EOF)
	}
	return resp, nil
}

// exchange puts a response and its body in one allocation.
type exchange struct {
	resp http.Response
	body body
}

func (c *conn) send(req *http.Request, reqBody io.Reader, length int64) error {
	if c.bw == nil {
		c.bw = c.pool.t.writer(c)
	}
	var err error
	if c.keys, err = writeHead(c.bw, req, length, c.keys); err != nil {
		return err
	}
	if reqBody != nil {
		if c.chunk == nil {
			c.chunk = make([]byte, 8<<10)
		}
		if err := writeBody(c.bw, reqBody, length, c.chunk); err != nil {
			return err
		}
	}
	return c.bw.Flush()
}

// fail closes the connection after an error and returns the error as the
// caller should see it.
func (c *conn) fail(err error) error {
	err = ctxErr(c.ctx, err)
	c.close()
	return err
}

// takeReader gives c a read buffer once the response has begun. Waiting
// for that with a read buffer in hand would hold one per connection; so
// the first read goes into a pooled buffer that is taken only for the
// read's duration, inside raw.Read, and kept only if data came.
func (c *conn) takeReader() error {
	if c.br != nil {
		return nil
	}
	// The request has just been written and the server has hardly begun:
	// a read now would nearly always find nothing, costing a system call
	// and a trip through the poller before the real read. Letting the
	// other runnable goroutines go first gives the response time to
	// arrive (one read per request instead of two in a saturated closed
	// loop); with nothing else to run it returns at once.
	runtime.Gosched()
	if err := c.raw.Read(c.prefill); err != nil {
		return err
	}
	c.br = c.pool.t.reader(c)
	return nil
}

// buffered reports whether bytes have been read from the network that
// nobody has consumed yet.
func (c *conn) buffered() bool {
	return c.preBuf != nil || (c.br != nil && c.br.Buffered() > 0)
}

// dropReader hands the read buffer back between responses, unless it
// holds bytes (which popIdle must see) or c cannot wait without one.
func (c *conn) dropReader() {
	if c.raw == nil || c.br == nil || c.buffered() {
		return
	}
	c.br.Reset(nil)
	c.pool.t.readPools().readers.Put(c.br)
	c.br = nil
}

// release ends a request whose response was fully read: the connection
// goes back to the pool if both sides allow it and ctx did not close it.
// An Exchange connection stays tied to its context: if the context has
// ended, its AfterFunc has closed the connection or is about to.
func (c *conn) release(keep bool) {
	keep = keep && !c.cut
	if c.sticky {
		if !keep || c.ctx.Err() != nil {
			c.close()
			return
		}
		c.reused = true
		c.dropReader()
		c.pool.put(c)
		return
	}
	if !c.disarm() || !keep {
		c.close()
		return
	}
	c.reused = true
	c.dropReader()
	c.pool.put(c)
}

// close closes the connection and frees its place in the pool.
func (c *conn) close() {
	if c.dead {
		return
	}
	c.disarm()
	c.dead = true
	c.nc.Close()
	c.pool.t.recycle(c)
	c.pool.dropped()
}
