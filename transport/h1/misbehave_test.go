package h1_test

// The differential tests in this file and misbehave_cases_test.go send
// the same request to a server that misbehaves in one way, through
// net/http (configured as Surge configures it) and through each of this
// package's paths (RoundTrip, Open, Exchange), then a second request, and
// compare what each client made of both: status, header, body, the class
// of error Surge would count (transport.Classify) and where it came,
// whether the second request went out on the first connection, and how
// many requests the server read (a request sent twice shows there). A
// script may misbehave on a reused connection instead, where a request
// that fails may be sent again. This is an external test package because
// transport, which holds Classify, imports h1.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/transport"
	"github.com/surge-dev/surge/transport/h1"
)

// then is what a misbehaving server does once it has written its reply
// to the request it misbehaves on.
type then uint8

const (
	serve     then = iota // go on answering requests on the connection
	hangUp                // close the connection
	halfClose             // shut its writing side, and read until the client closes
	sulk                  // neither read nor write nor close, until the test ends
	reset                 // close with RST
)

// script is a misbehaving server. The first request it receives gets
// reply, written as it is, and then the server does what then says; every
// other request gets nextReply.
type script struct {
	reply string
	then  then
	// early writes reply as soon as the request head is read, before the
	// body, which is read afterwards only if then is serve.
	early bool
	// silent writes no reply at all.
	silent bool
	// reused misbehaves on the second request instead, which the client
	// sends on the connection the first left idle (the first gets
	// nextReply): a request that fails there may be sent again
	// (retry.go), and the server then reads it twice.
	reused bool
}

// target is the index, among all the requests the server reads, of the
// one it misbehaves on.
func (s script) target() int {
	if s.reused {
		return 1
	}
	return 0
}

// nextReply answers every request but the first, so that a client's
// second request shows whether the connection was left in step.
const nextReply = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext"

// scriptServer runs a script on 127.0.0.1 and records on which
// connection each request arrived.
type scriptServer struct {
	url  string
	done chan struct{} // closed when the test ends: releases sulking handlers
	mu   sync.Mutex
	seen []int // the connection number of each request, in order
}

func startScript(t *testing.T, s script) *scriptServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &scriptServer{url: "http://" + l.Addr().String() + "/", done: make(chan struct{})}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		l.Close()
		close(srv.done)
		wg.Wait()
	})
	wg.Go(func() {
		for n := 0; ; n++ {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				go func() { <-srv.done; c.Close() }()
				srv.handle(c, n, s)
			})
		}
	})
	return srv
}

// arrived records a request on connection n and returns its index among
// all the requests read.
func (srv *scriptServer) arrived(n int) int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.seen = append(srv.seen, n)
	return len(srv.seen) - 1
}

// reused reports whether the last request came on the connection of the
// one misbehaved on, the target-th.
func (srv *scriptServer) reused(target int) bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.seen) >= target+2 && srv.seen[len(srv.seen)-1] == srv.seen[target]
}

// handled is the number of requests the server read.
func (srv *scriptServer) handled() int {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return len(srv.seen)
}

func (srv *scriptServer) handle(c net.Conn, n int, s script) {
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		if srv.arrived(n) != s.target() {
			io.Copy(io.Discard, req.Body)
			if _, err := io.WriteString(c, nextReply); err != nil {
				return
			}
			continue
		}
		if !s.early {
			io.Copy(io.Discard, req.Body)
		}
		if !s.silent {
			io.WriteString(c, s.reply)
		}
		if s.then != serve {
			s.end(c, br, srv.done)
			return
		}
		io.Copy(io.Discard, req.Body) // what early left
	}
}

// end ends the connection as s.then says.
func (s script) end(c net.Conn, br *bufio.Reader, done <-chan struct{}) {
	switch s.then {
	case halfClose:
		c.(*net.TCPConn).CloseWrite()
		io.Copy(io.Discard, br)
	case sulk:
		<-done
	case reset:
		c.(*net.TCPConn).SetLinger(0)
	}
}

// outcome is what a client made of the first request and of a second one
// sent after it.
type outcome struct {
	Code   int
	Status string
	Header http.Header
	Length int64
	Close  bool
	Body   string
	Err    string // the class Surge counts the error under; "" for none
	At     string // where the error came: "head" or "body"
	// Next is the next request's status and body, or its error class;
	// Reused says whether it went out on the connection misbehaved on.
	Next   string
	Reused bool
	// Handled is the number of requests the server read: one more than
	// were sent, where one was sent twice.
	Handled int
	msg     string // the errors' texts, for the test's log only
}

// client sends one request and reads the whole response, by one path.
type client func(method, url, body string, timeout time.Duration) (outcome, error)

// settle is left between the two requests so that net/http's read loop
// has seen whatever the server did after its reply (bytes, a close): it
// then acts on it before the second request, as this package's look at
// an idle connection does (idle.go). A pause, not a bound: were it too
// short on a loaded machine, net/http would take the connection anyway.
const settle = 20 * time.Millisecond

// run sends the request misbehaved on (after a plain GET, for a script
// that misbehaves on a reused connection) and then a plain GET to a new
// script server through send.
func run(t *testing.T, tc rawCase, send client) outcome {
	t.Helper()
	srv := startScript(t, tc.script)
	if tc.reused {
		if o, err := send(http.MethodGet, srv.url, "", 10*time.Second); err != nil || o.Code != http.StatusOK {
			t.Fatalf("the request before: %+v, %v", o, err)
		}
		time.Sleep(settle)
	}
	o, err := send(tc.method, srv.url, tc.body, tc.timeout)
	if err != nil {
		o.Err, o.msg = errClass(err), err.Error()
	}
	time.Sleep(settle)
	n, err := send(http.MethodGet, srv.url, "", 10*time.Second)
	o.Next = n.Body
	if err != nil {
		o.Next, o.msg = errClass(err), o.msg+"; second request: "+err.Error()
	}
	o.Reused, o.Handled = srv.reused(tc.target()), srv.handled()
	return o
}

func errClass(err error) string {
	return transport.Classify(err).String()
}

func request(method, u, body string) *http.Request {
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	if body == "" {
		req.Body, req.ContentLength = nil, 0
	}
	return req
}

func roundTripper(rt http.RoundTripper) client {
	return func(method, u, body string, timeout time.Duration) (outcome, error) {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		resp, err := rt.RoundTrip(request(method, u, body).WithContext(ctx))
		if err != nil {
			return outcome{At: "head"}, err
		}
		defer resp.Body.Close()
		var b []byte
		if resp.StatusCode != http.StatusSwitchingProtocols { // net/http's body is then the connection
			b, err = io.ReadAll(resp.Body)
		}
		resp.Header.Del("Date")
		o := outcome{Code: resp.StatusCode, Status: resp.Status, Header: resp.Header, Length: resp.ContentLength,
			Close: resp.Close, Body: string(b)}
		if err != nil {
			o.At = "body"
		}
		return o, err
	}
}

// opener and exchanger send under one long-lived context and a timeout,
// as Surge's VUs do.
func opener(tr *h1.Transport) client {
	return func(method, u, body string, timeout time.Duration) (outcome, error) {
		var into h1.Body
		r, err := tr.Open(context.Background(), prepare(method, u, body), time.Time{}, timeout, &into)
		if err != nil {
			return outcome{At: "head"}, err
		}
		b, err := io.ReadAll(&into)
		into.Close()
		o := outcome{Code: r.Status, Header: r.Header, Body: string(b)}
		if err != nil {
			o.At = "body"
		}
		return o, err
	}
}

func exchanger(tr *h1.Transport) client {
	return func(method, u, body string, timeout time.Duration) (outcome, error) {
		r, err := tr.Exchange(context.Background(), prepare(method, u, body), time.Time{}, timeout)
		return outcome{Code: r.Status}, err
	}
}

func prepare(method, u, body string) *h1.Prepared {
	req := request(method, u, "")
	p, err := h1.Prepare(req, []byte(body))
	if err != nil {
		panic(err)
	}
	return p
}

// paths are this package's ways to send a request, each with what of an
// outcome it can tell: Open has no Response (status text, length, Close)
// and Exchange reads no header or body.
var paths = []struct {
	name   string
	client func(*h1.Transport) client
	sees   func(outcome) outcome
}{
	{"RoundTrip", func(tr *h1.Transport) client { return roundTripper(tr) }, func(o outcome) outcome { return o }},
	{"Open", opener, func(o outcome) outcome {
		o.Status, o.Length, o.Close = "", 0, false
		return o
	}},
	{"Exchange", exchanger, func(o outcome) outcome {
		return outcome{Code: o.Code, Err: o.Err, Next: nextStatus(o.Next), Reused: o.Reused, Handled: o.Handled}
	}},
}

// nextStatus is what Exchange sees of the second request: its error, or
// none.
func nextStatus(next string) string {
	if next == "next" {
		return ""
	}
	return next
}

// rawCase is a first request and the script that answers it.
type rawCase struct {
	name         string
	method, body string // GET without a body by default
	script
	timeout time.Duration // for the first request; 10 s by default
	// lean and std, when set, are what each client must give where this
	// package deliberately differs from net/http (doc.go's list); std
	// nil leaves net/http unchecked (a race of its own). Otherwise every
	// path must give what net/http gives.
	lean, std *verdict
}

// verdict is what a documented difference pins down of an outcome.
type verdict struct {
	Code int
	Err  string
}

func (v verdict) of(o outcome) verdict { return verdict{o.Code, o.Err} }

// differential runs each case through net/http and every path of this
// package, and checks that they agree, or differ only as documented.
func differential(t *testing.T, cases []rawCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.method == "" {
				tc.method = http.MethodGet
			}
			if tc.timeout == 0 {
				tc.timeout = 10 * time.Second
			}
			want := reference(t, tc)
			if tc.std != nil && tc.std.of(want) != *tc.std {
				t.Errorf("net/http: %+v, want %+v (%s): doc.go's difference needs another look", tc.std.of(want), *tc.std, want.msg)
			}
			for _, p := range paths {
				tr := &h1.Transport{}
				got := run(t, tc, p.client(tr))
				tr.CloseIdleConnections()
				tc.compare(t, p.name, p.sees(got), p.sees(want), got.msg, want.msg)
			}
		})
	}
}

// reference is net/http's outcome of tc. Once, on a loaded machine,
// net/http's first request came back with the reply the script keeps for
// a later request ("next"): it had sent it again on a new connection,
// which it does not do for a fresh connection's error, and it did not
// repeat. Such an outcome is measured again, up to twice; one that
// holds is kept, so a deliberate resend still shows. On a reused
// connection a resend is the rule, not a fluke.
func reference(t *testing.T, tc rawCase) outcome {
	t.Helper()
	var o outcome
	for range 3 {
		std := transport.New(transport.Config{Protocol: transport.HTTP1})
		o = run(t, tc, roundTripper(std))
		std.CloseIdleConnections()
		if o.Body != "next" || tc.reused {
			break
		}
	}
	return o
}

func (tc rawCase) compare(t *testing.T, path string, got, want outcome, gotMsg, wantMsg string) {
	t.Helper()
	if tc.lean != nil {
		if v := tc.lean.of(got); v != *tc.lean || got.Next != want.Next || got.Handled != want.Handled {
			t.Errorf("%s: %+v then %q, %d requests read, want %+v then %q, %d read, as documented (%s)",
				path, v, got.Next, got.Handled, *tc.lean, want.Next, want.Handled, gotMsg)
		}
		return
	}
	got.msg, want.msg = "", ""
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got      %s (%s)\n net/http %s (%s)", path, brief(got), gotMsg, brief(want), wantMsg)
	}
}

// brief prints an outcome for the log, with a long body or field cut.
func brief(o outcome) string {
	s := fmt.Sprintf("%+v", o)
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}
