package flow

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// hits records each request as "METHOD path [content-type] body".
type hits struct {
	mu   sync.Mutex
	reqs []string
}

func (s *hits) add(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	line := r.Method + " " + r.URL.Path
	if ct := r.Header.Get("Content-Type"); ct != "" {
		line += " [" + ct + "]"
	}
	if len(body) > 0 {
		line += " " + string(body)
	}
	for _, h := range []string{"Referer", "Authorization"} {
		if v := r.Header.Get(h); v != "" {
			line += " " + h + "=" + v
		}
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, line)
	s.mu.Unlock()
}

func (s *hits) list() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.reqs, "\n")
}

// redirector answers /r/<code>?to=<path> with that redirect, /loop with a
// redirect to itself, anything else with 200.
func redirector(s *hits) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.add(r)
		switch {
		case strings.HasPrefix(r.URL.Path, "/r/"):
			code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/"))
			w.Header().Set("Location", r.URL.Query().Get("to"))
			w.WriteHeader(code)
		case r.URL.Path == "/loop":
			w.Header().Set("Location", "/loop")
			w.WriteHeader(302)
		default:
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"at":"`+r.URL.Path+`"}`)
		}
	}
}

// TestRedirectsFollowArtilleryRules: after 301, 302, 307 and 308 the
// method and body are sent again (got does not turn a POST into a GET as
// net/http does); after 303 a GET without body follows, keeping the
// content-type Artillery keeps; no Referer is added; every hop is counted
// with its code; captures read the last response.
func TestRedirectsFollowArtilleryRules(t *testing.T) {
	var s hits
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - post: {url: "/r/301?to=/a", json: {n: 1}}
      - post: {url: "/r/302?to=/b", body: "raw"}
      - post: {url: "/r/303?to=/c", json: {n: 3}}
      - put: {url: "/r/307?to=/d", body: "seven"}
      - patch: {url: "/r/308?to=/e", json: {n: 8}, capture: {json: "$.at", as: at}}
      - get: {url: "/got{{ at }}"}
`, redirector(&s))
	want := strings.Join([]string{
		`POST /r/301 [application/json] {"n":1}`, `POST /a [application/json] {"n":1}`,
		`POST /r/302 raw`, `POST /b raw`,
		`POST /r/303 [application/json] {"n":3}`, `GET /c [application/json]`,
		`PUT /r/307 seven`, `PUT /d seven`,
		`PATCH /r/308 [application/json] {"n":8}`, `PATCH /e [application/json] {"n":8}`,
		`GET /got/e`,
	}, "\n")
	if got := s.list(); got != want {
		t.Fatalf("requests:\n%s\nwant:\n%s", got, want)
	}
	c := res.Final.Counters
	if res.Final.Total.Requests != 11 || res.Final.Total.Codes[301] != 1 || res.Final.Total.Codes[303] != 1 || res.Final.Total.Codes[200] != 6 {
		t.Fatalf("requests %d codes %v counters %v", res.Final.Total.Requests, res.Final.Total.Codes, c)
	}
}

// TestFollowRedirectFalse: the 3xx is the response: counted, captured
// (Location header and body), and its Location is not requested.
func TestFollowRedirectFalse(t *testing.T) {
	var s hits
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get:
          url: "/r/302?to=/next"
          followRedirect: false
          capture: [{header: location, as: where}]
      - get: {url: "{{ where }}"}
`, redirector(&s))
	if got, want := s.list(), "GET /r/302\nGET /next"; got != want {
		t.Fatalf("requests:\n%s\nwant:\n%s", got, want)
	}
	if res.Final.Total.Codes[302] != 1 || res.Final.VUs.Failed != 0 {
		t.Fatalf("codes %v vus %+v", res.Final.Total.Codes, res.Final.VUs)
	}
}

// TestRedirectLoopStopsAfterTenRedirects: the request and ten redirects
// are sent (eleven requests), then the VU fails as Artillery's does.
func TestRedirectLoopStopsAfterTenRedirects(t *testing.T) {
	var s hits
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get: {url: "/loop"}
      - get: {url: "/never"}
`, redirector(&s))
	if n := strings.Count(s.list(), "GET /loop"); n != 11 || strings.Contains(s.list(), "/never") {
		t.Fatalf("requests:\n%s", s.list())
	}
	if res.Final.VUs.Failed != 1 || res.Final.Counters["errors."+errTooManyRedirects] != 1 {
		t.Fatalf("vus %+v counters %v", res.Final.VUs, res.Final.Counters)
	}
}

// TestRedirectToAnotherHostDropsCredentials: authorization is not sent
// to another host or port.
func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	var other hits
	srv2 := newServer(t, redirector(&other))
	var s hits
	run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get:
          url: "/r/302?to=`+srv2+`/there"
          headers: {authorization: "Bearer secret"}
      - get:
          url: "/r/302?to=/here"
          headers: {authorization: "Bearer secret"}
`, redirector(&s))
	if got := other.list(); got != "GET /there" {
		t.Fatalf("other host got:\n%s", got)
	}
	if got, want := s.list(), "GET /r/302 Authorization=Bearer secret\nGET /r/302 Authorization=Bearer secret\nGET /here Authorization=Bearer secret"; got != want {
		t.Fatalf("requests:\n%s\nwant:\n%s", got, want)
	}
}

// newServer starts a loopback server for the test and returns its URL.
func newServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRedirectLocationSentAsWHATWG: a Location is followed as Node's URL
// parser makes it, so as Artillery follows it: a space in its path or
// query is escaped (Surge sent it raw in the request line, and the server
// answered 400), written escapes stay, dot segments go.
func TestRedirectLocationSentAsWHATWG(t *testing.T) {
	var mu sync.Mutex
	var uris []string
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
scenarios:
  - flow:
      - get: {url: "/start"}
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uris = append(uris, r.RequestURI)
		mu.Unlock()
		if r.URL.Path == "/start" {
			w.Header().Set("Location", "/a b/%2F c/./d?q=x y")
			w.WriteHeader(302)
		}
	})
	if got, want := strings.Join(uris, " "), "/start /a%20b/%2F%20c/d?q=x%20y"; got != want {
		t.Fatalf("requests %q, want %q", got, want)
	}
	if res.Final.Total.Codes[200] != 1 {
		t.Fatalf("codes %v", res.Final.Total.Codes)
	}
}
