package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/results"
)

// everyFifthFails answers 500 to every fifth request and 200 otherwise.
func everyFifthFails(t *testing.T) *httptest.Server {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%5 == 0 {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

const failureRateScript = `config:
  phases: [{duration: 2, arrivalCount: 200}]
  plugins: {ensure: {}}
  ensure:
    conditions:
      - expression: "http.failure_rate_pct < 1"
        strict: true
scenarios: [{flow: [{get: {url: /}}]}]
`

// TestFailureRateIsTheSameEverywhere: 20 % of responses are 500s. The
// summary, the results file, the report and the dashboard all say 20 %
// failures and no errors, and the ensure condition on the failure rate
// fails the run with exit code 1.
func TestFailureRateIsTheSameEverywhere(t *testing.T) {
	srv := everyFifthFails(t)
	dir := t.TempDir()
	out, page := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.html")
	addr := freeaddr.Loopback(t)
	frames := make(chan dashboard.Frame, 1)
	go func() { frames <- lastFrame(t, addr) }()
	res := surge(t, context.Background(), "run", "-t", srv.URL, "--output", out, "--report", page,
		"--dashboard="+addr, runScriptFile(t, failureRateScript))
	if res.code != ExitThresholds {
		t.Fatalf("exit %d, want %d (the failure-rate check fails)\nstdout %s\nstderr %s", res.code, ExitThresholds,
			res.stdout, res.stderr)
	}
	for _, want := range []string{
		"failures: 40 of 200 requests (20.0%): 0 errors (0.0%), 40 responses outside the expected statuses 100-399",
		"fail: http.failure_rate_pct < 1",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, res.stdout)
		}
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Aggregate; a.Failures != 40 || a.FailureRatePct != 20 || a.ErrorRatePct != 0 || a.Errors != 0 ||
		r.Endpoints[0].FailureRatePct != 20 || r.Test.ExpectStatus != "100-399" {
		t.Errorf("results: %d failures (%v %%), %d errors (%v %%), endpoint %v %%, expected %q", a.Failures,
			a.FailureRatePct, a.Errors, a.ErrorRatePct, r.Endpoints[0].FailureRatePct, r.Test.ExpectStatus)
	}
	if got := reportFailureShare(t, page); got != "20 %" {
		t.Errorf("report: failures card says %q, want 20 %%", got)
	}
	select {
	case f := <-frames:
		if f.Summary.Requests == 0 {
			t.Fatal("no dashboard frame with requests")
		}
		rate := 100 * float64(f.Summary.Failures) / float64(f.Summary.Requests)
		if math.Abs(rate-20) > 1 || math.Abs(f.Summary.FailureRatePct-rate) > 0.01 || f.Summary.Errors != 0 {
			t.Errorf("dashboard frame: %d failures of %d requests, failure rate %.2f %% (computed %.2f %%), %d errors; want 20 %% and 0",
				f.Summary.Failures, f.Summary.Requests, f.Summary.FailureRatePct, rate, f.Summary.Errors)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no dashboard frame")
	}
}

// reportFailureShare reads the share under the report's Failures card.
func reportFailureShare(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<div class="label">Failures</div><div class="value">[^<]*</div><div class="note">([^<]*) of requests`).FindSubmatch(b)
	if m == nil {
		t.Fatal("the report has no Failures card")
	}
	return string(m[1])
}

// lastFrame follows the dashboard's event stream until it ends (the run
// is over) and returns the last frame it carried.
func lastFrame(t *testing.T, addr string) dashboard.Frame {
	var resp *http.Response
	for range 200 {
		var err error
		if resp, err = http.Get("http://" + addr + "/api/events"); err == nil {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	var last dashboard.Frame
	if resp == nil {
		return last
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			event = name
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok && event == "frame" {
			var f dashboard.Frame
			if json.Unmarshal([]byte(data), &f) == nil {
				last = f
			}
		}
	}
	return last
}

// TestExpectStatusFlag: --expect-status decides what a failure is, for
// quick and for run (over the script's config.http.expectStatus).
func TestExpectStatusFlag(t *testing.T) {
	srv := everyFifthFails(t)
	dir := t.TempDir()
	quickOut, runOut := filepath.Join(dir, "q.json"), filepath.Join(dir, "r.json")
	res := surge(t, context.Background(), "quick", srv.URL, "--rate", "100", "--duration", "1s", "-q",
		"--expect-status", "2xx,500", "--output", quickOut)
	if res.code != ExitOK {
		t.Fatalf("quick: exit %d: %s", res.code, res.stderr)
	}
	script := "config:\n  phases: [{duration: 1, arrivalCount: 50}]\n  http: {expectStatus: [200]}\n" +
		"scenarios: [{flow: [{get: {url: /}}]}]\n"
	res = surge(t, context.Background(), "run", "-q", "-t", srv.URL, "--expect-status", "200,500",
		"--output", runOut, runScriptFile(t, script))
	if res.code != ExitOK {
		t.Fatalf("run: exit %d: %s", res.code, res.stderr)
	}
	for path, want := range map[string]string{quickOut: "200-299,500", runOut: "200,500"} {
		r, err := results.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if r.Aggregate.Codes["500"] == 0 || r.Aggregate.Failures != 0 || r.Test.ExpectStatus != want {
			t.Errorf("%s: %d failures with %d 500s, expected statuses %q; want none and %q",
				filepath.Base(path), r.Aggregate.Failures, r.Aggregate.Codes["500"], r.Test.ExpectStatus, want)
		}
	}
}

// TestBadExpectStatusIsAUsageError: nothing is sent.
func TestBadExpectStatusIsAUsageError(t *testing.T) {
	srv, n := countingServer(t)
	script := runScriptFile(t, "config:\n  phases: [{duration: 1, arrivalCount: 5}]\nscenarios: [{flow: [{get: {url: /}}]}]\n")
	for _, args := range [][]string{
		{"quick", srv.URL, "--expect-status", "600"},
		{"quick", srv.URL, "--expect-status", ""},
		{"run", "-t", srv.URL, "--expect-status", "2xx,", script},
		{"run", "-t", srv.URL, "--expect-status", "300-200", script},
	} {
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, "expect-status") {
			t.Errorf("%q: exit %d, stderr %q; want %d naming the flag", args, res.code, res.stderr, ExitUsage)
		}
	}
	if n.Load() != 0 {
		t.Fatalf("%d requests sent despite a bad --expect-status", n.Load())
	}
}

// TestHTTP2ToAnHTTP1ServerIsNamed: --protocol http2 to an http:// target
// that speaks only HTTP/1.1 counted each request as EOTHER; the results
// now say ENOHTTP2 and the summary says why and what to use instead.
func TestHTTP2ToAnHTTP1ServerIsNamed(t *testing.T) {
	srv, _ := countingServer(t)
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "quick", srv.URL, "-n", "3", "--protocol", "http2", "-o", out)
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatalf("exit %d: %v\n%s", res.code, err, res.stderr)
	}
	if n := r.Aggregate.ErrorKind["ENOHTTP2"]; n != 3 || r.Aggregate.Errors != 3 {
		t.Fatalf("errors %v, want ENOHTTP2=3", r.Aggregate.ErrorKind)
	}
	if !strings.Contains(res.stdout, "hint: ENOHTTP2: the target does not speak HTTP/2: over TLS it did not choose h2 in ALPN") {
		t.Fatalf("no hint in the summary:\n%s", res.stdout)
	}
}
