package transport

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/surge-dev/surge/transport/h1"
)

// Protocol selects the HTTP version.
type Protocol string

// Protocols. Auto speaks HTTP/1.1 to http:// targets and lets TLS ALPN pick
// HTTP/2 or HTTP/1.1 for https:// targets.
const (
	Auto  Protocol = "auto"
	HTTP1 Protocol = "http1"
	HTTP2 Protocol = "http2" // h2 over TLS, h2c with prior knowledge over plain TCP
)

// DefaultTimeout is how long a request may take before it counts as an
// ETIMEDOUT error, as in Artillery.
const DefaultTimeout = 10 * time.Second

// Config describes how requests are sent.
type Config struct {
	Protocol Protocol
	Insecure bool // skip TLS certificate verification
	// MaxConns bounds the connections per host (0: unbounded).
	MaxConns int
	// DialTimeout bounds connection set-up (0: the request timeout).
	DialTimeout time.Duration
	// Dials, when set, counts the connections opened, for the engine's
	// watch on itself.
	Dials *atomic.Int64
	// Resent, when set, counts the requests sent again on a new
	// connection after some of them had been written on one that was
	// lost: the server may have received them twice.
	Resent *atomic.Int64
}

// ParseProtocol checks a protocol name from a flag or script.
func ParseProtocol(s string) (Protocol, error) {
	switch p := Protocol(s); p {
	case "", Auto:
		return Auto, nil
	case HTTP1, HTTP2:
		return p, nil
	}
	return "", fmt.Errorf("unknown protocol %q (want auto, http1 or http2)", s)
}

// New returns a Transport tuned for load generation: keep-alive on, large
// idle pools, no proxy look-up per request unless the environment sets one.
func New(c Config) *http.Transport {
	dialTimeout := c.DialTimeout
	if dialTimeout <= 0 {
		dialTimeout = DefaultTimeout
	}
	dialer := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           counting(dialer, c.Dials),
		MaxIdleConns:          0, // no global cap: a load tool talks to few hosts
		MaxIdleConnsPerHost:   max(c.MaxConns, 10000),
		MaxConnsPerHost:       c.MaxConns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   dialTimeout,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{InsecureSkipVerify: c.Insecure}, //nolint:gosec // opt-in flag
		WriteBufferSize:       4 << 10,
		ReadBufferSize:        4 << 10,
		// Requests say what they accept themselves and bodies are decoded
		// where they are used (Decode), as on the lean path: net/http's
		// transparent gzip would send a field the lean path does not,
		// and hide the wire size of what it decoded.
		DisableCompression: true,
	}
	t.Protocols = protocols(c.Protocol)
	if c.Protocol == HTTP2 {
		t.TLSClientConfig.VerifyConnection = requireH2
	}
	return t
}

func protocols(p Protocol) *http.Protocols {
	var ps http.Protocols
	switch p {
	case HTTP1:
		ps.SetHTTP1(true)
	case HTTP2:
		ps.SetHTTP2(true)
		ps.SetUnencryptedHTTP2(true)
	default:
		ps.SetHTTP1(true)
		ps.SetHTTP2(true)
	}
	return &ps
}

// NewRoundTripper returns what a shared pool sends through: the lean
// HTTP/1.1 client for plain http:// traffic, with net/http behind it for
// TLS, HTTP/2 and proxies. With Protocol HTTP2 it is net/http alone.
func NewRoundTripper(c Config) http.RoundTripper {
	std := countingResends(New(c), c.Resent)
	if c.Protocol == HTTP2 {
		return std
	}
	return lean(c, std)
}

// PerVU returns a constructor of round trippers that share no connection,
// one per virtual user, each limited to c.MaxConns connections per host.
// Their net/http fallback is cloned only if a VU needs it (https, say).
func PerVU(c Config) func() http.RoundTripper {
	base := New(c)
	return func() http.RoundTripper {
		fb := countingResends(&lazyClone{base: base}, c.Resent)
		if c.Protocol == HTTP2 {
			return fb
		}
		return lean(c, fb)
	}
}

func lean(c Config, fallback http.RoundTripper) *h1.Transport {
	dial := c.DialTimeout
	if dial <= 0 {
		dial = DefaultTimeout
	}
	return &h1.Transport{
		MaxConnsPerHost: c.MaxConns,
		DialTimeout:     dial,
		IdleTimeout:     90 * time.Second,
		ReadBufferSize:  4 << 10, // small: 10,000 connections hold 10,000 of each
		WriteBufferSize: 4 << 10,
		Proxy:           http.ProxyFromEnvironment,
		Fallback:        fallback,
		Dial:            counting(&net.Dialer{KeepAlive: 30 * time.Second}, c.Dials),
		Resent:          c.Resent,
	}
}

// counting is d's DialContext, counting the connections it opens in n
// (nil: not counted).
func counting(d *net.Dialer, n *atomic.Int64) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if n == nil {
		return d.DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err == nil {
			n.Add(1)
		}
		return c, err
	}
}

// lazyClone is a net/http Transport cloned from base on first use, so that
// a VU that only speaks plain HTTP/1.1 never pays for one.
type lazyClone struct {
	mu   sync.Mutex
	base *http.Transport
	t    *http.Transport
}

func (l *lazyClone) RoundTrip(req *http.Request) (*http.Response, error) {
	l.mu.Lock()
	if l.t == nil {
		l.t = l.base.Clone()
	}
	t := l.t
	l.mu.Unlock()
	return t.RoundTrip(req)
}

// CloseIdleConnections closes the clone's idle connections, if it exists.
func (l *lazyClone) CloseIdleConnections() {
	l.mu.Lock()
	t := l.t
	l.mu.Unlock()
	if t != nil {
		t.CloseIdleConnections()
	}
}
