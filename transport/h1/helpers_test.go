package h1

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawServer accepts connections on 127.0.0.1 and hands each to handle.
// Cleanup closes the listener and every connection, and waits for the
// handlers to return.
func rawServer(t testing.TB, handle func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		conns []net.Conn
	)
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Go(func() { defer c.Close(); handle(c) })
		}
	})
	return l.Addr().String()
}

// replyRaw is a raw handler that reads one request head per response in
// replies and writes the response verbatim; it then closes the connection.
func replyRaw(replies ...string) func(net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		for _, r := range replies {
			if readHead(br) != nil {
				return
			}
			if _, err := io.WriteString(c, r); err != nil {
				return
			}
		}
	}
}

// readHead reads a request head (no body) from br.
func readHead(br *bufio.Reader) error {
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return err
		}
		if line == "\r\n" {
			return nil
		}
	}
}

// stall reads one request head and then says nothing until the client
// goes away.
func stall(c net.Conn) {
	readHead(bufio.NewReader(c))
	io.Copy(io.Discard, c)
}

// countServer is an httptest server that counts the connections it sees.
type countServer struct {
	*httptest.Server
	opened atomic.Int64
	closed atomic.Int64
	open   atomic.Int64
	peak   atomic.Int64
}

func newCountServer(t testing.TB, h http.Handler) *countServer {
	s := &countServer{}
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.opened.Add(1)
			n := s.open.Add(1)
			for p := s.peak.Load(); n > p && !s.peak.CompareAndSwap(p, n); p = s.peak.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			s.closed.Add(1)
			s.open.Add(-1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// hiddenConn hides a socket behind a net.Conn: the transport reads it as
// it reads every connection on Windows (useRaw).
type hiddenConn struct{ net.Conn }

// dialFunc is Transport.Dial's type.
type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// dialHidden is a Transport.Dial whose connections are hidden.
func dialHidden(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := dialer.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return hiddenConn{c}, nil
}

// eachRead runs a test of round trips once per way of reading a
// connection: "socket" dials as the transport does, which on Unix reads
// the socket itself (rawread_unix.go), and "generic" hides the socket,
// which is how Windows reads every connection (rawread_other.go).
func eachRead(t *testing.T, test func(t *testing.T, dial dialFunc)) {
	t.Run("socket", func(t *testing.T) { test(t, nil) })
	t.Run("generic", func(t *testing.T) { test(t, dialHidden) })
}

func newTransport(t testing.TB, tr *Transport) *Transport {
	if tr == nil {
		tr = &Transport{}
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// do sends a request and reads the whole body.
func do(t testing.TB, rt http.RoundTripper, method, url, body string) (*http.Response, string, error) {
	t.Helper()
	return doCtx(t, context.Background(), rt, method, url, body)
}

func doCtx(t testing.TB, ctx context.Context, rt http.RoundTripper, method, url, body string) (*http.Response, string, error) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// mustDo is do that fails the test on error.
func mustDo(t testing.TB, rt http.RoundTripper, method, url, body string) (*http.Response, string) {
	t.Helper()
	resp, b, err := do(t, rt, method, url, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return resp, b
}

// waitFor polls cond for up to a second.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}
