package h1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// parseLean reads one response from raw as Exchange does: the lean head,
// then the body counted and dropped.
func parseLean(raw, method string, bufSize int) (leanHead, int64, error) {
	br := bufio.NewReaderSize(strings.NewReader(raw), bufSize)
	p := headParser{max: 1024}
	h, err := p.readLean(br, method, mapToAct)
	if err != nil || h.kind == bodyNone {
		return h, 0, err
	}
	b := &body{}
	b.init(br, nil, h.kind, h.length, false, 0)
	n, err := b.discard()
	return h, n, err
}

// TestLeanParseAgrees checks the lean head against the full parser on
// every response shape the full parser is tested with.
func TestLeanParseAgrees(t *testing.T) {
	for _, tt := range parseTests {
		for _, size := range []int{16, 4096} {
			resp, body, err := parse(tt.raw, tt.method, size)
			if err != nil {
				t.Fatalf("%s: full parser: %v", tt.name, err)
			}
			h, n, err := parseLean(tt.raw, tt.method, size)
			if err != nil {
				t.Errorf("%s (buffer %d): %v", tt.name, size, err)
				continue
			}
			if h.status != resp.StatusCode || h.closes != resp.Close || n != int64(len(body)) {
				t.Errorf("%s (buffer %d): lean status %d closes %v body %d, full %d %v %d",
					tt.name, size, h.status, h.closes, n, resp.StatusCode, resp.Close, len(body))
			}
			if head := int64(len(tt.raw) - len(body)); tt.want.te == nil && h.bytes != head { // chunk framing is not body
				t.Errorf("%s: head bytes %d, want %d", tt.name, h.bytes, head)
			}
			if wantMap := strings.Contains(strings.ToLower(tt.raw), "set-cookie"); (h.header != nil) != wantMap {
				t.Errorf("%s: header map %v, want one: %v", tt.name, h.header, wantMap)
			}
		}
	}
}

func TestLeanParseMalformed(t *testing.T) {
	for _, tt := range malformedTests {
		_, _, err := parseLean(tt.raw, "GET", 64)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want malformed HTTP response", tt.name, err)
		}
	}
}

func prepared(t *testing.T, method, rawURL, body string, header http.Header) *Prepared {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Prepare(&http.Request{Method: method, URL: u, Host: u.Host, Header: header}, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPreparedWire(t *testing.T) {
	p := prepared(t, "POST", "http://127.0.0.1:8080/a%20b?x=1", "hello", http.Header{"X-B": {"2"}, "X-A": {"1"}})
	want := "POST /a%20b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-A: 1\r\nX-B: 2\r\nContent-Length: 5\r\n\r\nhello"
	if got := string(p.wire); got != want || p.Size() != len(want) {
		t.Errorf("wire %q (size %d), want %q", got, p.Size(), want)
	}
	for _, raw := range []string{"https://127.0.0.1/", "ws://127.0.0.1/"} {
		u, _ := url.Parse(raw)
		if _, err := Prepare(&http.Request{Method: "GET", URL: u}, nil); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err = %v, want ErrUnsupported", raw, err)
		}
	}
}

func TestExchange(t *testing.T) { eachRead(t, testExchange) }

func testExchange(t *testing.T, dial dialFunc) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, &Transport{Dial: dial})
	big := strings.Repeat("x", 300<<10)
	tests := []struct {
		method, path, body string
		status             int
		minBytes           int64 // at least the body; the head comes on top
		header             bool
	}{
		{"GET", "/length", "", 200, 5, false},
		{"GET", "/chunked", "", 200, 5, false},
		{"GET", "/trailers", "", 200, 5, false},
		{"GET", "/big", "", 200, 1 << 20, false},
		{"PUT", "/echo", big, 200, int64(len(big)), false},
		{"HEAD", "/length", "", 200, 0, false},
		{"GET", "/status/204", "", 204, 0, false},
		{"GET", "/status/404", "", 404, 0, false},
		{"GET", "/redirect", "", 302, 0, true},
		{"GET", "/headers", "", 202, 0, true},
	}
	for _, tt := range tests {
		p := prepared(t, tt.method, srv.URL+tt.path, tt.body, nil)
		r, err := tr.Exchange(context.Background(), p, time.Time{}, 5*time.Second)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		if r.Status != tt.status || r.Bytes < tt.minBytes+int64(len("HTTP/1.1 200 OK\r\n\r\n")) || (r.Header != nil) != tt.header {
			t.Errorf("%s %s: status %d, %d bytes, header %v; want %d, > %d bytes, header %v",
				tt.method, tt.path, r.Status, r.Bytes, r.Header, tt.status, tt.minBytes, tt.header)
		}
	}
	if n := srv.opened.Load(); n != 1 {
		t.Errorf("%d connections for %d exchanges, want 1 (keep-alive)", n, len(tests))
	}
	p := prepared(t, "GET", srv.URL+"/close", "", nil)
	if r, err := tr.Exchange(context.Background(), p, time.Time{}, 0); err != nil || r.Status != 200 {
		t.Fatalf("close: %v %v", r, err)
	}
	waitFor(t, "the server's close", func() bool { return srv.closed.Load() == 1 })
}

func TestExchangeRedirectHeader(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, nil)
	r, err := tr.Exchange(context.Background(), prepared(t, "GET", srv.URL+"/redirect", "", nil), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if loc := r.Header.Get("Location"); loc != "/length" {
		t.Errorf("Location %q, want /length", loc)
	}
}

func TestExchangeDeadline(t *testing.T) {
	addr := rawServer(t, stall)
	tr := newTransport(t, nil)
	_, err := tr.Exchange(context.Background(), prepared(t, "GET", "http://"+addr+"/", "", nil), time.Time{}, 50*time.Millisecond)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
}

// TestExchangeContextTie checks that cancelling the context cuts a request
// short, and closes the connections that sat idle tied to it.
func TestExchangeContextTie(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := tr.Exchange(ctx, prepared(t, "GET", srv.URL+"/length", "", nil), time.Time{}, 0); err != nil {
		t.Fatal(err)
	}
	cancel()
	waitFor(t, "the idle connection to close", func() bool { return srv.closed.Load() == 1 })

	addr := rawServer(t, stall)
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	_, err := tr.Exchange(ctx, prepared(t, "GET", "http://"+addr+"/", "", nil), time.Time{}, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestExchangeThenRoundTrip checks that a connection tied to a context by
// Exchange serves an ordinary RoundTrip under another context.
func TestExchangeThenRoundTrip(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := tr.Exchange(ctx, prepared(t, "GET", srv.URL+"/length", "", nil), time.Time{}, 0); err != nil {
		t.Fatal(err)
	}
	if _, body := mustDo(t, tr, "GET", srv.URL+"/length", ""); body != "hello" {
		t.Fatalf("body %q", body)
	}
	cancel() // no longer tied: the connection must stay open
	if _, err := tr.Exchange(context.Background(), prepared(t, "GET", srv.URL+"/length", "", nil), time.Time{}, 0); err != nil {
		t.Fatal(err)
	}
	if n := srv.opened.Load(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func TestExchangeProxy(t *testing.T) {
	proxy, _ := url.Parse("http://127.0.0.1:1")
	var asked atomic.Int64
	tr := newTransport(t, &Transport{Proxy: func(*http.Request) (*url.URL, error) { asked.Add(1); return proxy, nil }})
	p := prepared(t, "GET", "http://127.0.0.1:2/", "", nil)
	for range 3 {
		if _, err := tr.Exchange(context.Background(), p, time.Time{}, 0); !errors.Is(err, ErrUnsupported) {
			t.Fatalf("err = %v, want ErrUnsupported", err)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("Proxy asked %d times, want once per host", n)
	}
}

func TestExchangeTruncated(t *testing.T) {
	addr := rawServer(t, replyRaw("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"))
	tr := newTransport(t, nil)
	_, err := tr.Exchange(context.Background(), prepared(t, "GET", "http://"+addr+"/", "", nil), time.Time{}, 0)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestResponseInPieces sends a response in several writes with pauses, so
// that the first read (into the prefill buffer) holds only part of it.
func TestResponseInPieces(t *testing.T) {
	pieces := []string{"HTTP/1.1 20", "0 OK\r\nContent-Le", "ngth: 5\r\n\r\nhe", "llo"}
	addr := rawServer(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		for readHead(br) == nil {
			for _, p := range pieces {
				time.Sleep(5 * time.Millisecond)
				io.WriteString(c, p)
			}
		}
	})
	tr := newTransport(t, nil)
	if _, body := mustDo(t, tr, "GET", "http://"+addr+"/", ""); body != "hello" {
		t.Fatalf("RoundTrip body %q", body)
	}
	r, err := tr.Exchange(context.Background(), prepared(t, "GET", "http://"+addr+"/", "", nil), time.Time{}, 0)
	if err != nil || r.Status != 200 || r.Bytes != int64(len(strings.Join(pieces, ""))) {
		t.Fatalf("Exchange: %+v, %v", r, err)
	}
}
