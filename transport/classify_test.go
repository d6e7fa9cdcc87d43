package transport

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/transport/h1"
)

// rawServer accepts connections and hands each to handle.
func rawServer(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go handle(c)
		}
	}()
	return l.Addr().String()
}

func TestClassifyRealFailures(t *testing.T) {
	reset := rawServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		c.Read(buf)
		c.(*net.TCPConn).SetLinger(0) // close with RST
		c.Close()
	})
	hangup := rawServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		c.Read(buf)
		c.Close()
	})
	// The silent server never answers: only the client's timeout ends the
	// request, however slow the machine.
	hang := make(chan struct{})
	t.Cleanup(func() { close(hang) })
	silent := rawServer(t, func(c net.Conn) { <-hang; c.Close() })
	garbage := rawServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		c.Read(buf)
		c.Write([]byte("NOT HTTP AT ALL\r\n\r\n"))
		c.Close()
	})
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer tlsSrv.Close()
	// Every failure but the timeout comes by itself: their deadline is only
	// a safety net, long enough for a TLS handshake under -race on a busy
	// machine, and never what ends the request.
	const never = time.Minute
	tests := []struct {
		name    string
		url     string
		timeout time.Duration
		want    metrics.ErrorKind
	}{
		{"refused", "http://" + freeaddr.Loopback(t), never, metrics.ErrRefused},
		{"reset", "http://" + reset, never, metrics.ErrReset},
		{"closed without answer", "http://" + hangup, never, metrics.ErrClosed},
		{"timeout", "http://" + silent, 50 * time.Millisecond, metrics.ErrTimeout},
		{"not http", "http://" + garbage, never, metrics.ErrProtocol},
		{"self-signed tls", tlsSrv.URL, never, metrics.ErrTLS},
		{"bad scheme", "gopher://127.0.0.1/", never, metrics.ErrBadURL},
	}
	client := &http.Client{Transport: New(Config{})}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", tt.url, nil)
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("request succeeded")
			}
			if got := Classify(err); got != tt.want {
				t.Fatalf("Classify(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
}

// TestClassifyHTTP2ToAnHTTP1Server: protocol http2 to an http:// URL
// speaks HTTP/2 from the first byte; a server without h2c answers in
// HTTP/1.1 (net/http's 400, or a bare status line before it hangs up).
// That was EOTHER; it is ENOHTTP2, the server not speaking HTTP/2.
func TestClassifyHTTP2ToAnHTTP1Server(t *testing.T) {
	h1only := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer h1only.Close()
	terse := rawServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		c.Read(buf)
		c.Write([]byte("HTTP/1.1 505 HTTP Version Not Supported\r\nConnection: close\r\n\r\n"))
		c.Close()
	})
	client := &http.Client{Transport: New(Config{Protocol: HTTP2})}
	// net/http words the error one of two ways, by a race: several
	// requests are likely to meet both.
	for i := range 20 {
		url := []string{h1only.URL, "http://" + terse}[i%2]
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		resp, err := client.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			t.Fatalf("%s: answered %s", url, resp.Proto)
		}
		if got := Classify(err); got != metrics.ErrNoHTTP2 || got.String() != "ENOHTTP2" {
			t.Errorf("%s: Classify(%v) = %v, want ENOHTTP2", url, err, got)
		}
	}
}

func TestClassifyConstructed(t *testing.T) {
	tests := []struct {
		err  error
		want metrics.ErrorKind
	}{
		{nil, metrics.NoError},
		{&url.Error{Op: "Get", Err: &net.DNSError{Err: "no such host", Name: "x.invalid"}}, metrics.ErrDNS},
		{context.Canceled, metrics.ErrCanceled},
		{&url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: errors.New("http2: client conn could not be established")}, metrics.ErrNoHTTP2},
		{&url.Error{Op: "Get", URL: "https://127.0.0.1:1/", Err: errors.New("http2: client conn could not be established")}, metrics.ErrOther},
		{errors.New("something else"), metrics.ErrOther},
	}
	for _, tt := range tests {
		if got := Classify(tt.err); got != tt.want {
			t.Errorf("Classify(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestInsecureAcceptsSelfSigned(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.Proto)) }))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	for _, p := range []Protocol{Auto, HTTP2} {
		client := &http.Client{Transport: New(Config{Insecure: true, Protocol: p})}
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		resp.Body.Close()
		if p == HTTP2 && resp.ProtoMajor != 2 {
			t.Errorf("protocol http2 spoke %s", resp.Proto)
		}
	}
}

func TestH2C(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.Proto)) }))
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	defer srv.Close()
	client := &http.Client{Transport: New(Config{Protocol: HTTP2})}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Fatalf("h2c spoke %s", resp.Proto)
	}
}

func TestRoundTrippers(t *testing.T) {
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.Proto)) }))
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.Proto)) }))
	defer tlsSrv.Close()
	newVU := PerVU(Config{Insecure: true, MaxConns: 1})
	rts := map[string]http.RoundTripper{"shared": NewRoundTripper(Config{Insecure: true}), "per VU": newVU()}
	for name, rt := range rts {
		client := &http.Client{Transport: rt}
		for _, url := range []string{plain.URL, tlsSrv.URL} {
			resp, err := client.Get(url)
			if err != nil {
				t.Fatalf("%s %s: %v", name, url, err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s %s: %d", name, url, resp.StatusCode)
			}
		}
		client.CloseIdleConnections()
	}
	if _, ok := NewRoundTripper(Config{Protocol: HTTP2}).(*http.Transport); !ok {
		t.Fatal("http2 must go through net/http")
	}
	// A VU that never needed the fallback can close it, and use it later.
	rt := newVU()
	(&http.Client{Transport: rt}).CloseIdleConnections()
	if resp, err := (&http.Client{Transport: rt}).Get(tlsSrv.URL); err != nil {
		t.Fatalf("fallback after CloseIdleConnections: %v", err)
	} else {
		resp.Body.Close()
	}
}

func TestClassifyProtocolByValue(t *testing.T) {
	garbage := rawServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		c.Read(buf)
		c.Write([]byte("NOT HTTP AT ALL\r\n\r\n"))
		c.Close()
	})
	_, err := (&http.Client{Transport: NewRoundTripper(Config{})}).Get("http://" + garbage)
	if !errors.Is(err, h1.ErrMalformed) || Classify(err) != metrics.ErrProtocol {
		t.Fatalf("lean client: Classify(%v) = %v, want EPROTO by value", err, Classify(err))
	}
}

// TestClassifyNetHTTPChunkErrors: net/http's own errors about a broken
// chunked body have no exported value; they still count as EPROTO, as
// the lean client's do, so that both clients give the same counts.
func TestClassifyNetHTTPChunkErrors(t *testing.T) {
	bodies := map[string]string{
		"bad size":   "zz\r\nok\r\n0\r\n\r\n",
		"huge size":  "fffffffffffffffffff\r\nok\r\n0\r\n\r\n",
		"bare LF":    "2\nok\r\n0\r\n\r\n",
		"no CR LF":   "2\r\nokX0\r\n\r\n",
		"empty size": "\r\nok\r\n0\r\n\r\n",
	}
	for name, chunks := range bodies {
		t.Run(name, func(t *testing.T) {
			addr := rawServer(t, func(c net.Conn) {
				buf := make([]byte, 1024)
				c.Read(buf)
				c.Write([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks))
				c.Close()
			})
			std := &http.Transport{}
			defer std.CloseIdleConnections()
			resp, err := (&http.Client{Transport: std}).Get("http://" + addr)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if err == nil {
				t.Fatal("a broken chunked body read without error")
			}
			if got := Classify(err); got != metrics.ErrProtocol {
				t.Fatalf("Classify(%v) = %v, want EPROTO", err, got)
			}
		})
	}
}

// TestClassifyNetHTTPFramingErrors: net/http's errors about a broken head,
// framing or trailer count as the lean client's do (EPROTO; ECONNCLOSED
// for a close in the trailers), so that a target served through the
// fallback is counted as one served by the lean client.
func TestClassifyNetHTTPFramingErrors(t *testing.T) {
	const ok, chunked = "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n"
	tests := []struct {
		name, reply string
		want        metrics.ErrorKind
	}{
		{"gzip transfer coding", ok + "Transfer-Encoding: gzip\r\n\r\nok", metrics.ErrProtocol},
		{"two transfer codings", ok + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", metrics.ErrProtocol},
		{"conflicting lengths", ok + "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok", metrics.ErrProtocol},
		{"field without colon", ok + "no colon\r\nContent-Length: 2\r\n\r\nok", metrics.ErrProtocol},
		{"control byte in field", ok + "X-A: a\x00b\r\nContent-Length: 2\r\n\r\nok", metrics.ErrProtocol},
		{"head too large", ok + "X-Long: " + strings.Repeat("v", 2<<10) + "\r\n\r\n", metrics.ErrProtocol},
		{"trailer without colon", chunked + "no colon\r\n\r\n", metrics.ErrProtocol},
		{"Trailer field announcing Content-Length", ok + "Transfer-Encoding: chunked\r\nTrailer: Content-Length\r\n\r\n0\r\n\r\n", metrics.ErrProtocol},
		{"close in the trailers", chunked, metrics.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := rawServer(t, func(c net.Conn) {
				c.Read(make([]byte, 1024))
				c.Write([]byte(tt.reply))
				c.Close()
			})
			std := &http.Transport{MaxResponseHeaderBytes: 1 << 10}
			defer std.CloseIdleConnections()
			resp, err := (&http.Client{Transport: std}).Get("http://" + addr)
			if err == nil {
				_, err = io.ReadAll(resp.Body)
				resp.Body.Close()
			}
			if got := Classify(err); got != tt.want {
				t.Fatalf("Classify(%v) = %v, want %v", err, got, tt.want)
			}
		})
	}
}
