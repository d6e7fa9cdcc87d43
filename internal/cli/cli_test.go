package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

type cmdResult struct {
	code           int
	stdout, stderr string
}

func surge(t *testing.T, ctx context.Context, args ...string) cmdResult {
	t.Helper()
	var out, errb bytes.Buffer
	code := MainContext(ctx, args, IO{Stdout: &out, Stderr: &errb})
	return cmdResult{code, out.String(), errb.String()}
}

func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestQuickSendsExactlyRateTimesDuration(t *testing.T) {
	srv, n := countingServer(t)
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "quick", srv.URL+"/x", "--rate", "300", "--duration", "3s", "--output", out)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if got := n.Load(); got != 900 {
		t.Fatalf("server counted %d requests, want 900", got)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Aggregate.Requests != 900 || r.Aggregate.Codes["200"] != 900 || r.Endpoints[0].Name != "GET /x" {
		t.Fatalf("results: requests %d codes %v endpoints %v", r.Aggregate.Requests, r.Aggregate.Codes, r.Endpoints)
	}
	if !strings.Contains(res.stdout, "p99") || !strings.Contains(res.stdout, "GET /x") {
		t.Fatalf("summary missing:\n%s", res.stdout)
	}
}

func TestQuickClosedModelWithHeadersAndBody(t *testing.T) {
	var bad atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := new(bytes.Buffer)
		buf.ReadFrom(r.Body)
		if r.Method != "POST" || r.Header.Get("X-Key") != "v" || buf.String() != "payload" {
			bad.Add(1)
		}
	}))
	defer srv.Close()
	res := surge(t, context.Background(), "quick", srv.URL, "--users", "4", "--duration", "500ms",
		"-m", "post", "-H", "X-Key: v", "--body", "payload", "--quiet")
	if res.code != ExitOK || res.stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", res.code, res.stdout, res.stderr)
	}
	if bad.Load() != 0 {
		t.Fatalf("%d requests lacked the method, header or body", bad.Load())
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	cases := [][]string{
		{"quick", "not a url"},
		{"quick", "http://127.0.0.1:1/", "--rate", "5", "--users", "2"},
		{"quick", "http://127.0.0.1:1/", "-H", "no-colon"},
		{"quick", "http://127.0.0.1:1/", "--protocol", "spdy"},
		{"run"},
		{"run", "/no/such/script.yml"},
		{"nosuchcommand"},
		{"target", "--error-rate", "3"},
	}
	for _, args := range cases {
		if res := surge(t, context.Background(), args...); res.code != ExitUsage || res.stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 with a message", args, res.code, res.stderr)
		}
	}
}

func TestBrokenScriptNamesPosition(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.yml")
	os.WriteFile(path, []byte("config:\n  target: http://127.0.0.1:1\n  phases:\n    - duration: 1\n      arrivalRate: lots\nscenarios:\n  - flow:\n      - get: {url: /}\n"), 0o644)
	res := surge(t, context.Background(), "run", path)
	want := path + ":5:20: config.phases[0].arrivalRate: expected a number, got \"lots\""
	if res.code != ExitUsage || !strings.Contains(res.stderr, want) {
		t.Fatalf("exit %d stderr %q, want exit 2 and %q", res.code, res.stderr, want)
	}
}

func TestRunScriptWritesResults(t *testing.T) {
	srv, n := countingServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yml")
	os.WriteFile(path, []byte("config:\n  target: http://127.0.0.1:1\n  phases:\n    - duration: 1\n      arrivalCount: 5\nscenarios:\n  - flow:\n      - get: {url: /a}\n      - post: {url: /b, json: {x: 1}}\n"), 0o644)
	out := filepath.Join(dir, "r.json")
	res := surge(t, context.Background(), "run", "-t", srv.URL, "--output", out, path)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() != 10 || r.Aggregate.Requests != 10 || len(r.Endpoints) != 2 || r.Aggregate.VUsers.Completed != 5 {
		t.Fatalf("server %d, results %+v", n.Load(), r.Aggregate)
	}
}

func TestInterruptStillWritesResults(t *testing.T) {
	srv, _ := countingServer(t)
	out := filepath.Join(t.TempDir(), "r.json")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(700*time.Millisecond, cancel)
	res := surge(t, ctx, "quick", srv.URL, "--rate", "100", "--duration", "1m", "--output", out)
	if res.code != ExitInterrupted {
		t.Fatalf("exit %d, want %d: %s", res.code, ExitInterrupted, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Test.Interrupted || r.Aggregate.Requests == 0 || !strings.Contains(res.stdout, "interrupted") {
		t.Fatalf("interrupted=%v requests=%d stdout=%s", r.Test.Interrupted, r.Aggregate.Requests, res.stdout)
	}
}

func TestUnreachableTargetIsCountedNotFatal(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "quick", "http://127.0.0.1:1/", "--rate", "20", "--duration", "500ms", "--output", out, "--quiet")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, _ := results.ReadFile(out)
	if r.Aggregate.Errors != 10 || r.Aggregate.ErrorKind["ECONNREFUSED"] != 10 {
		t.Fatalf("errors %d %v", r.Aggregate.Errors, r.Aggregate.ErrorKind)
	}
}

func TestDemoRunsAndWritesResults(t *testing.T) {
	dir := t.TempDir()
	out, page := filepath.Join(dir, "demo.json"), filepath.Join(dir, "demo.html")
	res := surge(t, context.Background(), "demo", "--duration", "2s", "--output", out, "--report", page)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	for _, want := range []string{"p99", "list items", "slow report", "results: " + out, "report: " + page} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, res.stdout)
		}
	}
	r, err := results.ReadFile(out)
	if err != nil || r.Aggregate.Requests == 0 || r.Aggregate.Errors != 0 {
		t.Fatalf("demo results: %v %+v", err, r)
	}
	if html, err := os.ReadFile(page); err != nil || !strings.Contains(string(html), "list items") {
		t.Fatalf("demo report: %v", err)
	}
}

func TestTargetServesUntilStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult)
	go func() { done <- surge(t, ctx, "target", "--addr", "127.0.0.1:0") }()
	time.Sleep(300 * time.Millisecond)
	cancel()
	select {
	case res := <-done:
		if res.code != ExitOK || !strings.Contains(res.stdout, "heavy target listening on http://127.0.0.1:") {
			t.Fatalf("exit %d stdout %q stderr %q", res.code, res.stdout, res.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("target did not stop")
	}
}
