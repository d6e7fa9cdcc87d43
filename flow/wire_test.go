package flow

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/transport/h1"
)

// wireScript exercises what the lean path must send and read as
// net/http's path does: a JSON body, templated URL, header and Host,
// captures from a body (plain and gzip) and a header, redirects by
// Artillery's rules (300 and 304 too), a field left out when its value
// is undefined, a step's own cookie (sent with its request only while no
// response has set a cookie), and Set-Cookie fields (values with quotes,
// braces and spaces sent back byte for byte; Secure over http and a
// Domain naming an IP address refused), after which every request
// carries the jar's cookies, in place of a cookie field the step sets.
const wireScript = `config:
  phases:
    - duration: 1
      arrivalCount: 1
  variables:
    user: ann
scenarios:
  - flow:
      - post:
          url: "/login"
          json:
            user: "{{ user }}"
          headers:
            x-trace: "{{ user }}-1"
            host: "api.example.test"
          capture:
            - json: "$.token"
              as: token
            - header: "x-server"
              as: srv
      - get:
          url: "/items/{{ token }}?u={{ user }}&q=a b"
          headers:
            authorization: "Bearer {{ token }}"
            x-undefined: "{{ nope }}"
      - get:
          url: "/gz"
          capture:
            json: "$.n"
            as: n
      - get:
          url: "/plain"
          capture:
            json: "$.p"
            as: p
      - get:
          url: "/r300"
      - get:
          url: "/r304"
      - put:
          url: "/status/503"
          body: "x={{ token }}"
      - log: "token={{ token }} srv={{ srv }} n={{ n }} p={{ p }}"
      - get:
          url: "/own"
          cookie:
            k: "v;x"
      - get:
          url: "/none"
      - get:
          url: "/cookie"
      - get:
          url: "/after"
      - get:
          url: "/after/both"
          headers:
            cookie: "pref=1"
          cookie:
            theme: "{{ user }}"
`

// wireServer answers by path and records every request as it came.
type wireServer struct {
	mu   sync.Mutex
	seen []string
}

func (s *wireServer) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		req, path, err := readRawRequest(br)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.seen = append(s.seen, req)
		s.mu.Unlock()
		if _, err := io.WriteString(c, wireReply(path)); err != nil {
			return
		}
	}
}

// readRawRequest reads one request head and its Content-Length body.
func readRawRequest(br *bufio.Reader) (raw, path string, err error) {
	var b bytes.Buffer
	length := 0
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return "", "", err
		}
		b.WriteString(line)
		if path == "" {
			path = strings.Fields(line)[1]
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
		if line == "\r\n" {
			break
		}
	}
	_, err = io.CopyN(&b, br, int64(length))
	return b.String(), path, err
}

func wireReply(path string) string {
	head := "HTTP/1.1 %d X\r\n%sContent-Length: %d\r\n\r\n%s"
	switch {
	case path == "/login":
		return fmt.Sprintf(head, 200, "X-Server: s1\r\nContent-Type: application/json\r\n", 17, `{"token":"tok-1"}`)
	case path == "/gz":
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write([]byte(`{"n":42}`))
		w.Close()
		return fmt.Sprintf(head, 200, "Content-Encoding: gzip\r\n", z.Len(), z.String())
	case path == "/plain": // a body capture alone: no header map on the lean path
		return fmt.Sprintf(head, 200, "Content-Type: application/json\r\n", 9, `{"p":"v"}`)
	case path == "/r300":
		return fmt.Sprintf(head, 300, "Location: /moved\r\n", 0, "")
	case path == "/r304":
		return "HTTP/1.1 304 Not Modified\r\nLocation: /cached\r\n\r\n"
	case path == "/status/503":
		return fmt.Sprintf(head, 503, "", 4, "busy")
	case path == "/cookie":
		return fmt.Sprintf(head, 200, "Set-Cookie: sid=abc; Path=/\r\nSet-Cookie: j={\"a\":[1,2]}\r\n"+
			"Set-Cookie: sp= has space \r\nSet-Cookie: sec=1; Secure\r\nSet-Cookie: ip=1; Domain=127.0.0.1\r\n", 2, "ok")
	case strings.HasPrefix(path, "/items/"):
		return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
	}
	return fmt.Sprintf(head, 200, "", 2, "ok")
}

// runWire runs wireScript once and returns the requests the server saw,
// the test's totals and the log.
func runWire(t *testing.T) ([]string, metrics.Snapshot, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &wireServer{}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { srv.serve(c) })
		}
	})
	s, err := scenario.Parse("t.yml", []byte(wireScript))
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	p, err := Build(s, Options{Target: "http://" + ln.Addr().String(), Log: &log, Report: &log})
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *p.Test)
	ln.Close()
	wg.Wait() // the connections close with the test's pool
	if err != nil {
		t.Fatal(err)
	}
	for i := range srv.seen { // the two runs' servers differ in port
		srv.seen[i] = strings.ReplaceAll(srv.seen[i], ln.Addr().String(), "ADDR")
	}
	return srv.seen, res.Final, log.String()
}

// TestLeanPathSendsWhatNetHTTPSends runs the script on the lean path and
// with it turned off: the server must see the same bytes, and the test
// count the same requests, bytes, codes, failures and captures.
func TestLeanPathSendsWhatNetHTTPSends(t *testing.T) {
	var sentLean atomic.Int64
	sendWire = func(vu *engine.VU, endpoint int, p *h1.Prepared, u *url.URL, keep engine.Keep) (*engine.Response, bool, error) {
		resp, sent, err := vu.SendWire(endpoint, p, u, keep)
		if sent {
			sentLean.Add(1)
		}
		// A body capture alone keeps no header map; a header capture does.
		if want, ok := map[string]engine.Keep{"/plain": engine.KeepBody, "/gz": engine.KeepBody, "/login": engine.KeepAll,
			"/after": engine.KeepNothing}[u.Path]; ok && keep != want {
			t.Errorf("%s kept %d, want %d", u.Path, keep, want)
		}
		return resp, sent, err
	}
	defer func() { sendWire = (*engine.VU).SendWire }()
	leanSeen, lean, leanLog := runWire(t)
	// Every request, cookies and all, but the redirects' second hops.
	if n := sentLean.Load(); n != 12 {
		t.Errorf("%d requests on the lean path, want 12", n)
	}
	sendWire = func(*engine.VU, int, *h1.Prepared, *url.URL, engine.Keep) (*engine.Response, bool, error) {
		return nil, false, nil
	}
	stdSeen, std, stdLog := runWire(t)
	if !reflect.DeepEqual(leanSeen, stdSeen) {
		t.Errorf("requests differ:\nlean:     %q\nnet/http: %q", leanSeen, stdSeen)
	}
	if len(leanSeen) != 14 {
		t.Errorf("%d requests, want 14: %q", len(leanSeen), leanSeen)
	}
	if leanLog != stdLog || !strings.Contains(leanLog, "token=tok-1 srv=s1 n=42 p=v") {
		t.Errorf("log: lean %q, net/http %q", leanLog, stdLog)
	}
	a, b := lean.Total, std.Total
	if a.Requests != b.Requests || a.Failures != b.Failures || a.Errors != b.Errors ||
		a.BytesSent != b.BytesSent || a.BytesRecv != b.BytesRecv || !reflect.DeepEqual(a.Codes, b.Codes) ||
		lean.VUs != std.VUs || !reflect.DeepEqual(lean.Counters, std.Counters) {
		t.Errorf("totals differ:\nlean:     %+v %+v %v\nnet/http: %+v %+v %v", a, lean.VUs, lean.Counters, b, std.VUs, std.Counters)
	}
	// What Artillery 2.0.34 sends (tough-cookie's jar, got's cookie field):
	// theme's default path, /after, is longer than the others' /, so it
	// goes first.
	jar := `k=v; sid=abc; j={"a":[1,2]}; sp=has space`
	for i, want := range []string{"cookie: k=v\r\n", "", "", "cookie: " + jar + "\r\n", "cookie: theme=ann; " + jar + "\r\n"} {
		n := len(leanSeen) - 5 + i
		if n < 0 {
			break
		}
		got := ""
		for line := range strings.Lines(leanSeen[n]) {
			if strings.HasPrefix(strings.ToLower(line), "cookie:") {
				got += line
			}
		}
		if got != want {
			t.Errorf("%q carried cookies %q, want %q", strings.SplitN(leanSeen[n], "\r\n", 2)[0], got, want)
		}
	}
	if c := lean.Counters["errors.cookie_parse_error_invalid_cookie"]; c != 1 {
		t.Errorf("errors.cookie_parse_error_invalid_cookie %d, want 1 (Domain=127.0.0.1)", c)
	}
}
