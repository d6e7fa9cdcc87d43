package h1

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// A script sends requests that change every time (templated URLs,
// headers and bodies) and reads some responses (captures). Going through
// RoundTrip costs it an http.Request and http.Response per request, a
// context for the timeout, and a header map for every response; Reset
// and Open give it Exchange's path instead: the request serialised into
// buffers it keeps, the connection tied to one long-lived context, the
// body read from the connection into a Body the caller owns.

// Reset serialises req with the given body into p, reusing p's buffers,
// for a request built anew for every send; it refuses what Prepare
// refuses, with the same errors, and writes the bytes RoundTrip would
// write for req with that body (as Body and ContentLength). p keeps req
// until the next Reset and must not be in use meanwhile.
func (p *Prepared) Reset(req *http.Request, body []byte) error {
	if why, err := (*Transport)(nil).unsupported(req); err != nil || why != "" {
		if err == nil {
			err = fmt.Errorf("%w: %s", ErrUnsupported, why)
		}
		return err
	}
	if p.bw == nil {
		p.bw = bufio.NewWriterSize(&p.out, DefaultWriteBufferSize)
	}
	p.out.Reset()
	p.bw.Reset(&p.out)
	var err error
	if p.keys, err = writeHead(p.bw, req, int64(len(body)), p.keys); err != nil {
		return err
	}
	p.bw.Write(body)
	p.bw.Flush()
	p.req, p.wire, p.idempotent = req, p.out.Bytes(), idempotent(req.Method, req.Header)
	return nil
}

// Method is the method of the request p holds.
func (p *Prepared) Method() string { return p.req.Method }

// Carries reports whether Exchange and Open can send p: false when the
// transport's Proxy routes its host through a proxy (or fails), which
// only RoundTrip's Fallback handles. The answer is asked once per host.
func (t *Transport) Carries(p *Prepared) bool {
	return p.poolOf(t).checkDirect(p.req) == nil
}

// Body is a response body that Open leaves for its caller to read. The
// caller owns it and may use it for one response after another; a VU
// keeps one.
type Body struct {
	b    body
	bare bool // opened by OpenBody
	size int64
}

// Length is the body's length as its head declared it (Content-Length),
// or -1: chunked, to the end of the connection, or no head read.
func (b *Body) Length() int64 { return b.size }

// Read reads the body from the connection; at its end the connection
// goes back to the pool.
func (b *Body) Read(p []byte) (int, error) { return b.b.Read(p) }

// Close drops what is left of the body (keeping the connection if the
// rest is small, as RoundTrip's body does).
func (b *Body) Close() error { return b.b.Close() }

// WireBytes implements Counted: the request as written, every attempt
// included, and the response as read; final once the body is read to
// its end or closed.
func (b *Body) WireBytes() (sent, received int64) { return b.b.WireBytes() }

// Open is Exchange for a caller that reads the response body: it returns
// once the final response head is read, with Reply.Header always set (as
// RoundTrip's Response.Header is) and Reply.Bytes counting the heads only,
// the body left in into. The caller must read into to its end or close it
// before it sends another request; into's WireBytes then count the whole
// exchange. On error into holds nothing to read.
func (t *Transport) Open(ctx context.Context, p *Prepared, start time.Time, timeout time.Duration, into *Body) (Reply, error) {
	into.b, into.bare, into.size = body{err: errBodyClosed}, false, -1
	return t.exchange(ctx, p, start, timeout, into)
}

// OpenBody is Open for a caller that reads the body but not the head's
// fields: Reply.Header is set only for a head the client acts on (as
// Exchange's) or whose body has a Content-Encoding to undo. A JSON
// capture needs no more, and the map was a quarter of what such a
// request allocated. into.Length says the body's length.
func (t *Transport) OpenBody(ctx context.Context, p *Prepared, start time.Time, timeout time.Duration, into *Body) (Reply, error) {
	into.b, into.bare, into.size = body{err: errBodyClosed}, true, -1
	return t.exchange(ctx, p, start, timeout, into)
}

// openReply reads a response head with its header map and readies into
// for the body.
func (c *conn) openReply(method string, sent int64, into *Body) (Reply, error) {
	if err := c.takeReader(); err != nil {
		return Reply{Sent: sent}, c.fail(err)
	}
	from := c.pos()
	when := mapAlways
	if into.bare {
		when = mapToDecode
	}
	h, err := c.head.readLean(c.br, method, when)
	if err != nil {
		return Reply{Sent: sent}, c.fail(err)
	}
	r := Reply{Status: h.status, Proto: h.proto, Header: h.header, Sent: sent, Bytes: c.pos() - from}
	into.b.init(c.br, c, h.kind, h.length, !h.closes, from)
	into.size = -1
	switch h.kind {
	case bodyLength:
		into.size = h.length
	case bodyNone:
		into.size = 0
	}
	into.b.sent = sent
	if h.kind == bodyNone {
		into.b.finish(io.EOF)
	}
	return r, nil
}

// scratch for Reset, kept in Prepared.
type resetBuffers struct {
	out  bytes.Buffer
	bw   *bufio.Writer
	keys []string
}
