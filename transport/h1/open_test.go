package h1

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// opened is what one Open exchange gave: comparable with RoundTrip's.
type opened struct {
	Status     int
	Header     http.Header
	Body       string
	Sent, Recv int64
}

// roundTripCounted is roundTripFor with the byte counts.
func roundTripCounted(t *testing.T, rt http.RoundTripper, req *http.Request, body string) opened {
	t.Helper()
	r := req.Clone(context.Background())
	if body != "" {
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	}
	resp, err := rt.RoundTrip(r)
	if err != nil {
		t.Fatalf("RoundTrip %s %s: %v", req.Method, req.URL, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	sent, recv := resp.Body.(Counted).WireBytes()
	resp.Header.Del("Date")
	return opened{resp.StatusCode, resp.Header, string(b), sent, recv}
}

// openCounted sends req through one reused Prepared and Body.
func openCounted(t *testing.T, tr *Transport, p *Prepared, into *Body, req *http.Request, body string) opened {
	t.Helper()
	if err := p.Reset(req, []byte(body)); err != nil {
		t.Fatal(err)
	}
	r, err := tr.Open(context.Background(), p, time.Time{}, 5*time.Second, into)
	if err != nil {
		t.Fatalf("Open %s %s: %v", req.Method, req.URL, err)
	}
	b, err := io.ReadAll(into)
	into.Close()
	if err != nil {
		t.Fatal(err)
	}
	sent, recv := into.WireBytes()
	r.Header.Del("Date")
	return opened{r.Status, r.Header, string(b), sent, recv}
}

// TestOpenAgreesWithRoundTrip sends requests of every framing through
// RoundTrip and through Reset and Open (one Prepared and one Body for
// all, and two servers, so that Reset must move to the other host's
// pool): status, header map, body and byte counts must be equal.
func TestOpenAgreesWithRoundTrip(t *testing.T) { eachRead(t, testOpenAgreesWithRoundTrip) }

func testOpenAgreesWithRoundTrip(t *testing.T, dial dialFunc) {
	a, b := newCountServer(t, diffHandler()), newCountServer(t, diffHandler())
	rt, tr := newTransport(t, &Transport{Dial: dial}), newTransport(t, &Transport{Dial: dial})
	var p Prepared
	var into Body
	big := strings.Repeat("x", 300<<10)
	steps := []struct{ method, url, body string }{
		{"GET", a.URL + "/length", ""}, {"GET", b.URL + "/chunked", ""}, {"GET", a.URL + "/trailers", ""},
		{"HEAD", b.URL + "/length", ""}, {"GET", a.URL + "/big", ""}, {"POST", b.URL + "/echo", "small body"},
		{"PUT", a.URL + "/echo", big}, {"POST", a.URL + "/echo", ""}, {"GET", b.URL + "/headers", ""},
		{"GET", a.URL + "/redirect", ""}, {"GET", a.URL + "/status/204", ""}, {"GET", b.URL + "/status/500", ""},
		{"GET", a.URL + "/close", ""}, {"DELETE", b.URL + "/length?x=1&y=%20", ""},
	}
	for _, s := range steps {
		u, _ := url.Parse(s.url)
		req := &http.Request{Method: s.method, URL: u, Host: u.Host, Header: http.Header{"x-test": {"hi"}}}
		want := roundTripCounted(t, rt, req, s.body)
		got := openCounted(t, tr, &p, &into, req, s.body)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s:\nOpen:      %.300v\nRoundTrip: %.300v", s.method, s.url, got, want)
		}
	}
	if a.opened.Load() != 2 || b.opened.Load() != 2 { // one for RoundTrip, one for Open
		t.Errorf("connections: %d and %d, want 2 and 2 (kept alive, each request to its host)", a.opened.Load(), b.opened.Load())
	}
}

// requestRecorder answers every request with an empty 200 and sends the
// bytes of each request (head and Content-Length body) to got.
func requestRecorder(got chan<- string) func(net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		for {
			var req bytes.Buffer
			length := 0
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				req.WriteString(line)
				if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
					length, _ = strconv.Atoi(strings.TrimSpace(v))
				}
				if line == "\r\n" {
					break
				}
			}
			if _, err := io.CopyN(&req, br, int64(length)); err != nil {
				return
			}
			got <- req.String()
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); err != nil {
				return
			}
		}
	}
}

// TestResetWritesWhatRoundTripWrites compares the bytes on the wire.
func TestResetWritesWhatRoundTripWrites(t *testing.T) {
	got := make(chan string, 2)
	addr := rawServer(t, requestRecorder(got))
	rt, tr := newTransport(t, nil), newTransport(t, nil)
	u, _ := url.Parse("http://" + addr + "/a%20b/c?q=x%20y&r")
	header := http.Header{"authorization": {"Bearer t"}, "User-Agent": {""}, "x-b": {" padded "},
		"X-A": {"1", "2"}, "content-type": {"application/json"}, "Content-Length": {"99"}}
	for _, method := range []string{"POST", "GET", "PUT"} {
		body := ""
		if method != "GET" {
			body = `{"user":"ann"}`
		}
		req := &http.Request{Method: method, URL: u, Host: "example.test", Header: header}
		roundTripCounted(t, rt, req, body)
		openCounted(t, tr, &Prepared{}, &Body{}, req, body)
		if want, got := <-got, <-got; got != want {
			t.Errorf("%s:\nReset:     %q\nRoundTrip: %q", method, got, want)
		}
	}
	var p Prepared
	for _, bad := range []http.Header{{"X-Bad": {"a\nb"}}, {"Bad Name": {"v"}}} {
		req := &http.Request{Method: "GET", URL: u, Header: bad}
		if p.Reset(req, nil) == nil {
			t.Errorf("Reset took header %q", bad)
		}
	}
}
