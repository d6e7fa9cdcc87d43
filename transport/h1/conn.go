package h1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
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

	ctx    context.Context // of the request in flight, for error wrapping
	stop   func() bool     // detaches ctx's AfterFunc
	abort  func()          // closes nc; made once, as AfterFunc's argument
	nread  int64           // bytes read from nc: tells whether a response began
	idleAt time.Time       // when it went back to the pool
	reused bool            // served a request before the one in flight
	timed  bool            // nc has a deadline set
	dead   bool            // closed and counted out of the pool
}

// Read counts what the bufio.Reader takes from the network, so that a
// failed request knows whether any of its response had arrived.
func (c *conn) Read(p []byte) (int, error) {
	n, err := c.nc.Read(p)
	c.nread += int64(n)
	return n, err
}

// arm ties the connection to ctx: its deadline becomes the connection's,
// and its cancellation closes the connection, which unblocks any read or
// write in progress.
func (c *conn) arm(ctx context.Context) {
	c.ctx = ctx
	if d, ok := ctx.Deadline(); ok {
		c.nc.SetDeadline(d)
		c.timed = true
	} else if c.timed {
		c.nc.SetDeadline(time.Time{})
		c.timed = false
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
	return ok
}

// roundTrip sends req with the given body (closed here) and reads the
// response head. On error the connection is closed.
func (c *conn) roundTrip(ctx context.Context, req *http.Request, reqBody io.ReadCloser, length int64, keep bool) (*http.Response, error) {
	c.arm(ctx)
	err := c.send(req, reqBody, length)
	if reqBody != nil {
		reqBody.Close()
	}
	if err == nil {
		return c.readResponse(req, keep)
	}
	// A server may answer and close before taking the whole body (413
	// and the like): its response says more than the broken pipe.
	if connLost(err) {
		resp, rerr := c.readResponse(req, false)
		if rerr == nil {
			return resp, nil
		}
		return nil, ctxErr(ctx, err) // readResponse closed the connection
	}
	return nil, c.fail(err)
}

// readResponse reads the response head and hands the body over; keep says
// whether the request allows reusing the connection afterwards.
func (c *conn) readResponse(req *http.Request, keep bool) (*http.Response, error) {
	x := &exchange{}
	resp := &x.resp
	kind, err := c.head.read(c.br, resp, req.Method)
	if err != nil {
		return nil, c.fail(err)
	}
	resp.Request = req
	keep = keep && !resp.Close
	if kind == bodyNone {
		resp.Body = http.NoBody
		c.release(keep)
		return resp, nil
	}
	x.body.init(c.br, c, kind, resp.ContentLength, keep)
	resp.Body = &x.body
	return resp, nil
}

// exchange puts a response and its body in one allocation.
type exchange struct {
	resp http.Response
	body body
}

func (c *conn) send(req *http.Request, reqBody io.Reader, length int64) error {
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

// release ends a request whose response was fully read: the connection
// goes back to the pool if both sides allow it and ctx did not close it.
func (c *conn) release(keep bool) {
	if !c.disarm() || !keep {
		c.close()
		return
	}
	c.reused = true
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
