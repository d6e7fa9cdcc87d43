package h1

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Default buffer sizes, as in net/http: enough for the head of a typical
// request or response, small enough for tens of thousands of connections.
const (
	DefaultReadBufferSize  = 4 << 10
	DefaultWriteBufferSize = 4 << 10
)

// Transport is an http.RoundTripper for plain HTTP/1.1 with keep-alive. The
// zero value is ready to use. Its fields must not change after the first
// request. It is safe for concurrent use.
type Transport struct {
	// MaxConnsPerHost bounds the connections to one host:port, those being
	// dialled included; 0 means no bound. At the bound a request waits for
	// a connection to come free, or for its context to end.
	MaxConnsPerHost int
	// MaxIdleConnsPerHost bounds the idle connections kept per host:port
	// (the oldest goes first); 0 means no bound but MaxConnsPerHost.
	MaxIdleConnsPerHost int
	// DialTimeout bounds connection set-up; 0 leaves it to the request's
	// context.
	DialTimeout time.Duration
	// IdleTimeout closes connections idle for longer; 0 keeps them until
	// reused, refused by the server, or CloseIdleConnections.
	IdleTimeout time.Duration
	// Dial replaces the TCP dialer, for tests; network is always "tcp".
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// ReadBufferSize and WriteBufferSize size each connection's buffers;
	// 0 means the defaults above.
	ReadBufferSize  int
	WriteBufferSize int
	// MaxResponseHeaderBytes bounds a response head; 0 means
	// DefaultMaxResponseHeaderBytes.
	MaxResponseHeaderBytes int
	// Proxy, if set, is asked for every request; a request it routes
	// through a proxy goes to Fallback (http.ProxyFromEnvironment suits).
	Proxy func(*http.Request) (*url.URL, error)
	// Fallback serves the requests this transport does not speak (see
	// ErrUnsupported); nil makes them fail with ErrUnsupported.
	Fallback http.RoundTripper
	// Resent, if set, counts the requests sent again after some of them
	// had been written on a connection that was then lost (see retry.go):
	// the server may have received both, so its count of requests is the
	// caller's plus these.
	Resent *atomic.Int64

	mu    sync.Mutex // serialises additions to hosts
	hosts atomic.Pointer[map[string]*hostPool]
	own   bufferPools // for buffers of other than the default sizes
}

// bufferPools keep the buffers of closed connections, and of connections
// waiting for a response, for the next ones.
type bufferPools struct {
	readers  sync.Pool // *bufio.Reader
	prefills sync.Pool // *[]byte: see conn.takeReader
	writers  sync.Pool // *bufio.Writer
}

// shared holds the buffers of the default sizes for every Transport: a
// test that gives every VU a transport of its own (Artillery's model, a
// new connection per arrival) would otherwise make a read buffer and a
// first-read buffer, 8 KB, for every arrival.
var shared bufferPools

// readPools are where t's read buffers come from and go back to.
func (t *Transport) readPools() *bufferPools {
	if orDefault(t.ReadBufferSize, DefaultReadBufferSize) == DefaultReadBufferSize {
		return &shared
	}
	return &t.own
}

// writePools are where t's write buffers come from and go back to.
func (t *Transport) writePools() *bufferPools {
	if orDefault(t.WriteBufferSize, DefaultWriteBufferSize) == DefaultWriteBufferSize {
		return &shared
	}
	return &t.own
}

var dialer = net.Dialer{KeepAlive: 30 * time.Second}

var _ http.RoundTripper = (*Transport)(nil)

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	why, err := t.unsupported(req)
	if why != "" && err == nil && t.Fallback != nil {
		return t.Fallback.RoundTrip(req)
	}
	if why != "" && err == nil {
		err = fmt.Errorf("%w: %s", ErrUnsupported, why)
	}
	var body io.ReadCloser
	var length int64
	if err == nil {
		body, length, err = outgoing(req)
	}
	if err != nil {
		closeRequestBody(req)
		return nil, counted(err, 0, 0) // nothing sent
	}
	return t.roundTrip(req, body, length)
}

// roundTrip sends req over a pooled connection, and once more on another
// if the first failed in a way that the retry rules (retry.go) allow.
func (t *Transport) roundTrip(req *http.Request, body io.ReadCloser, length int64) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeBody(body)
		return nil, counted(err, 0, 0)
	}
	p := t.pool(req.URL)
	keep := !req.Close && !hasToken(req.Header["Connection"], "close")
	canReplay := replayable(req)
	again := canReplay && idempotent(req.Method, req.Header)
	var sent int64 // by attempts that failed before
	for retried := false; ; retried = true {
		c, err := p.get(ctx, time.Time{}, time.Time{}, !again) // ctx bounds it all
		if err != nil {
			closeBody(body)
			return nil, counted(err, sent, 0)
		}
		a := c.begin()
		resp, err := c.roundTrip(ctx, req, body, length, keep)
		if err == nil {
			addSent(resp, sent)
			return resp, nil
		}
		// Failed: c is closed, and no other request can have it.
		sent += c.nwritten - a.wrote
		if retried || ctx.Err() != nil || !a.retry(c, err, canReplay, again) {
			return nil, counted(err, sent, c.nread-a.nread)
		}
		t.countResend(a, c)
		if body, err = replay(req); err != nil {
			return nil, err
		}
		// The idle connections below this one waited even longer:
		// likely closed too.
		p.closeIdle()
	}
}

// addSent adds the bytes written by earlier attempts to resp's count.
func addSent(resp *http.Response, sent int64) {
	resp.Body.(*body).sent += sent
}

// replay returns a fresh copy of req's body for a retry.
func replay(req *http.Request) (io.ReadCloser, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("h1: replaying request body: %w", err)
	}
	return body, nil
}

// unsupported says why req needs net/http, or "" if it does not. The
// error is for requests neither transport could send. A nil t asks
// about the request alone, without a Proxy.
func (t *Transport) unsupported(req *http.Request) (string, error) {
	u := req.URL
	switch {
	case u == nil:
		return "", errors.New("h1: nil Request.URL")
	case u.Scheme != "http":
		return "scheme " + u.Scheme, nil
	case u.Host == "":
		return "", errors.New("h1: no Host in request URL")
	case req.Method == http.MethodConnect:
		return "CONNECT", nil
	case req.Header["Upgrade"] != nil:
		return "Upgrade", nil
	case len(req.Trailer) > 0:
		return "request trailers", nil
	case len(req.TransferEncoding) > 0 && (len(req.TransferEncoding) > 1 || req.TransferEncoding[0] != "chunked"):
		return "Transfer-Encoding " + req.TransferEncoding[0], nil
	}
	if t != nil && t.Proxy != nil {
		proxy, err := t.Proxy(req)
		if err != nil {
			return "", fmt.Errorf("h1: proxy: %w", err)
		}
		if proxy != nil {
			return "proxy " + proxy.Redacted(), nil
		}
	}
	return "", nil
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func closeBody(body io.Closer) {
	if body != nil {
		body.Close()
	}
}

// pool returns the pool for u's host:port. Lookups read an immutable map
// through an atomic pointer, so that parallel requests share no lock; the
// rare new host copies the map.
func (t *Transport) pool(u *url.URL) *hostPool {
	if m := t.hosts.Load(); m != nil {
		if p := (*m)[u.Host]; p != nil {
			return p
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	old := t.hosts.Load()
	if old != nil {
		if p := (*old)[u.Host]; p != nil {
			return p
		}
	}
	m := make(map[string]*hostPool, 1)
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
	}
	p := &hostPool{t: t, host: u.Host, addr: dialAddr(u)}
	m[u.Host] = p
	t.hosts.Store(&m)
	return p
}

// dialAddr adds the default port to a URL's host.
func dialAddr(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// dial dials on a goroutine of its own and waits for it. The caller is
// a VU's goroutine, which lives as long as its user and keeps the stack
// its deepest call grew to; the dial (resolver, dialer) is among the
// deepest, and made there it left 10,000 idle users' stacks larger:
// peak RSS 145 MB, 114–126 MB with the dial aside.
func (t *Transport) dial(ctx context.Context, addr string) (net.Conn, error) {
	type dialed struct {
		c   net.Conn
		err error
	}
	slots, err := dialSlot(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer func() { <-slots }()
	ch := make(chan dialed, 1)
	go func() {
		c, err := t.dialHere(ctx, addr)
		ch <- dialed{c, err}
	}()
	d := <-ch
	return d.c, d.err
}

// dialHere dials on the calling goroutine.
func (t *Transport) dialHere(ctx context.Context, addr string) (net.Conn, error) {
	if t.DialTimeout > 0 && !deadlineWithin(ctx, t.DialTimeout) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.DialTimeout)
		defer cancel()
	}
	if t.Dial != nil {
		return t.Dial(ctx, "tcp", addr)
	}
	return dialer.DialContext(ctx, "tcp", addr)
}

// deadlineWithin reports whether ctx ends within d from now.
func deadlineWithin(ctx context.Context, d time.Duration) bool {
	end, ok := ctx.Deadline()
	return ok && time.Until(end) <= d
}

// newConn wraps a dialled connection, reusing the buffers of closed ones.
func (t *Transport) newConn(nc net.Conn, p *hostPool) *conn {
	c := &conn{nc: nc, pool: p}
	c.abort = func() { nc.Close() }
	c.head.max = orDefault(t.MaxResponseHeaderBytes, DefaultMaxResponseHeaderBytes)
	c.useRaw(nc)
	if c.raw == nil {
		c.br = t.reader(c)
	}
	return c
}

// reader returns a read buffer for c, reusing those of closed connections
// and of connections waiting for a response.
func (t *Transport) reader(c *conn) *bufio.Reader {
	if br, ok := t.readPools().readers.Get().(*bufio.Reader); ok {
		br.Reset(c)
		return br
	}
	return bufio.NewReaderSize(c, orDefault(t.ReadBufferSize, DefaultReadBufferSize))
}

// prefillBuffer returns a buffer for a connection's first read of a
// response.
func (t *Transport) prefillBuffer() *[]byte {
	if b, ok := t.readPools().prefills.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, orDefault(t.ReadBufferSize, DefaultReadBufferSize))
	return &b
}

// writer returns a write buffer for c, reusing those of closed
// connections. Connections get one on their first RoundTrip only:
// Exchange writes prepared bytes straight to the socket.
func (t *Transport) writer(c *conn) *bufio.Writer {
	if bw, ok := t.writePools().writers.Get().(*bufio.Writer); ok {
		bw.Reset(c)
		return bw
	}
	return bufio.NewWriterSize(c, orDefault(t.WriteBufferSize, DefaultWriteBufferSize))
}

// orDefault returns v, or def if v is not positive.
func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// recycle keeps the buffers of a closed connection for the next one.
func (t *Transport) recycle(c *conn) {
	if c.br != nil {
		c.br.Reset(nil)
		t.readPools().readers.Put(c.br)
	}
	if c.preBuf != nil {
		t.readPools().prefills.Put(c.preBuf)
		c.pre, c.preBuf = nil, nil
	}
	if c.bw != nil {
		c.bw.Reset(nil)
		t.writePools().writers.Put(c.bw)
	}
	c.br, c.bw = nil, nil
}

// CloseIdleConnections closes the idle connections of every host, and
// those of Fallback if it has such a method.
func (t *Transport) CloseIdleConnections() {
	if m := t.hosts.Load(); m != nil {
		for _, p := range *m {
			p.closeIdle()
		}
	}
	if f, ok := t.Fallback.(interface{ CloseIdleConnections() }); ok {
		f.CloseIdleConnections()
	}
}
