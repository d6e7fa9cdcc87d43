package h1

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingConn counts the bytes a server reads and writes on its socket.
type countingConn struct {
	net.Conn
	read, written *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// Write counts the bytes before they go, so that a client that has read
// them finds them counted; a short write takes the rest back.
func (c countingConn) Write(p []byte) (int, error) {
	c.written.Add(int64(len(p)))
	n, err := c.Conn.Write(p)
	c.written.Add(int64(n - len(p)))
	return n, err
}

// wireReplies are what wireServer answers, by request path: every way a
// response can be framed.
var wireReplies = map[string]string{
	"/length":   "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	"/chunked":  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n",
	"/interim":  "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
	"/empty":    "HTTP/1.1 204 No Content\r\n\r\n",
	"/redirect": "HTTP/1.1 302 Found\r\nLocation: /length\r\nContent-Length: 0\r\n\r\n",
	"/cookie":   "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length: 3\r\n\r\nyum",
}

// wireServer answers requests by path from wireReplies (HEAD gets the
// head only), counting the bytes on its sockets.
func wireServer(t *testing.T, read, written *atomic.Int64) string {
	return rawServer(t, func(nc net.Conn) {
		c := countingConn{nc, read, written}
		br := bufio.NewReader(c)
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			reply := wireReplies[req.URL.Path]
			if req.Method == http.MethodHead {
				reply = reply[:strings.LastIndex(reply, "\r\n\r\n")+4]
			}
			io.WriteString(c, reply)
		}
	})
}

// TestWireBytes sends requests of every shape through RoundTrip and
// Exchange and checks the bytes each reports against what the server
// counted on its sockets.
func TestWireBytes(t *testing.T) {
	type req struct{ method, path, body string }
	reqs := []req{
		{"GET", "/length", ""}, {"GET", "/chunked", ""}, {"GET", "/interim", ""}, {"GET", "/empty", ""},
		{"HEAD", "/length", ""}, {"POST", "/length", "a body"}, {"GET", "/redirect", ""}, {"GET", "/cookie", ""},
	}
	var read, written atomic.Int64
	url := "http://" + wireServer(t, &read, &written)
	tr := newTransport(t, nil)
	for _, r := range reqs {
		for _, path := range []string{"RoundTrip", "Exchange"} {
			before, beforeW := read.Load(), written.Load()
			var sent, recv int64
			if path == "Exchange" {
				reply, err := tr.Exchange(context.Background(), prepared(t, r.method, url+r.path, r.body, nil), time.Time{}, 0)
				if err != nil {
					t.Fatal(err)
				}
				sent, recv = reply.Sent, reply.Bytes
			} else {
				var body io.Reader
				if r.body != "" {
					body = strings.NewReader(r.body)
				}
				resp, err := tr.RoundTrip(mustRequestBody(t, r.method, url+r.path, body))
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				sent, recv = resp.Body.(Counted).WireBytes()
			}
			// The server has read the whole request before it answers, and
			// written the whole response before the client could read it.
			if gotR, gotW := read.Load()-before, written.Load()-beforeW; sent != gotR || recv != gotW {
				t.Errorf("%s %s %s: sent %d, received %d; the server read %d and wrote %d",
					path, r.method, r.path, sent, recv, gotR, gotW)
			}
		}
	}
}

func mustRequestBody(t testing.TB, method, url string, body io.Reader) *http.Request {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestWireBytesOnError checks the counts of a request whose response was
// cut short: what was written and read, on both paths.
func TestWireBytesOnError(t *testing.T) {
	var read, written atomic.Int64
	addr := rawServer(t, func(nc net.Conn) {
		c := countingConn{nc, &read, &written}
		if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Le")
		}
	})
	tr := newTransport(t, nil)
	reply, err := tr.Exchange(context.Background(), prepared(t, "POST", "http://"+addr+"/", "data", nil), time.Time{}, 0)
	if err == nil || reply.Sent != read.Load() || reply.Bytes != written.Load() {
		t.Errorf("Exchange: %v, sent %d received %d; the server read %d and wrote %d", err, reply.Sent, reply.Bytes, read.Load(), written.Load())
	}
	read.Store(0)
	written.Store(0)
	_, err = tr.RoundTrip(mustRequestBody(t, "POST", "http://"+addr+"/", strings.NewReader("data")))
	var c Counted
	if !errors.As(err, &c) {
		t.Fatalf("RoundTrip: err %v carries no counts", err)
	}
	if sent, recv := c.WireBytes(); sent != read.Load() || recv != written.Load() {
		t.Errorf("RoundTrip: sent %d received %d; the server read %d and wrote %d", sent, recv, read.Load(), written.Load())
	}
}

// TestWireBytesNothingSent checks that a request refused before it was
// written says it sent nothing.
func TestWireBytesNothingSent(t *testing.T) {
	req := mustRequestBody(t, "POST", "http://127.0.0.1:1/", nil)
	req.ContentLength = 5 // and no body: refused before anything is dialled
	_, err := newTransport(t, nil).RoundTrip(req)
	var c Counted
	if !errors.As(err, &c) {
		t.Fatalf("err %v carries no counts", err)
	}
	if sent, recv := c.WireBytes(); sent != 0 || recv != 0 {
		t.Errorf("sent %d, received %d for a request never written", sent, recv)
	}
}
