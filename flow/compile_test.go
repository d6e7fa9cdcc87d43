package flow

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

type seen struct {
	method, path, body, ctype, auth, trace string
	remote                                 string
}

func recorder(t *testing.T) (*httptest.Server, func() []seen) {
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, r.URL.RequestURI(), string(b), r.Header.Get("Content-Type"),
			r.Header.Get("Authorization"), r.Header.Get("X-Trace"), r.RemoteAddr})
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() []seen { mu.Lock(); defer mu.Unlock(); return append([]seen(nil), got...) }
}

func TestScriptRequestsReachTheServer(t *testing.T) {
	srv, got := recorder(t)
	s, err := scenario.Parse("t.yml", []byte(`config:
  target: http://placeholder
  phases: [{duration: 1, arrivalCount: 2}]
  defaults:
    headers: {Authorization: "Bearer k"}
scenarios:
  - flow:
      - get: {url: "/a?x=1", headers: {X-Trace: "7"}}
      - post: {url: "/b", json: {n: 1}}
      - put: {url: "/c", body: "raw"}
`))
	if err != nil {
		t.Fatal(err)
	}
	test, err := Compile(s, Options{Target: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Run(context.Background(), *test); err != nil {
		t.Fatal(err)
	}
	reqs := got()
	if len(reqs) != 6 {
		t.Fatalf("server saw %d requests, want 6", len(reqs))
	}
	byVU := map[string][]string{}
	for _, r := range reqs {
		byVU[r.remote] = append(byVU[r.remote], r.method+" "+r.path)
		if r.auth != "Bearer k" {
			t.Errorf("default header missing on %s %s", r.method, r.path)
		}
		switch r.path {
		case "/a?x=1":
			if r.trace != "7" {
				t.Errorf("step header missing")
			}
		case "/b":
			if r.body != `{"n":1}` || r.ctype != "application/json" {
				t.Errorf("json body %q type %q", r.body, r.ctype)
			}
		case "/c":
			if r.body != "raw" {
				t.Errorf("body %q", r.body)
			}
		}
	}
	if len(byVU) != 2 {
		t.Fatalf("2 VUs should use 2 connections, saw %d", len(byVU))
	}
	for conn, seq := range byVU {
		if strings.Join(seq, ",") != "GET /a?x=1,POST /b,PUT /c" {
			t.Errorf("connection %s sequence %v", conn, seq)
		}
	}
	if test.Endpoints[0] != "GET /a?x=1" || len(test.Endpoints) != 3 {
		t.Errorf("endpoints %v", test.Endpoints)
	}
}

// A misspelled key of a capture or a match is an error at its line:col
// (it was ignored, and its setting lost), and so is a match that cannot
// compile.
func TestCaptureAndMatchKeysAreChecked(t *testing.T) {
	s, err := scenario.Parse("t.yml", []byte(`config: {target: "http://127.0.0.1:9"}
scenarios:
  - flow:
      - get:
          url: /a
          capture: [{json: "$.id", as: x, strcit: false}]
      - get:
          url: /b
          match: {json: "$.id", vaule: 1}
      - get:
          url: /c
          match: {json: "$.id"}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(s, Options{})
	for _, want := range []string{`t.yml:6:11: capture: capture 1: unknown key "strcit"; did you mean "strict"?`,
		`t.yml:9:11: match: unknown key "vaule"; did you mean "value"?`,
		"t.yml:12:11: match: entry 1 needs value: what the response must give (with as alone it is a capture)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors %v\nlack %q", err, want)
		}
	}
}

func TestCompileErrorsPointIntoTheScript(t *testing.T) {
	s, err := scenario.Parse("t.yml", []byte("scenarios:\n  - flow:\n      - get: {url: /x}\n      - get: {url: ftp://x}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(s, Options{})
	// At the url, not at the step: in a long step the url is the line to fix.
	if err == nil || !strings.Contains(err.Error(), "t.yml:3:15: url \"/x\" is relative but no target is set") ||
		!strings.Contains(err.Error(), "t.yml:4:15: url \"ftp://x\"") {
		t.Fatalf("got %v", err)
	}
}

func TestPhasesMapping(t *testing.T) {
	got := Phases([]scenario.Phase{
		{Pause: 5}, {Users: 3, SpawnRate: 1, Duration: 9}, {HasCount: true, ArrivalCount: 4, Duration: 2},
		{HasRampTo: true, ArrivalRate: 1, RampTo: 5, Duration: 3}, {ArrivalRate: 2, Duration: 1}, {Duration: 4},
	})
	want := []schedule.Kind{schedule.Pause, schedule.Users, schedule.Count, schedule.Ramp, schedule.Constant, schedule.Pause}
	for i, k := range want {
		if got[i].Kind != k {
			t.Errorf("phase %d: kind %v, want %v", i, got[i].Kind, k)
		}
	}
	if d := Phases(nil); len(d) != 1 || d[0].ArrivalCount != 1 {
		t.Errorf("default phase %+v", d)
	}
	// arrivalCount: 0 is skipped at once (Artillery's createArrivalCount),
	// not waited out: the plan's next phase starts at its own start.
	zero := Phases([]scenario.Phase{{HasCount: true, ArrivalCount: 0, Duration: 3 * time.Second}, {HasCount: true, ArrivalCount: 1, Duration: time.Second}})
	plan, err := schedule.New(zero)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Length() != time.Second {
		t.Errorf("arrivalCount 0 over 3 s, then 1 over 1 s: the plan lasts %v, want 1s", plan.Length())
	}
}

// A script's pool connects before the clock only to a plain http://
// target with no template in it.
func TestWarmTargets(t *testing.T) {
	for target, want := range map[string]bool{
		"http://127.0.0.1:8080":          true,
		"http://api.example/v1":          true,
		"https://api.example":            false, // net/http's path, not the lean client's
		"http://{{ $env.HOST }}":         false,
		"":                               false,
		"127.0.0.1:8080":                 false,
		"http://127.0.0.1/{{ version }}": false,
	} {
		got := warmTargets(target)
		if (len(got) == 1) != want {
			t.Errorf("%q: %d targets, want one: %v", target, len(got), want)
		}
	}
}

// A formData part given as a mapping has fromFile, value and contentType:
// a misspelled key sent the part as the text "null".
func TestFormDataPartKeysAreChecked(t *testing.T) {
	s, err := scenario.Parse("t.yml", []byte(`config: {target: "http://127.0.0.1:9"}
scenarios:
  - flow:
      - post:
          url: /up
          formData: {f: {fromFlie: body.txt}, g: {contentType: text/plain}, h: plain, i: {value: x, contentType: text/plain}}
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(s, Options{})
	for _, want := range []string{`formData f: unknown key "fromFlie"; did you mean "fromFile"?`, "formData g: a part given as a mapping needs fromFile or value"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("errors %v\nlack %q", err, want)
		}
	}
	if err != nil && (strings.Contains(err.Error(), "formData h") || strings.Contains(err.Error(), "formData i")) {
		t.Errorf("a valid part refused: %v", err)
	}
}

// An ensure condition that cannot compile is an error at load, at its
// line:col, where it failed the check after the whole test.
func TestEnsureConditionsCompileAtLoad(t *testing.T) {
	s, err := scenario.Parse("t.yml", []byte(`config:
  target: "http://127.0.0.1:9"
  plugins: {ensure: {}}
  ensure:
    conditions:
      - expression: "http.codes.200 > 0"
      - expression: "http.codes.200 >"
scenarios: [{flow: [{get: {url: /}}]}]
`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Compile(s, Options{})
	if err == nil || !strings.Contains(err.Error(), `t.yml:7:9: ensure condition "http.codes.200 >": unexpected end of expression at offset 16`) ||
		strings.Contains(err.Error(), `"http.codes.200 > 0"`) {
		t.Fatalf("errors %v", err)
	}
}

// TestEndpointNamesSplitSharedName: a name on requests of different URLs
// is one endpoint per URL, named as Artillery's metrics-by-endpoint
// plugin keys it, so that each endpoint has one key; other endpoints keep
// their names.
func TestEndpointNamesSplitSharedName(t *testing.T) {
	p, err := Build(parse(t, `scenarios:
  - flow:
      - get: {url: /items, name: list}
      - get: {url: /a, name: page}
      - get: {url: /b, name: page}
      - get: {url: "/users/{{ id }}"}
`), Options{Target: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"list", "/a (page)", "/b (page)", "GET /users/{{ id }}"}
	if strings.Join(p.Test.Endpoints, "|") != strings.Join(want, "|") {
		t.Errorf("endpoints %q, want %q", p.Test.Endpoints, want)
	}
}
