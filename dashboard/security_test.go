package dashboard

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// rawStatus sends one request, written out byte for byte (a Host header
// a client library would not send, none at all, an absolute-form
// target), and returns the status code of the answer.
func rawStatus(t *testing.T, srv *httptest.Server, request string) int {
	t.Helper()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Write([]byte(request)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%q: %v", request, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A page on a name its attacker re-points at 127.0.0.1 (DNS rebinding)
// must neither read nor steer a tokenless dashboard, whatever the Host
// header looks like; the loopback names still work in every spelling a
// browser sends.
func TestHostHeadersOfADNSRebindingPage(t *testing.T) {
	ctl := &recordingController{}
	s := New(Config{Title: "t"}, ctl)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	s.BeginRun(results.Test{Name: "t"})
	s.Publish(snapshots()[0], nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	refused := []string{
		fmt.Sprintf("evil.example:%d", port), "evil.example", "EVIL.EXAMPLE",
		fmt.Sprintf("localhost.:%d", port), fmt.Sprintf("127.0.0.1.:%d", port), // trailing dots: not the names allowed
		fmt.Sprintf("127.0.0.1:%d.evil.example", port), "localhost:x", "[::1]:80a", // a port that is not one
		fmt.Sprintf("127.0.0.1.nip.io:%d", port), fmt.Sprintf("localhost.evil.example:%d", port),
		fmt.Sprintf("[::ffff:7f00:1]x:%d", port), "0.0.0.0", "[::]",
	}
	for _, host := range refused {
		for _, path := range []string{"/", "/api/state", "/api/events", "/api/results.json"} {
			if code := withHost(t, "GET", srv.URL+path, host); code != http.StatusForbidden {
				t.Errorf("GET %s with Host %q: %d, want 403", path, host, code)
			}
		}
		for _, path := range []string{"/api/start", "/api/load", "/api/stop", "/api/reset"} {
			if code := withHost(t, "POST", srv.URL+path, host); code != http.StatusForbidden {
				t.Errorf("POST %s with Host %q: %d, want 403", path, host, code)
			}
		}
	}
	for _, host := range []string{fmt.Sprintf("LocalHost:%d", port), fmt.Sprintf("[::1]:%d", port),
		fmt.Sprintf("[::ffff:127.0.0.1]:%d", port), fmt.Sprintf("127.0.0.1:%d", port)} {
		if code := withHost(t, "GET", srv.URL+"/api/state", host); code != http.StatusOK {
			t.Errorf("GET /api/state with Host %q: %d, want 200", host, code)
		}
	}
	// Written out by hand: no Host (HTTP/1.0 may leave it out), an empty
	// one, two of them, and absolute-form targets, whose host is the one
	// that counts (RFC 9112 §3.2.2).
	for request, want := range map[string]int{
		"GET /api/state HTTP/1.0\r\n\r\n":                                                                                 http.StatusForbidden,
		"GET /api/state HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n":                                                  http.StatusForbidden,
		"GET /api/state HTTP/1.1\r\nConnection: close\r\n\r\n":                                                            http.StatusBadRequest,
		"GET /api/state HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n":                                        http.StatusBadRequest,
		"GET http://evil.example/api/state HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n":                      http.StatusForbidden,
		"POST http://evil.example/api/stop HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n": http.StatusForbidden,
		"GET http://localhost/api/state HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n":                         http.StatusOK,
	} {
		if code := rawStatus(t, srv, request); code != want {
			t.Errorf("%q: %d, want %d", request, code, want)
		}
	}
	if len(ctl.starts) != 0 || ctl.stopped != 0 || len(ctl.loads) != 0 || ctl.resets != 0 {
		t.Fatalf("a foreign host name reached the controller: %d starts, %d loads, %d stops, %d resets", len(ctl.starts), len(ctl.loads), ctl.stopped, ctl.resets)
	}
}

// What a cross-site page can send without a preflight (a form, a
// no-cors fetch, a beacon) never steers the test, and a GET never
// does: the steering routes answer POST only.
func TestCrossSiteRequestsCannotSteer(t *testing.T) {
	_, ctl, srv := newTestServer(t, "")
	port := strings.Split(srv.Listener.Addr().String(), ":")[1]
	for _, c := range crossSite {
		body := io.Reader(nil)
		if c.body != "" {
			body = strings.NewReader(c.body)
		}
		r, _ := http.NewRequest(c.method, srv.URL+c.path, body)
		if c.chunked {
			r.ContentLength = -1
		}
		for k, v := range c.headers {
			r.Header.Set(k, strings.ReplaceAll(v, "PORT", port))
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: %d (allow-origin %q), want 403", c.name, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
	for _, path := range []string{"/api/stop", "/api/load?rate=1", "/api/start?rate=1", "/api/reset"} {
		if resp, _ := get(t, srv.URL+path, nil); resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET %s: %d, want 405", path, resp.StatusCode)
		}
	}
	if len(ctl.starts) != 0 || ctl.stopped != 0 || len(ctl.loads) != 0 || ctl.resets != 0 {
		t.Fatalf("a cross-site request reached the controller: %d starts, %d loads, %d stops, %d resets", len(ctl.starts), len(ctl.loads), ctl.stopped, ctl.resets)
	}
}

// The token is checked whatever its length and however the header
// spells its scheme; a wrong one never passes, one of another length
// included.
func TestTokenChecks(t *testing.T) {
	const token = "0123456789abcdef"
	_, _, srv := newTestServer(t, token)
	for auth, want := range map[string]int{
		"Bearer " + token:         200,
		"bearer " + token:         200,
		"BEARER  " + token:        200,
		"Bearer " + token + "0":   401,
		"Bearer " + token[:15]:    401,
		"Bearer ":                 401,
		"Basic " + token:          401,
		token:                     401,
		"Bearer 0123456789abcdeF": 401,
	} {
		if resp, _ := get(t, srv.URL+"/api/state", http.Header{"Authorization": {auth}}); resp.StatusCode != want {
			t.Errorf("Authorization %q: %d, want %d", auth, resp.StatusCode, want)
		}
	}
	// A wrong token in the page's address is refused, not redirected.
	if resp := noFollow(t, srv.URL+"/?token=wrong", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/?token=wrong: %d", resp.StatusCode)
	}
	// The cookie alone and the token in the address: no cookie set again,
	// but still sent to the address without the token.
	resp := noFollow(t, srv.URL+"/?token="+token, http.Header{"Cookie": {tokenCookie + "=" + token}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("cookie and ?token: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp := noFollow(t, srv.URL+"/", http.Header{"Cookie": {tokenCookie + "=" + token}}); resp.StatusCode != 200 {
		t.Errorf("the page with the cookie: %d", resp.StatusCode)
	}
}

// crossSite are requests a page of another site can make: none may steer.
var crossSite = []struct {
	name, method, path, body string
	chunked                  bool
	headers                  map[string]string
}{
	{"a form, evil origin", "POST", "/api/load", "rate=1", false,
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}},
	{"an empty form, evil origin", "POST", "/api/stop", "", false,
		map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"}},
	{"an empty post, origin null (a sandboxed frame)", "POST", "/api/stop", "", false, map[string]string{"Origin": "null"}},
	{"text/plain JSON, no origin", "POST", "/api/load", `{"rate":1}`, false, map[string]string{"Content-Type": "text/plain"}},
	{"multipart form", "POST", "/api/load", "--b\r\n\r\n--b--", false,
		map[string]string{"Content-Type": "multipart/form-data; boundary=b"}},
	{"JSON from another origin", "POST", "/api/load", `{"rate":1}`, false,
		map[string]string{"Content-Type": "application/json", "Origin": "http://evil.example"}},
	{"JSON from the same port on another loopback name", "POST", "/api/load", `{"rate":1}`, false,
		map[string]string{"Content-Type": "application/json", "Origin": "http://localhost:PORT"}},
	{"chunked text/plain", "POST", "/api/load", `{"rate":1}`, true, map[string]string{"Content-Type": "text/plain"}},
	{"a preflight", "OPTIONS", "/api/load", "", false,
		map[string]string{"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}},
}
