//go:build linux

package h1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// idleEnd is what a server does to a connection once it has answered the
// first request on it.
type idleEnd struct {
	name   string
	after  string // written after the first response
	reset  bool   // close with RST rather than FIN
	linger bool   // keep the connection open after writing
}

var idleEnds = []idleEnd{
	{name: "close"},
	{name: "reset", reset: true},
	{name: "408 then close", after: "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"},
	{name: "408 kept open", after: "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n", linger: true},
	{name: "stray bytes", after: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale", linger: true},
}

// idleServer answers every request; after the first response on its
// first connection, once poked (when the client has read that response,
// so that what follows reaches the idle socket rather than the response's
// read buffer), it ends the connection as e says. It counts the requests
// and connections.
type idleServer struct {
	addr              string
	handled, accepted atomic.Int64
	poke              chan struct{}
}

func newIdleServer(t *testing.T, e idleEnd) *idleServer {
	s := &idleServer{poke: make(chan struct{}, 1)}
	s.addr = rawServer(t, func(c net.Conn) {
		first := s.accepted.Add(1) == 1
		br := bufio.NewReader(c)
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			s.handled.Add(1)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			if first {
				s.end(c, br, e)
				return
			}
		}
	})
	return s
}

func (s *idleServer) end(c net.Conn, br *bufio.Reader, e idleEnd) {
	<-s.poke
	io.WriteString(c, e.after)
	if e.reset {
		c.(*net.TCPConn).SetLinger(0)
		return
	}
	if !e.linger {
		c.(*net.TCPConn).CloseWrite()
	}
	io.Copy(io.Discard, br) // until the client closes its end
}

// TestIdleCheck ends an idle pooled connection in each way a server does,
// then sends a request of each kind: it must go out on a new connection
// and get its own response, never the stale one nor a closed connection's
// error; as with net/http, whose read loop on idle connections closes
// them.
func TestIdleCheck(t *testing.T) {
	// A POST, which cannot be sent twice, looks at once; a GET only at
	// connections idle for freshIdle or more.
	kinds := []struct {
		name    string
		careful bool
		send    func(t *testing.T, tr *Transport, url string) (int, error)
	}{
		{"RoundTrip GET", false, func(t *testing.T, tr *Transport, url string) (int, error) {
			return sendOnce(tr, "GET", url, nil)
		}},
		{"RoundTrip POST", true, func(t *testing.T, tr *Transport, url string) (int, error) {
			return sendOnce(tr, "POST", url, io.NopCloser(strings.NewReader("data")))
		}},
		{"Exchange POST", true, func(t *testing.T, tr *Transport, url string) (int, error) {
			r, err := tr.Exchange(context.Background(), prepared(t, "POST", url, "data", nil), time.Time{}, 0)
			return r.Status, err
		}},
	}
	for _, e := range idleEnds {
		for _, k := range kinds {
			t.Run(e.name+"/"+k.name, func(t *testing.T) {
				srv := newIdleServer(t, e)
				url := "http://" + srv.addr + "/"
				var sock *net.TCPConn
				tr := newTransport(t, &Transport{Dial: keepFirst(&sock)})
				if status, err := k.send(t, tr, url); err != nil || status != 200 {
					t.Fatalf("first request: %d, %v", status, err)
				}
				srv.poke <- struct{}{}
				waitReadable(t, sock)
				if !k.careful {
					time.Sleep(freshIdle) // a connection idle for less is reused unseen
				}
				status, err := k.send(t, tr, url)
				if err != nil || status != 200 || srv.handled.Load() != 2 || srv.accepted.Load() != 2 {
					t.Errorf("second request: %d, %v; server handled %d requests on %d connections, want 200 and 2 on 2",
						status, err, srv.handled.Load(), srv.accepted.Load())
				}
			})
		}
	}
}

// TestIdleCheckNetHTTP is the same through net/http, which the test
// waits for until it closes the stale connection itself: both clients
// must come to the same.
func TestIdleCheckNetHTTP(t *testing.T) {
	for _, e := range idleEnds {
		t.Run(e.name, func(t *testing.T) {
			srv := newIdleServer(t, e)
			var sock *net.TCPConn
			std := &http.Transport{DisableCompression: true, DialContext: keepFirst(&sock)}
			defer std.CloseIdleConnections()
			url := "http://" + srv.addr + "/"
			if status, err := sendOnce(std, "POST", url, io.NopCloser(strings.NewReader("data"))); err != nil || status != 200 {
				t.Fatalf("first request: %d, %v", status, err)
			}
			srv.poke <- struct{}{}
			waitClosed(t, sock)
			status, err := sendOnce(std, "POST", url, io.NopCloser(strings.NewReader("data")))
			if err != nil || status != 200 || srv.handled.Load() != 2 || srv.accepted.Load() != 2 {
				t.Errorf("second request: %d, %v; server handled %d requests on %d connections, want 200 and 2 on 2",
					status, err, srv.handled.Load(), srv.accepted.Load())
			}
		})
	}
}

// keepFirst dials TCP and keeps the first connection it made in *sock,
// for the test to look at the client's end.
func keepFirst(sock **net.TCPConn) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if *sock == nil && err == nil {
			*sock = c.(*net.TCPConn)
		}
		return c, err
	}
}

// waitClosed waits until the client has closed its socket.
func waitClosed(t *testing.T, c *net.TCPConn) {
	t.Helper()
	raw, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); raw.Control(func(uintptr) {}) == nil; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the client never closed the stale connection")
		}
	}
}

func sendOnce(rt http.RoundTripper, method, url string, body io.Reader) (int, error) {
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return 0, err
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return resp.StatusCode, err
}

// waitReadable waits until the client's socket has something to say: the
// server's bytes, its close or its reset. The test looks for itself, so
// that it does not depend on the transport's own check.
func waitReadable(t *testing.T, c *net.TCPConn) {
	t.Helper()
	raw, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		var rerr error
		raw.Control(func(fd uintptr) {
			_, _, rerr = syscall.Recvfrom(int(fd), buf, syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		})
		if rerr != syscall.EAGAIN {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the server's bytes or close never arrived")
		}
	}
}

// TestFreshIdleUnseen pins the deliberate difference of doc.go: a
// connection back in the pool for less than freshIdle is reused without
// a look, so a GET on it takes what the server wrote there unasked for
// its response. net/http, whose read loop saw the bytes arrive on an idle
// connection, would have closed it. A POST looks however fresh the
// connection. The second request is dated from the moment the first
// ended (Exchange's start), so that the connection is fresh to it however
// long the server's bytes take to arrive.
func TestFreshIdleUnseen(t *testing.T) {
	const stray = "HTTP/1.1 299 Stale\r\nContent-Length: 0\r\n\r\n"
	for _, tt := range []struct {
		method, body string
		want         int
	}{{"GET", "", 299}, {"POST", "data", 200}} {
		t.Run(tt.method, func(t *testing.T) {
			srv := newIdleServer(t, idleEnd{after: stray, linger: true})
			url := "http://" + srv.addr + "/"
			var sock *net.TCPConn
			tr := newTransport(t, &Transport{Dial: keepFirst(&sock)})
			if r, err := tr.Exchange(context.Background(), prepared(t, tt.method, url, tt.body, nil), time.Time{}, 0); err != nil || r.Status != 200 {
				t.Fatalf("first request: %+v, %v", r, err)
			}
			start := time.Now()
			srv.poke <- struct{}{}
			waitReadable(t, sock)
			r, err := tr.Exchange(context.Background(), prepared(t, tt.method, url, tt.body, nil), start, 0)
			if err != nil || r.Status != tt.want {
				t.Errorf("second request: %+v, %v; want status %d", r, err, tt.want)
			}
		})
	}
}
