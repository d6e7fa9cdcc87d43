package engine

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// wireReplies are what the counting server answers, by request path:
// every way a response can be framed, and a redirect.
var wireReplies = map[string]string{
	"/length":   "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
	"/chunked":  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n",
	"/interim":  "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
	"/empty":    "HTTP/1.1 204 No Content\r\n\r\n",
	"/redirect": "HTTP/1.1 302 Found\r\nLocation: /length\r\nContent-Length: 0\r\n\r\n",
}

// byteServer answers from wireReplies and counts the bytes on its
// sockets: what it read, and what it wrote (counted before the write, so
// that a client that has read them finds them counted).
type byteServer struct {
	url           string
	read, written atomic.Int64
}

func newByteServer(t *testing.T) *byteServer {
	s := &byteServer{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { defer c.Close(); s.serve(c) })
		}
	})
	s.url = "http://" + l.Addr().String()
	return s
}

func (s *byteServer) serve(c net.Conn) {
	br := bufio.NewReader(readCounter{c, &s.read})
	for {
		c.SetReadDeadline(time.Now().Add(30 * time.Second)) // a safety net only
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		reply := wireReplies[req.URL.Path]
		if req.Method == http.MethodHead {
			reply = reply[:strings.LastIndex(reply, "\r\n\r\n")+4]
		}
		s.written.Add(int64(len(reply)))
		if _, err := io.WriteString(c, reply); err != nil {
			return
		}
	}
}

type readCounter struct {
	r io.Reader
	n *atomic.Int64
}

func (r readCounter) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n.Add(int64(n))
	return n, err
}

// bytesRun sends each prepared request once from one VU, over the lean
// path (Send) or the general one (Do), and returns the totals.
func bytesRun(t *testing.T, lean bool, ps []*Prepared) metrics.Stats {
	t.Helper()
	res, err := Run(context.Background(), Test{
		Phases: []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 1, Duration: time.Second}},
		Scenarios: []Scenario{{Name: "bytes", Run: func(_ context.Context, vu *VU) error {
			for _, p := range ps {
				var err error
				if lean {
					err = vu.Send(0, p)
				} else {
					_, err = vu.Do(0, p.request(), false)
				}
				if err != nil {
					return err
				}
			}
			return nil
		}}},
		Conns: Shared,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Final.VUs.Completed != 1 || res.Final.Total.Errors != 0 {
		t.Fatalf("VUs %+v, errors %v", res.Final.VUs, res.Final.Total.Kinds)
	}
	return res.Final.Total
}

// TestBytesSameOnBothPaths sends the same requests over the lean path
// and the general one: both must count exactly what the server counted
// on its sockets.
func TestBytesSameOnBothPaths(t *testing.T) {
	type req struct{ method, path, body string }
	reqs := []req{{"GET", "/length", ""}, {"GET", "/chunked", ""}, {"GET", "/interim", ""}, {"GET", "/empty", ""},
		{"HEAD", "/length", ""}, {"POST", "/length", "a body"}, {"GET", "/redirect", ""}}
	for _, lean := range []bool{true, false} {
		srv := newByteServer(t)
		var ps []*Prepared
		for _, r := range reqs {
			u, _ := url.Parse(srv.url + r.path)
			ps = append(ps, Prepare(r.method, u, http.Header{"User-Agent": {"surge-test"}}, []byte(r.body)))
		}
		got := bytesRun(t, lean, ps)
		if got.BytesSent != srv.read.Load() || got.BytesRecv != srv.written.Load() {
			t.Errorf("lean %v: sent %d, received %d; the server read %d and wrote %d",
				lean, got.BytesSent, got.BytesRecv, srv.read.Load(), srv.written.Load())
		}
	}
}

// TestBytesReconstructed checks the count of what goes through net/http:
// for Content-Length bodies without interim responses, the reconstructed
// HTTP/1.1 bytes are what the server counted.
func TestBytesReconstructed(t *testing.T) {
	srv := newByteServer(t)
	client := &http.Client{Transport: transport.New(transport.Config{})}
	defer client.CloseIdleConnections()
	for _, r := range []struct{ method, path, body string }{
		{"GET", "/length", ""}, {"POST", "/length", "a body"}, {"HEAD", "/length", ""}, {"GET", "/redirect", ""}, {"GET", "/empty", ""},
	} {
		read, written := srv.read.Load(), srv.written.Load()
		var body io.Reader
		if r.body != "" {
			body = strings.NewReader(r.body)
		}
		req, _ := http.NewRequest(r.method, srv.url+r.path, body)
		req.Header.Set("X-Test", "1")
		hr, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, hr.Body)
		hr.Body.Close()
		sent, recv := exchangedBytes(hr, n)
		if wantS, wantR := srv.read.Load()-read, srv.written.Load()-written; sent != wantS || recv != wantR {
			t.Errorf("%s %s: sent %d, received %d; the server read %d and wrote %d", r.method, r.path, sent, recv, wantS, wantR)
		}
	}
}
