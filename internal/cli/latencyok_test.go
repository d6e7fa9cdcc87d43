package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// overloadedServer answers like an overloaded service: 24 requests in 25
// get a 503 at once, the 25th a 200 after slow.
func overloadedServer(t *testing.T, slow time.Duration) *httptest.Server {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%25 != 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(slow)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The overloaded run looks fast over every request (its p50, and on a
// quiet machine even its p95, are fast failures) and slow over the
// requests that did not fail.
// The results file, the stream, the summary, the merge of two shares and
// k6's threshold on http_req_duration{expected_response:true} all show
// the second, counting requests less failures; the plain threshold
// passes where that one fails.
func TestFastFailuresDoNotHideSlowSuccesses(t *testing.T) {
	const slow = 150 * time.Millisecond
	srv := overloadedServer(t, slow)
	dir := t.TempDir()
	script := filepath.Join(dir, "overload.yml")
	body := fmt.Sprintf("config:\n  target: %s\n  phases: [{duration: 1, arrivalCount: 200}]\nscenarios:\n  - flow: [{get: {url: /x}}]\n", srv.URL)
	if err := os.WriteFile(script, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// The medians: on a machine whose cores are taken, the fast failures
	// begin late too, and latency counts from the intended start, so a
	// p95 in the failures read 160 ms there; their median stays far below
	// the successes', which are held 150 ms whatever the load.
	okRule, plainRule := "http_req_duration{expected_response:true}: p(50)<100", "http_req_duration: p(50)<100"
	single, stream := filepath.Join(dir, "single.json"), filepath.Join(dir, "single.jsonl")
	res := surge(t, context.Background(), "run", "-o", single, "--stream", stream, "--threshold", okRule, "--threshold", plainRule, script)
	checkVerdicts(t, "run", res, okRule, plainRule)
	r := readAll(t, single, stream)
	checkOK(t, "run", r, slow)
	if res := surge(t, context.Background(), "report", stream, "-o", filepath.Join(dir, "r.html")); res.code != ExitOK {
		t.Errorf("surge report of the stream: exit %d: %s", res.code, res.stderr)
	}

	var shares []string
	for i := range 2 {
		out := filepath.Join(dir, fmt.Sprintf("share%d.json", i))
		if res := surge(t, context.Background(), "run", "-q", "-o", out, "--segment", fmt.Sprintf("%d/2", i), script); res.code != ExitOK {
			t.Fatalf("share %d: exit %d: %s", i, res.code, res.stderr)
		}
		shares = append(shares, out)
	}
	merged := filepath.Join(dir, "merged.json")
	res = surge(t, context.Background(), append([]string{"merge", "-o", merged, "--threshold", okRule, "--threshold", plainRule}, shares...)...)
	checkVerdicts(t, "merge", res, okRule, plainRule)
	checkOK(t, "merge", readAll(t, merged), slow)
}

// checkVerdicts holds a run's (or a merge's) output to the point of the
// test: the summary's line for the requests that did not fail counts
// requests less failures, and the threshold on them fails while the
// plain one passes.
func checkVerdicts(t *testing.T, what string, res cmdResult, okRule, plainRule string) {
	t.Helper()
	if res.code != ExitThresholds || !strings.Contains(res.stdout, "fail: "+okRule) || !strings.Contains(res.stdout, "ok: "+plainRule) {
		t.Fatalf("%s: exit %d, want %d with %q failed and %q passed:\n%s\n%s", what, res.code, ExitThresholds, okRule, plainRule, res.stdout, res.stderr)
	}
	m := regexp.MustCompile(`latency of the (\d+) requests that did not fail \((\d+) failed\): p50 (\d+)ms`).FindStringSubmatch(res.stdout)
	if m == nil {
		t.Fatalf("%s: no summary line for the requests that did not fail:\n%s", what, res.stdout)
	}
	ok, failed, p50 := atoi(t, m[1]), atoi(t, m[2]), atoi(t, m[3])
	if ok+failed != 200 || ok != 8 || p50 < 150 {
		t.Errorf("%s: summary says %d did not fail, %d failed, p50 %d ms: want 8 of 200 at 150 ms or more", what, ok, failed, p50)
	}
}

func atoi(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// readAll reads files that must hold the same document (a results file
// and its run's stream) and returns the first.
func readAll(t *testing.T, paths ...string) *results.Results {
	t.Helper()
	var first *results.Results
	for _, p := range paths {
		r, err := results.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = r
		} else if *r.Aggregate.LatencyOK != *first.Aggregate.LatencyOK {
			t.Errorf("%s: latency_ok %+v, %s has %+v", p, *r.Aggregate.LatencyOK, paths[0], *first.Aggregate.LatencyOK)
		}
	}
	return first
}

// checkOK: every figure of the file counts requests less failures; the
// p50 of every request is a fast failure's, that of the requests that did
// not fail a slow success's.
func checkOK(t *testing.T, what string, r *results.Results, slow time.Duration) {
	t.Helper()
	a := r.Aggregate
	ms := float64(slow / time.Millisecond)
	if a.Failures != 192 || a.LatencyOK == nil || a.LatencyOK.Sample != a.Requests-a.Failures ||
		a.Latency.P50 >= ms/2 || a.LatencyOK.P50 < ms {
		t.Fatalf("%s: %d requests, %d failures, p50 %v ms, latency_ok %+v: want 192 failures, a fast p50, a slow one of the successes",
			what, a.Requests, a.Failures, a.Latency.P50, a.LatencyOK)
	}
	for _, e := range r.Endpoints {
		if e.LatencyOK == nil || e.LatencyOK.Sample != e.Requests-e.Failures {
			t.Errorf("%s: endpoint %s: %d requests, %d failures, latency_ok %+v", what, e.Name, e.Requests, e.Failures, e.LatencyOK)
		}
	}
	var sum int64
	for _, iv := range r.Intervals {
		if iv.LatencyOK == nil || iv.LatencyOK.Sample != iv.Requests-iv.Failures {
			t.Fatalf("%s: second %d: %d requests, %d failures, latency_ok %+v", what, iv.Index, iv.Requests, iv.Failures, iv.LatencyOK)
		}
		sum += iv.LatencyOK.Sample
	}
	if sum != a.LatencyOK.Sample {
		t.Errorf("%s: the seconds hold %d requests that did not fail, the aggregate %d", what, sum, a.LatencyOK.Sample)
	}
}
