package h1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// response is what the differential test compares: everything but Date
// and the trailers, which this transport drops.
type response struct {
	Status, Proto    string
	StatusCode       int
	Header           http.Header
	ContentLength    int64
	Close            bool
	TransferEncoding []string
	Body             string
}

func roundTripFor(t *testing.T, rt http.RoundTripper, method, url, body string, hdr http.Header) response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatalf("%T: %s %s: %v", rt, method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%T: %s %s: reading body: %v", rt, method, url, err)
	}
	resp.Header.Del("Date")
	return response{resp.Status, resp.Proto, resp.StatusCode, resp.Header, resp.ContentLength,
		resp.Close, resp.TransferEncoding, string(b)}
}

func diffHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", bodiesHandler())
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Set-Cookie"] = []string{"a=1", "b=2"}
		h.Set("X-Echo", r.Header.Get("X-Test"))
		h.Set("X-Empty", "")
		h.Set("Cache-Control", "no-cache, no-store")
		w.WriteHeader(http.StatusAccepted)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/length", http.StatusFound)
	})
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "fresh")
	})
	return mux
}

func TestDifferential(t *testing.T) { eachRead(t, testDifferential) }

func testDifferential(t *testing.T, dial dialFunc) {
	srv := newCountServer(t, diffHandler())
	h1 := newTransport(t, &Transport{Dial: dial})
	std := &http.Transport{DisableCompression: true}
	t.Cleanup(std.CloseIdleConnections)
	big := strings.Repeat("x", 300<<10)
	steps := []struct {
		method, path, body string
		header             http.Header
	}{
		{"GET", "/length", "", nil},
		{"GET", "/chunked", "", nil},
		{"GET", "/trailers", "", nil},
		{"HEAD", "/length", "", nil},
		{"HEAD", "/chunked", "", nil},
		{"GET", "/big", "", nil},
		{"POST", "/echo", "small body", nil},
		{"PUT", "/echo", big, nil},
		{"POST", "/echo", "", nil},
		{"POST", "/echo", "expect", http.Header{"Expect": {"100-continue"}}},
		{"GET", "/headers", "", http.Header{"X-Test": {"hi"}}},
		{"GET", "/redirect", "", nil},
		{"GET", "/etag", "", nil},
		{"GET", "/etag", "", http.Header{"If-None-Match": {`"v1"`}}},
		{"GET", "/status/204", "", nil},
		{"GET", "/status/500", "", nil},
		{"GET", "/missing", "", nil},
		{"GET", "/close", "", nil},
		{"DELETE", "/length?x=1&y=%20", "", nil},
	}
	for _, s := range steps {
		want := roundTripFor(t, std, s.method, srv.URL+s.path, s.body, s.header)
		got := roundTripFor(t, h1, s.method, srv.URL+s.path, s.body, s.header)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s:\nh1:       %.300v\nnet/http: %.300v", s.method, s.path, got, want)
		}
	}
}

// TestDifferentialRaw sends each client a request to a server answering
// with bytes no standard server would write, and compares what both
// clients make of them.
func TestDifferentialRaw(t *testing.T) {
	tests := []struct{ name, reply string }{
		{"obs-fold", "HTTP/1.1 200 OK\r\nX-Folded: one\r\n two\r\n\tthree\r\nContent-Length: 2\r\n\r\nok"},
		{"obs-fold in framing", "HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\nConnection: keep-alive,\r\n close\r\n\r\nok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "http://" + rawServer(t, replyRaw(tt.reply))
			std := &http.Transport{DisableCompression: true}
			defer std.CloseIdleConnections()
			want := roundTripFor(t, std, "GET", url, "", nil)
			got := roundTripFor(t, newTransport(t, nil), "GET", url, "", nil)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("\nh1:       %+v\nnet/http: %+v", got, want)
			}
			r, err := newTransport(t, nil).Exchange(context.Background(), prepared(t, "GET", url, "", nil), time.Time{}, 0)
			if err != nil || r.Status != want.StatusCode {
				t.Errorf("Exchange: %+v, %v; want status %d", r, err, want.StatusCode)
			}
		})
	}
}

// TestTrailersDropped: trailers are checked and dropped (doc.go), where
// net/http reports them in Response.Trailer.
func TestTrailersDropped(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	std := &http.Transport{DisableCompression: true}
	t.Cleanup(std.CloseIdleConnections)
	for _, rt := range []http.RoundTripper{std, newTransport(t, nil)} {
		resp, err := rt.RoundTrip(mustRequest(t, "GET", srv.URL+"/trailers"))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if _, lean := rt.(*Transport); (resp.Trailer == nil) != lean {
			t.Errorf("%T: Trailer %v", rt, resp.Trailer)
		}
	}
}

// TestExpectContinueNotAwaited: a request with Expect: 100-continue is
// written whole at once (doc.go), where net/http waits for the 100
// Continue, up to its ExpectContinueTimeout, before it sends the body.
func TestExpectContinueNotAwaited(t *testing.T) {
	// The server ignores Expect: it never says 100, and waits for the body.
	addr := rawServer(t, func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	send := func(rt http.RoundTripper, timeout time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/", strings.NewReader("data"))
		req.Header.Set("Expect", "100-continue")
		resp, err := rt.RoundTrip(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	std := &http.Transport{ExpectContinueTimeout: time.Hour}
	defer std.CloseIdleConnections()
	if err := send(std, 300*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("net/http: %v; want it to wait for a 100 Continue that never comes", err)
	}
	if err := send(newTransport(t, nil), 10*time.Second); err != nil {
		t.Fatalf("the body waited for a 100 Continue: %v", err)
	}
}
