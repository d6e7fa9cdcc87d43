package h1

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// bodiesHandler serves the body shapes the transport must frame.
func bodiesHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/length", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5")
		io.WriteString(w, "hello")
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hel")
		w.(http.Flusher).Flush()
		io.WriteString(w, "lo")
	})
	mux.HandleFunc("/trailers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Sum")
		io.WriteString(w, "hello")
		w.Header().Set("X-Sum", "5")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("0123456789abcdef"), 1<<16+3)) // 1 MiB + 48
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		// Read all before replying: net/http's server closes connections
		// whose handler replies with much of the request body unread.
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		w.WriteHeader(code)
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	})
	return mux
}

func TestBodies(t *testing.T) { eachRead(t, testBodies) }

func testBodies(t *testing.T, dial dialFunc) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, &Transport{Dial: dial})
	big := strings.Repeat("0123456789abcdef", 1<<16+3)
	tests := []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"GET", "/length", "", 200, "hello"},
		{"GET", "/chunked", "", 200, "hello"},
		{"GET", "/trailers", "", 200, "hello"},
		{"GET", "/big", "", 200, big},
		{"POST", "/echo", big, 200, big},
		{"HEAD", "/length", "", 200, ""},
		{"HEAD", "/big", "", 200, ""},
		{"GET", "/status/204", "", 204, ""},
		{"GET", "/status/304", "", 304, ""},
		{"GET", "/status/404", "", 404, ""},
	}
	for _, tt := range tests {
		resp, body := mustDo(t, tr, tt.method, srv.URL+tt.path, tt.body)
		if resp.StatusCode != tt.status || body != tt.want {
			t.Errorf("%s %s: %d %.40q, want %d %.40q", tt.method, tt.path, resp.StatusCode, body, tt.status, tt.want)
		}
	}
	if n := srv.opened.Load(); n != 1 {
		t.Errorf("%d connections for %d requests, want 1", n, len(tests))
	}
}

func TestKeepAlive(t *testing.T) { eachRead(t, testKeepAlive) }

func testKeepAlive(t *testing.T, dial dialFunc) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, &Transport{Dial: dial})
	for i := range 30 {
		path := []string{"/length", "/chunked", "/echo"}[i%3]
		if _, body := mustDo(t, tr, "POST", srv.URL+path, "hello"); body != "hello" {
			t.Fatalf("%s: body %q", path, body)
		}
	}
	if n := srv.opened.Load(); n != 1 {
		t.Errorf("%d connections for 30 sequential requests, want 1", n)
	}
}

func TestServerConnectionClose(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, nil)
	for range 3 {
		resp, body := mustDo(t, tr, "GET", srv.URL+"/close", "")
		if !resp.Close || body != "bye" {
			t.Fatalf("Close = %v, body %q", resp.Close, body)
		}
	}
	if n := srv.opened.Load(); n != 3 {
		t.Errorf("%d connections, want 3 (one per request)", n)
	}
	waitFor(t, "closed connections", func() bool { return srv.closed.Load() == 3 })
}

func TestRequestConnectionClose(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, nil)
	for range 2 {
		req, _ := http.NewRequest("GET", srv.URL+"/length", nil)
		req.Close = true
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := srv.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestEarlyClose(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, nil)
	for _, tt := range []struct {
		path  string
		conns int64
	}{
		{"/chunked", 1}, // small rest: drained, connection kept
		{"/length", 1},
		{"/big", 1}, // large rest: connection closed
		{"/length", 2},
	} {
		resp, err := tr.RoundTrip(mustRequest(t, "GET", srv.URL+tt.path))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if _, err := resp.Body.Read(make([]byte, 1)); err == nil {
			t.Errorf("%s: read after Close succeeded", tt.path)
		}
		if n := srv.opened.Load(); n != tt.conns {
			t.Errorf("after %s: %d connections, want %d", tt.path, n, tt.conns)
		}
	}
}

func mustRequest(t testing.TB, method, url string) *http.Request {
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestRawResponses(t *testing.T) {
	tests := []struct {
		name, reply, want string
		close             bool
	}{
		{"until close", "HTTP/1.1 200 OK\r\n\r\nstreamed to the end", "streamed to the end", true},
		{"100 continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", false},
		{"http/1.0", "HTTP/1.0 200 OK\r\n\r\nold", "old", true},
	}
	for _, tt := range tests {
		addr := rawServer(t, replyRaw(tt.reply))
		tr := newTransport(t, nil)
		resp, body := mustDo(t, tr, "POST", "http://"+addr+"/", "x")
		if body != tt.want || resp.Close != tt.close {
			t.Errorf("%s: body %q, Close %v", tt.name, body, resp.Close)
		}
	}
}

func TestMalformedResponse(t *testing.T) {
	addr := rawServer(t, replyRaw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nBad Key: x\r\n\r\nhello"))
	_, _, err := do(t, newTransport(t, nil), "GET", "http://"+addr+"/", "")
	if err == nil || !strings.Contains(err.Error(), "malformed HTTP response") {
		t.Fatalf("err = %v, want malformed HTTP response", err)
	}
}

func TestNoRetryAfterResponseBegan(t *testing.T) {
	addr := rawServer(t, replyRaw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "HTTP/1.1 200 O"))
	tr := newTransport(t, nil)
	mustDo(t, tr, "GET", "http://"+addr+"/", "")
	if _, _, err := do(t, tr, "GET", "http://"+addr+"/", ""); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestIdleTimeout(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, &Transport{IdleTimeout: 30 * time.Millisecond})
	mustDo(t, tr, "GET", srv.URL+"/length", "")
	waitFor(t, "the idle connection to be swept", func() bool { return srv.closed.Load() == 1 })
	mustDo(t, tr, "GET", srv.URL+"/length", "")
	if n := srv.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

func TestMaxIdleConnsPerHost(t *testing.T) {
	srv := newCountServer(t, bodiesHandler())
	tr := newTransport(t, &Transport{MaxIdleConnsPerHost: 1})
	var bodies []io.Closer
	for range 3 { // three at once: three connections
		resp, err := tr.RoundTrip(mustRequest(t, "GET", srv.URL+"/length"))
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, resp.Body)
	}
	for _, b := range bodies {
		b.Close()
	}
	waitFor(t, "surplus idle connections to close", func() bool { return srv.closed.Load() == 2 })
}

// A server that answers and closes without reading a large body still
// gets its response through.
func TestEarlyResponse(t *testing.T) {
	addr := rawServer(t, func(c net.Conn) {
		replyRaw("HTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 0\r\n\r\n")(c)
		time.Sleep(10 * time.Millisecond) // let the response leave before the RST
	})
	resp, _, err := do(t, newTransport(t, nil), "POST", "http://"+addr+"/", strings.Repeat("x", 4<<20))
	if err != nil || resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("err = %v, resp = %v", err, resp)
	}
}
