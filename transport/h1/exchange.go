package h1

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// Prepared is a request serialised once to be sent many times unchanged:
// the hot path of an ad-hoc test, where building an http.Request and an
// http.Response for every request would cost more than the exchange.
type Prepared struct {
	req          *http.Request            // method, URL and header: for Proxy and the host pool
	wire         []byte                   // request line, fields and body, ready to write
	pool         atomic.Pointer[hostPool] // the last transport's pool for req's host
	idempotent   bool                     // may be sent again once written: see retry.go
	resetBuffers                          // Reset's, kept for the next one
}

// Prepare serialises req with the given body (req.Body is ignored). It
// fails with ErrUnsupported for requests that need net/http.
func Prepare(req *http.Request, body []byte) (*Prepared, error) {
	if why, err := (*Transport)(nil).unsupported(req); err != nil || why != "" {
		if err == nil {
			err = fmt.Errorf("%w: %s", ErrUnsupported, why)
		}
		return nil, err
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if _, err := writeHead(w, req, int64(len(body)), nil); err != nil {
		return nil, err
	}
	w.Write(body)
	w.Flush()
	return &Prepared{req: req, wire: buf.Bytes(), idempotent: idempotent(req.Method, req.Header)}, nil
}

// Size is the number of bytes the request puts on the wire.
func (p *Prepared) Size() int { return len(p.wire) }

// Reply is what Exchange learnt of a response. Its body has been read and
// discarded.
type Reply struct {
	Status int
	Proto  string // "HTTP/1.1", "HTTP/1.0", or a later HTTP/1.x as the server wrote it
	// Header is nil unless the head holds Set-Cookie, or Location in a
	// redirect: the fields a client must act on. Building the map for
	// every response would be most of the exchange's allocations.
	Header http.Header
	// Sent is the request as written (every attempt, if it was sent
	// again); Bytes the response as read from the connection: interim
	// and final heads, and the body with its chunk framing and trailers.
	// On error, what had been written and read by then.
	Sent, Bytes int64
}

// Exchange sends p over a pooled connection and reads the whole response.
// start is when the request is sent, read from the clock if zero; the
// caller usually has it already, and the pool needs no other clock. A
// positive timeout bounds the whole exchange: it fires no earlier than
// start+timeout and at most deadlineSlack later. Cancelling ctx closes the
// connection in use. A connection keeps its tie to ctx while it is idle,
// so that a test sending every request under one context pays for it once
// per connection rather than once per request. Requests that would need
// Fallback fail with ErrUnsupported before anything is sent.
func (t *Transport) Exchange(ctx context.Context, p *Prepared, start time.Time, timeout time.Duration) (Reply, error) {
	return t.exchange(ctx, p, start, timeout, nil)
}

// exchange is Exchange, and Open when into is set: the response body is
// then left in into for the caller.
func (t *Transport) exchange(ctx context.Context, p *Prepared, start time.Time, timeout time.Duration, into *Body) (Reply, error) {
	if err := ctx.Err(); err != nil {
		return Reply{}, err
	}
	if start.IsZero() {
		start = time.Now()
	}
	pool := p.poolOf(t)
	if err := pool.checkDirect(p.req); err != nil {
		return Reply{}, err
	}
	var due time.Time // the dial and the wait for a connection count too
	if timeout > 0 {
		due = start.Add(timeout)
	}
	var sent int64 // by attempts that failed before
	for retried := false; ; retried = true {
		c, err := pool.get(ctx, start, due, !p.idempotent)
		if err != nil {
			return Reply{Sent: sent}, err
		}
		a := c.begin()
		r, err := c.exchange(ctx, p, start, timeout, into)
		r.Sent += sent
		if err != nil { // c is closed: no other request can have it
			r.Bytes = c.nread - a.nread
		}
		// A prepared body is always replayable.
		if err == nil || retried || ctx.Err() != nil || !a.retry(c, err, true, p.idempotent) {
			if err == nil && into != nil {
				into.b.sent += sent
			}
			return r, err
		}
		sent = r.Sent
		t.countResend(a, c)
		pool.closeIdle() // they waited even longer: likely closed too
	}
}

// poolOf is t's pool for p's host. A Prepared is sent many times, mostly
// through one transport, so it remembers the answer, and checks that the
// answer is still for its request's host: a caller may Reset it with a
// request to another host through the very *http.Request it held before
// (flow's scratch), so Reset cannot tell a new host from the old.
func (p *Prepared) poolOf(t *Transport) *hostPool {
	if last := p.pool.Load(); last != nil && last.t == t && last.host == p.req.URL.Host {
		return last
	}
	pool := t.pool(p.req.URL)
	p.pool.Store(pool)
	return pool
}

// exchange writes the prepared bytes and reads the response on c: all of
// it, or its head only when into is set (see Open).
func (c *conn) exchange(ctx context.Context, p *Prepared, start time.Time, timeout time.Duration, into *Body) (Reply, error) {
	c.armSticky(ctx)
	c.setTimeout(start, timeout)
	c.watchWrite(int64(len(p.wire)))
	n, err := c.Write(p.wire)
	cut := c.writeEnded(err)
	sent := int64(n)
	if err != nil {
		if !connLost(err) && !cut {
			return Reply{Sent: sent}, c.fail(err)
		}
		// The server may have answered (413, say) before closing or
		// while leaving the rest unread (early.go).
		c.cut = true
		r, rerr := c.reply(p.req.Method, sent, into)
		switch {
		case rerr == nil:
			return r, nil
		case cut: // a response had begun: what became of it is the news
			return Reply{Sent: sent}, rerr
		}
		return Reply{Sent: sent}, ctxErr(ctx, err)
	}
	return c.reply(p.req.Method, sent, into)
}

// reply reads the response: whole, or its head only when into is set.
func (c *conn) reply(method string, sent int64, into *Body) (Reply, error) {
	if into != nil {
		return c.openReply(method, sent, into)
	}
	return c.readReply(method, sent)
}

// armSticky ties c to ctx unless it is tied to it already.
func (c *conn) armSticky(ctx context.Context) {
	if c.sticky && c.ctx == ctx {
		return
	}
	c.disarm()
	c.sticky = true
	c.ctx = ctx
	if ctx.Done() != nil {
		c.stop = context.AfterFunc(ctx, c.abort)
	}
}

// Setting a deadline moves a runtime timer, which at tens of thousands of
// requests per second is a measurable share of the client's CPU. So the
// deadline set on a connection is start+timeout plus a little slack, and
// later requests that would end within it leave it alone: a timeout fires
// up to 1 % (at most 20 ms) late, and the deadline is moved about once
// per slack rather than once per request.
const (
	slackShare = 100
	maxSlack   = 20 * time.Millisecond
)

// deadlineSlack is how late a timeout may fire.
func deadlineSlack(timeout time.Duration) time.Duration {
	return min(timeout/slackShare, maxSlack)
}

// setTimeout makes sure nc's deadline lies between start+timeout and its
// slack; a timeout of zero or less clears it.
func (c *conn) setTimeout(start time.Time, timeout time.Duration) {
	if timeout <= 0 {
		if !c.until.IsZero() {
			c.nc.SetDeadline(time.Time{})
			c.until = time.Time{}
		}
		return
	}
	due := start.Add(timeout)
	slack := deadlineSlack(timeout)
	if !c.until.IsZero() && !c.until.Before(due) && c.until.Sub(due) <= slack {
		return
	}
	c.until = due.Add(slack)
	c.nc.SetDeadline(c.until)
}

// readReply reads a response head without building its header map, then
// reads and discards the body; the connection goes back to the pool or is
// closed, as the response allows. sent is the request's bytes written,
// for the Reply.
func (c *conn) readReply(method string, sent int64) (Reply, error) {
	if err := c.takeReader(); err != nil {
		return Reply{Sent: sent}, c.fail(err)
	}
	from := c.pos()
	h, err := c.head.readLean(c.br, method, mapToAct)
	if err != nil {
		return Reply{Sent: sent}, c.fail(err)
	}
	r := Reply{Status: h.status, Proto: h.proto, Header: h.header, Sent: sent}
	switch h.kind {
	case bodyNone:
		r.Bytes = c.pos() - from
		c.release(!h.closes)
		return r, nil
	case bodyLength:
		_, err := c.br.Discard(int(h.length))
		r.Bytes = c.pos() - from
		if err != nil {
			return r, c.fail(unexpected(err))
		}
		c.release(!h.closes)
		return r, nil
	}
	c.drain.init(c.br, c, h.kind, h.length, !h.closes, from)
	c.drain.held = true
	_, err = c.drain.discard()
	_, r.Bytes = c.drain.WireBytes()
	if err == nil { // read to its end: only now may another request take c
		c.release(c.drain.keep)
	}
	return r, err
}

// checkDirect fails with ErrUnsupported when the transport's Proxy routes
// requests to this host through a proxy. The answer depends on the host
// only (HTTP_PROXY, NO_PROXY), so it is asked once per pool.
func (p *hostPool) checkDirect(req *http.Request) error {
	if p.t.Proxy == nil {
		return nil
	}
	switch p.direct.Load() {
	case directYes:
		return nil
	case directNo:
		return fmt.Errorf("%w: proxy", ErrUnsupported)
	}
	why, err := p.t.unsupported(req)
	if err != nil {
		return err
	}
	if why != "" {
		p.direct.Store(directNo)
		return fmt.Errorf("%w: %s", ErrUnsupported, why)
	}
	p.direct.Store(directYes)
	return nil
}

// Answers cached in hostPool.direct.
const (
	directUnknown int32 = iota
	directYes
	directNo
)
