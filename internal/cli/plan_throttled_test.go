package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/results"
)

// throttledHandler is how long throttledServer's function runs.
const throttledHandler = 40 * time.Millisecond

// throttledServer answers like a throttled Lambda function: of its first
// 150 requests, 3 in 4 get a 429 at once and the 4th a 200 after
// throttledHandler; every later one gets a 429. The throttles outlast the
// successes, so that no second of a run, its last one included, is free
// of failures (a second of successes alone would hide the bug).
func throttledServer(t *testing.T) *httptest.Server {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i := n.Add(1); i%4 != 0 || i > 150 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		time.Sleep(throttledHandler)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// plannedDuration plans from a results file with --handler-duration stat
// and returns the handler duration the plan used, and its stderr.
func plannedDuration(t *testing.T, file, stat string) (time.Duration, string) {
	t.Helper()
	res := surge(t, context.Background(), "plan", file, "--handler-duration", stat, "--format", "json", "--advice=false")
	var pl plan.LambdaPlan
	if err := json.Unmarshal([]byte(res.stdout), &pl); res.code != ExitOK || err != nil {
		t.Fatalf("plan %s: exit %d, %v: %s", stat, res.code, err, res.stderr)
	}
	return pl.Config.HandlerDuration, res.stderr
}

// A throttled run fails in every second, and its failures are instant:
// the plan's handler duration (mean and p50) is the successes' service
// time, not pulled down by the 429s, from the results file and from the
// stream alike; the summary line shows it rounded.
func TestPlanDurationLeavesTheThrottlesOut(t *testing.T) {
	srv := throttledServer(t)
	dir := t.TempDir()
	script := planScript(t, "    - duration: 2\n      arrivalRate: 100\n")
	file, stream := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.jsonl")
	if res := surge(t, context.Background(), "run", "-q", "-t", srv.URL, "-o", file, "--stream", stream, script); res.code != ExitOK && res.code != ExitThresholds {
		t.Fatalf("run: exit %d: %s", res.code, res.stderr)
	}
	for _, f := range []string{file, stream} {
		for _, stat := range []string{"mean", "p50"} {
			d, stderr := plannedDuration(t, f, stat)
			// The sleep is the floor; a busy machine's scheduling adds to
			// each success (10 ms on average at a load average of 20).
			// The throttles would pull it far down: 3 in 4 are instant.
			if d < throttledHandler-time.Millisecond || d > throttledHandler*3/2 || strings.Contains(stderr, "failed requests") {
				t.Errorf("%s, %s: planned %v (stderr %q), want about %v", filepath.Base(f), stat, d, stderr, throttledHandler)
			}
		}
	}
	res := surge(t, context.Background(), "plan", file, "--advice=false")
	if !regexp.MustCompile(`, [456]\d(\.\d)?ms each `).MatchString(res.stdout) {
		t.Errorf("the summary line does not show the duration rounded:\n%s", res.stdout)
	}
}

// A results file of an earlier Surge holds no service time of the
// successes alone: the plan reads every request's, as it did, and says on
// stderr that the failed requests are in it.
func TestPlanDurationFromAnOlderFileSaysFailuresAreIn(t *testing.T) {
	srv := throttledServer(t)
	file := filepath.Join(t.TempDir(), "r.json")
	script := planScript(t, "    - duration: 1\n      arrivalRate: 100\n")
	if res := surge(t, context.Background(), "run", "-q", "-t", srv.URL, "-o", file, script); res.code != ExitOK && res.code != ExitThresholds {
		t.Fatalf("run: exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	r.Aggregate.ServiceOK, r.Aggregate.Hist.ServiceOK = nil, ""
	for i := range r.Endpoints {
		r.Endpoints[i].ServiceOK, r.Endpoints[i].Hist.ServiceOK = nil, ""
	}
	for i := range r.Intervals {
		r.Intervals[i].ServiceOK, r.Intervals[i].Hist.ServiceOK = nil, ""
	}
	if err := results.WriteFile(file, r); err != nil {
		t.Fatal(err)
	}
	d, stderr := plannedDuration(t, file, "p50")
	if d > throttledHandler/2 || !strings.Contains(stderr, "failed requests (of 100)") {
		t.Errorf("planned %v, stderr %q; want every request's median, with a note", d, stderr)
	}
}
