//go:build linux

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
	"syscall"
	"testing"
	"time"
)

// hangUpOnSecond serves the first request of each connection and then
// reads the second one whole, counts it as handled, and closes the
// connection without answering: a server that processed a request and
// crashed, or timed the connection out just as the request arrived.
func hangUpOnSecond(handled *atomic.Int64) func(net.Conn) {
	return func(c net.Conn) {
		br := bufio.NewReader(c)
		for i := 0; ; i++ {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			handled.Add(1)
			if i == 1 {
				return
			}
			reply := "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
			if req.Method == http.MethodHead {
				reply = strings.TrimSuffix(reply, "ok")
			}
			io.WriteString(c, reply)
		}
	}
}

// outcome is what a client saw of its second request, and how many
// requests the server handled in all.
type outcome struct {
	ok      bool
	handled int64
}

type retryCase struct {
	name, method, body string
	header             http.Header
}

var retryCases = []retryCase{
	{"GET", "GET", "", nil},
	{"HEAD", "HEAD", "", nil},
	{"POST", "POST", "data", nil},
	{"PUT", "PUT", "data", nil},
	{"DELETE", "DELETE", "", nil},
	{"POST with Idempotency-Key", "POST", "data", http.Header{"Idempotency-Key": {"k1"}}},
	{"PATCH with X-Idempotency-Key", "PATCH", "data", http.Header{"X-Idempotency-Key": {"k1"}}},
}

// TestNoReplayAfterWrite sends a second request on a connection the server
// hangs up after reading it. net/http sends it again only if it is
// idempotent; so must RoundTrip and Exchange, and a request not sent
// again must fail rather than be reported once while handled twice.
func TestNoReplayAfterWrite(t *testing.T) {
	for _, tc := range retryCases {
		t.Run(tc.name, func(t *testing.T) {
			std := &http.Transport{DisableCompression: true}
			defer std.CloseIdleConnections()
			want := secondRequest(t, tc, func(url string) error { return roundTripOnce(std, tc, url) })
			again := tc.method == "GET" || tc.method == "HEAD" || tc.header != nil
			if want.ok != again || want.handled != map[bool]int64{true: 3, false: 2}[again] {
				t.Fatalf("net/http: %+v; the test no longer shows what it should", want)
			}
			tr := newTransport(t, nil)
			tr.Resent = new(atomic.Int64)
			if got := secondRequest(t, tc, func(url string) error { return roundTripOnce(tr, tc, url) }); got != want {
				t.Errorf("RoundTrip: %+v, net/http %+v", got, want)
			}
			serverSawWhatWasCounted(t, "RoundTrip", want.handled, tr.Resent.Load())
			tr = newTransport(t, nil)
			tr.Resent = new(atomic.Int64)
			exchange := func(url string) error {
				_, err := tr.Exchange(context.Background(), prepared(t, tc.method, url, tc.body, tc.header), time.Time{}, 0)
				return err
			}
			if got := secondRequest(t, tc, exchange); got != want {
				t.Errorf("Exchange: %+v, net/http %+v", got, want)
			}
			serverSawWhatWasCounted(t, "Exchange", want.handled, tr.Resent.Load())
		})
	}
}

// serverSawWhatWasCounted checks that the server handled the two
// requests sent and each one counted as sent again: nothing else.
func serverSawWhatWasCounted(t *testing.T, path string, handled, resent int64) {
	t.Helper()
	if handled != 2+resent {
		t.Errorf("%s: the server handled %d requests; 2 were sent and %d counted as sent again", path, handled, resent)
	}
}

// secondRequest sends two requests through send to a hangUpOnSecond
// server; the first must succeed.
func secondRequest(t *testing.T, tc retryCase, send func(url string) error) outcome {
	t.Helper()
	var handled atomic.Int64
	url := "http://" + rawServer(t, hangUpOnSecond(&handled))
	if err := send(url); err != nil {
		t.Fatalf("first request: %v", err)
	}
	err := send(url)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, syscall.ECONNRESET) && !strings.Contains(err.Error(), "closed") {
		t.Errorf("second request: %v, want a closed connection", err)
	}
	return outcome{ok: err == nil, handled: handled.Load()}
}

func roundTripOnce(rt http.RoundTripper, tc retryCase, url string) error {
	var body io.Reader
	if tc.body != "" {
		body = strings.NewReader(tc.body)
	}
	req, err := http.NewRequest(tc.method, url, body)
	if err != nil {
		return err
	}
	for k, v := range tc.header {
		req.Header[k] = v
	}
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	return err
}

// resetAfterFirst answers each connection's first request and then resets
// it (RST), as a server whose idle timeout struck does with SO_LINGER 0.
func resetAfterFirst(handled *atomic.Int64) func(net.Conn) {
	return func(c net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		handled.Add(1)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		c.(*net.TCPConn).SetLinger(0)
	}
}

// TestRetryNothingWritten checks that a request whose write failed before
// a byte went out is sent again on a new connection if its body can be
// replayed, whatever its method, as net/http does.
func TestRetryNothingWritten(t *testing.T) {
	tests := []struct {
		name    string
		body    func() io.Reader
		exch    bool
		retried bool
	}{
		{"POST with GetBody", func() io.Reader { return strings.NewReader("data") }, false, true},
		{"POST with a one-shot body", func() io.Reader { return io.NopCloser(strings.NewReader("data")) }, false, false},
		{"prepared POST", nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var handled atomic.Int64
			addr := rawServer(t, resetAfterFirst(&handled))
			var last *net.TCPConn
			tr := newTransport(t, &Transport{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				if err == nil {
					last = c.(*net.TCPConn)
				}
				// Hidden, the idle connection is not looked at first: the
				// reset is met by the next request's write, before it
				// wrote anything.
				return hiddenConn{c}, err
			}})
			send := func(body io.Reader) error {
				if tt.exch {
					_, err := tr.Exchange(context.Background(), prepared(t, "POST", "http://"+addr+"/", "data", nil), time.Time{}, 0)
					return err
				}
				req, _ := http.NewRequest("POST", "http://"+addr+"/", body)
				resp, err := tr.RoundTrip(req)
				if err == nil {
					_, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				return err
			}
			if err := send(strings.NewReader("data")); err != nil {
				t.Fatal(err)
			}
			waitReadable(t, last) // and the connection is too fresh to be looked at
			var body io.Reader
			if tt.body != nil {
				body = tt.body()
			}
			err := send(body)
			if (err == nil) != tt.retried || handled.Load() != map[bool]int64{true: 2, false: 1}[tt.retried] {
				t.Errorf("err = %v, %d requests handled; want retried = %v", err, handled.Load(), tt.retried)
			}
		})
	}
}
