package flow

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

func TestEncodings(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"form", string(appendFormEncoded(nil, "a b&c=d/é*~")), "a+b%26c%3Dd%2F%C3%A9*%7E"},
		{"query kept", encodeQuery("a=1&b=x%20y"), "a=1&b=x%20y"},
		{"query escaped", encodeQuery(`q=a b"<>é`), "q=a%20b%22%3C%3E%C3%A9"},
		{"qs values", renderQuery([]fieldTmpl{
			{"n", templating.MustCompileValue(3.0)}, {"l", templating.MustCompileValue([]any{"x", 1.0})},
			{"o", templating.MustCompileValue(map[string]any{"a": 1.0})}, {"u", templating.MustCompileValue("{{ nope }}")},
		}, &state{vars: map[string]any{}}), "n=3&l=x&l=1&o=&u="},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestThinkDuration(t *testing.T) {
	tests := []struct {
		in   any
		want time.Duration
		ok   bool
	}{{1, time.Second, true}, {0.25, 250 * time.Millisecond, true}, {"500ms", 500 * time.Millisecond, true},
		{"2", 2 * time.Second, true}, {"{{ t }}", 0, false}, {-1, 0, false}, {"soon", 0, false}}
	for _, tt := range tests {
		got, ok := thinkDuration(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("thinkDuration(%v) = %v, %v", tt.in, got, ok)
		}
	}
}

func TestLoopBounds(t *testing.T) {
	tests := []struct {
		count    any
		from, to int
	}{{3, 0, 3}, {"4", 0, 4}, {"1-3", 1, 3}, {"{{ n }}", 0, 5}, {"lots", 0, 0}, {0, 0, 0}}
	for _, tt := range tests {
		ls := &loopStep{count: templating.MustCompileValue(tt.count), hasCount: true}
		from, to := ls.bounds(&state{vars: map[string]any{"n": 5.0}})
		if from != tt.from || to != tt.to {
			t.Errorf("count %v: %d..%d, want %d..%d", tt.count, from, to, tt.from, tt.to)
		}
	}
}

// run compiles a script against a fresh server and runs it.
func run(t *testing.T, script string, h http.HandlerFunc) (*Program, engine.Result, string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	s, err := scenario.Parse("t.yml", []byte(script))
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	p, err := Build(s, Options{Target: srv.URL, Log: &log, Report: &log})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.RunBefore(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *p.Test)
	if err != nil {
		t.Fatal(err)
	}
	return p, res, log.String()
}

func TestRuntimeFailuresAreCountedUnderArtilleryNames(t *testing.T) {
	var mu sync.Mutex
	paths := map[string]int{}
	_, res, _ := run(t, `config:
  phases: [{duration: 1, arrivalCount: 2}]
  variables: {where: "ftp://nowhere"}
scenarios:
  - name: broken
    flow:
      - get: {url: "/first"}
      - get: {url: "{{ where }}"}
      - get: {url: "/never"}
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths[r.URL.Path]++
		mu.Unlock()
	})
	if paths["/first"] != 2 || paths["/never"] != 0 || res.Final.VUs.Failed != 2 {
		t.Fatalf("paths %v vus %+v", paths, res.Final.VUs)
	}
	if res.Final.Counters["errors.EINVALIDURL"] != 2 || res.Final.Counters["vusers.created_by_name.broken"] != 2 {
		t.Fatalf("counters %v", res.Final.Counters)
	}
}

func TestWeightTemplatesAndLog(t *testing.T) {
	t.Setenv("SURGE_TEST_W", "0")
	var mu sync.Mutex
	paths := map[string]int{}
	p, _, log := run(t, `config:
  phases: [{duration: 1, arrivalCount: 3}]
scenarios:
  - weight: "{{ $env.SURGE_TEST_W }}"
    flow: [{get: {url: "/off"}}]
  - flow:
      - get: {url: "/on"}
      - log: "vu {{ target }} done"
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths[r.URL.Path]++
		mu.Unlock()
	})
	if paths["/off"] != 0 || paths["/on"] != 3 || len(p.Test.Scenarios) != 1 {
		t.Fatalf("paths %v", paths)
	}
	if strings.Count(log, "vu http://127.0.0.1:") != 3 {
		t.Fatalf("log output %q", log)
	}
}

// TestChance: probability 100 runs on every roll, 0 on none, 50 on half.
func TestChance(t *testing.T) {
	for _, tt := range []struct {
		prob float64
		runs int
	}{{100, 100}, {0, 0}, {50, 50}, {12.5, 13}, {99.5, 100}} {
		n := 0
		for roll := range 100 {
			if chance(tt.prob, roll) {
				n++
			}
		}
		if n != tt.runs {
			t.Errorf("probability %v: runs on %d rolls of 100, want %d", tt.prob, n, tt.runs)
		}
	}
}

// TestLoopOverALiteralListRendersItsTemplates: Artillery renders the
// elements of a literal over list; Surge sent "{{ mode }}" as it stood.
func TestLoopOverALiteralListRendersItsTemplates(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	run(t, `config:
  phases: [{duration: 1, arrivalCount: 1}]
  variables: {mode: fast}
scenarios:
  - flow:
      - loop:
          - get: {url: "/lit/{{ $loopElement }}"}
        over: [x, "{{ mode }}", 3]
      - loop:
          - get: {url: "/plain/{{ $loopElement }}"}
        over: [a, b]
`, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
	})
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(paths, " "); got != "/lit/x /lit/fast /lit/3 /plain/a /plain/b" {
		t.Fatalf("sent %s", got)
	}
}
