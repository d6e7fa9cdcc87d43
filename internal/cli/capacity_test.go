package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/capacity/prober"
)

// With the generator capped (one core, and 5 ms of CPU burnt before each
// request: about 200 requests a second at most), a search that must
// judge 400 req/s stops with exit 115 and reports no capacity: the
// target, which answers at once, is not what broke.
func TestCapacityStopsWhenTheGeneratorIsSaturated(t *testing.T) {
	srv, _ := countingServer(t)
	out := filepath.Join(t.TempDir(), "capacity.json")
	cmd, stderr := surgeProcessEnv(t, []string{"GOMAXPROCS=1"}, "capacity", srv.URL+"/", "--slo", "p99<500ms",
		"--start", "400", "--probe", "2s", "--warmup", "1s", "--cooldown", "0s", "--test-generator-cost", "5ms", "-o", out)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the search did not stop: %s", stderr)
	}
	if code := cmd.ProcessState.ExitCode(); code != ExitGeneratorSaturated {
		t.Fatalf("exit %d, want %d (generator saturated)\n%s\n%s", code, ExitGeneratorSaturated, cmd.Stdout, stderr)
	}
	if stdout := cmd.Stdout.(*bytes.Buffer).String(); !strings.Contains(stdout, "Generator saturated") {
		t.Errorf("the summary does not say so:\n%s", stdout)
	}
	var doc prober.Document
	b, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(b, &doc)
	}
	if err != nil || doc.Answer.Outcome != "generator saturated" || doc.Answer.Max != 0 {
		t.Errorf("document: %v, answer %+v", err, doc.Answer)
	}
}

// surgeProcessEnv starts surge in a process of its own with more
// environment, its standard output and error kept.
func surgeProcessEnv(t *testing.T, env []string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "SURGE_TEST_AS_MAIN=1"), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

func TestCapacityRefusesBadFlagsBeforeAnyLoad(t *testing.T) {
	srv, n := countingServer(t)
	for name, args := range map[string][]string{
		"no SLO":          {},
		"bad SLO":         {"--slo", "p99>300ms"},
		"rps objective":   {"--slo", "rps<100"},
		"short probe":     {"--slo", "p99<300ms", "--probe", "1s"},
		"precision":       {"--slo", "p99<300ms", "--precision", "150%"},
		"max below start": {"--slo", "p99<300ms", "--start", "100", "--max", "50"},
		"half a user":     {"--slo", "p99<300ms", "--search", "users", "--start", "1.5"},
		"bad search":      {"--slo", "p99<300ms", "--search", "vus"},
		"hex start":       {"--slo", "p99<300ms", "--start", "0x1p3"},
		"hex precision":   {"--slo", "p99<300ms", "--precision", "0x1p-4"},
		"inf max":         {"--slo", "p99<300ms", "--max", "inf"},
		"empty objective": {"--slo", "p99<300ms,,failure_rate<1%"},
		"unwritable -o":   {"--slo", "p99<300ms", "-o", filepath.Join(t.TempDir(), "missing", "x.json")},
		// 0 is the library's "default": given, it must not become 5 %, 80 %, 95 %, 10 req/s or ×2
		"zero precision":  {"--slo", "p99<300ms", "--precision", "0"},
		"zero headroom":   {"--slo", "p99<300ms", "--headroom", "0%"},
		"zero confidence": {"--slo", "p99<300ms", "--confidence", "0"},
		"zero start":      {"--slo", "p99<300ms", "--start", "0"},
		"zero growth":     {"--slo", "p99<300ms", "--growth", "0"},
	} {
		res := surge(t, context.Background(), append([]string{"capacity", srv.URL + "/"}, args...)...)
		if res.code != ExitUsage {
			t.Errorf("%s: exit %d, want %d\n%s", name, res.code, ExitUsage, res.stderr)
		}
	}
	if n.Load() != 0 {
		t.Errorf("%d requests sent by refused searches", n.Load())
	}
}

// A script's scenarios are probed at the search's loads, its own phases
// (ten minutes at 10 a second) replaced: the target receives each probe's
// warm-up and measured span at the probe's load, and the files are
// written. How the search ends is left to the machine (a busy one can
// break even this loose SLO at 10 req/s); the answer's accuracy is
// tested against a target of known capacity in packages capacity and
// capacity/prober.
func TestCapacityProbesAScript(t *testing.T) {
	srv, n := countingServer(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "load.yml")
	body := "config:\n  target: " + srv.URL + "\n  phases:\n    - duration: 600\n      arrivalRate: 10\nscenarios:\n  - flow:\n      - get: {url: /x}\n"
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, page := filepath.Join(dir, "c.json"), filepath.Join(dir, "c.html")
	res := surge(t, context.Background(), "capacity", script, "--slo", "p99<10s, failure_rate<5%", "--start", "10", "--max", "20",
		"--probe", "2s", "--warmup", "1s", "--cooldown", "0s", "-o", out, "--report", page)
	if res.code != ExitOK && res.code != ExitBelowStart && res.code != ExitGeneratorSaturated {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	var doc prober.Document
	b, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(b, &doc)
	}
	if err != nil || doc.Script != script || len(doc.Probes) == 0 || doc.Probes[0].Load != 10 {
		t.Fatalf("document: %v %+v", err, doc)
	}
	if res.code == ExitOK && (doc.Answer.Outcome != "above max" || doc.Answer.Max != 20 || !strings.Contains(res.stdout, "Above max:")) {
		t.Errorf("exit 0 with answer %+v", doc.Answer)
	}
	sent := 0.0 // each probe's warm-up and measured span, at its load
	for _, p := range doc.Probes {
		sent += 3 * p.Load
	}
	if got := float64(n.Load()); got < 0.9*sent || got > 1.1*sent {
		t.Errorf("the server counted %g requests, want the probes' %g (not the script's 6,000)", got, sent)
	}
	if html, err := os.ReadFile(page); err != nil || !strings.Contains(string(html), "<svg") {
		t.Errorf("report: %v", err)
	}
}

// An SLO on the latency of the requests that did not fail is accepted
// and judged: against a target that answers every request 503 at once,
// the probe fails it saying no request succeeded, the search ends below
// its start, and, the SLO having no failure_rate, Surge warned that such
// a probe could otherwise pass: on stderr, and in the summary, the JSON
// and the report, which are kept when stderr is not.
func TestCapacityJudgesTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	out, page := filepath.Join(dir, "c.json"), filepath.Join(dir, "c.html")
	res := surge(t, context.Background(), "capacity", srv.URL+"/", "--slo", "p99<300ms, ok_p99<300ms", "--start", "20", "--max", "20",
		"--probe", "2s", "--warmup", "1s", "--cooldown", "0s", "--generator-max-cpu", "10000%", "--generator-max-lag", "1h",
		"-o", out, "--report", page)
	if res.code != ExitBelowStart {
		t.Fatalf("exit %d, want %d (below start)\n%s\n%s", res.code, ExitBelowStart, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, "warning: --slo: ok_p99<300ms judges only the requests that did not fail") ||
		!strings.Contains(res.stderr, "failure_rate") {
		t.Errorf("no warning that the SLO lacks failure_rate:\n%s", res.stderr)
	}
	for _, want := range []string{"ok_p(99) [90% CI]", "none succeeded", "FAIL (no request succeeded)", "p99<300ms, ok_p99<300ms\n",
		"ok_p99<300ms judges only the requests that did not fail: a probe in which most requests fail, fast, can meet it"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, res.stdout)
		}
	}
	var doc prober.Document
	b, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(b, &doc)
	}
	if err != nil || len(doc.Probes) != 1 || len(doc.Probes[0].Objectives) != 2 {
		t.Fatalf("document: %v %+v", err, doc)
	}
	if o := doc.Probes[0].Objectives[1]; o.Objective != "ok_p99<300ms" || !o.NoSuccess || o.Value != nil || o.Verdict != "FAIL" {
		t.Errorf("the objective in the document: %+v", o)
	}
	if len(doc.Warnings) != 1 || !strings.HasPrefix(doc.Warnings[0], "ok_p99<300ms judges only the requests that did not fail") {
		t.Errorf("the document's warnings: %q", doc.Warnings)
	}
	if html, err := os.ReadFile(page); err != nil || !strings.Contains(string(html), `role="alert">Warning: ok_p99&lt;300ms judges only`) {
		t.Errorf("the report does not warn: %v", err)
	}
}
