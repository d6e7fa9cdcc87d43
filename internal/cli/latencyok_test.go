package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
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

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/internal/freeaddr"
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

// The live dashboard of the same overloaded run shows the latency of the
// requests that did not fail, slow where that of every request is fast:
// the run's and the endpoint's in every frame, each second's on its chart
// point, equal to what the results file downloaded from the dashboard
// holds (the same histograms).
func TestDashboardShowsTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	const slow = 100 * time.Millisecond
	srv := overloadedServer(t, slow)
	addr := freeaddr.Loopback(t)
	stop := runInBackground(t, "ui", "--addr", addr, "-t", srv.URL)
	defer stop()
	waitListening(t, addr)
	client := &http.Client{Timeout: 60 * time.Second}
	events, err := client.Get("http://" + addr + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	resp, err := http.Post("http://"+addr+"/api/start", "application/json", strings.NewReader(`{"rate": 100, "duration": "2s"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("start: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	var frames []dashboard.Frame
	for _, ev := range readFrames(t, events.Body, 45*time.Second) {
		var f dashboard.Frame
		if ev.name == "frame" && json.Unmarshal([]byte(ev.data), &f) == nil {
			frames = append(frames, f)
		}
	}
	r := downloadResults(t, "http://"+addr+"/api/results.json")
	final := frames[len(frames)-1]
	if a := r.Aggregate; a.Failures == 0 || a.LatencyOK == nil || a.LatencyOK.Sample != a.Requests-a.Failures {
		t.Fatalf("results: %d requests, %d failures, latency_ok %+v", a.Requests, a.Failures, a.LatencyOK)
	}
	if got, want := final.Summary.LatencyOK, okPercentiles(r.Aggregate.LatencyOK); got == nil || *got != *want {
		t.Errorf("final frame: latency_ok %+v, the results file %+v", got, want)
	}
	if got, want := final.Endpoints[0].LatencyOK, okPercentiles(r.Endpoints[0].LatencyOK); got == nil || *got != *want {
		t.Errorf("final frame, %s: latency_ok %+v, the results file %+v", r.Endpoints[0].Name, got, want)
	}
	if ok := final.Summary.LatencyOK; ok == nil || final.Summary.P50 >= ok.P50 || ok.P50 < float64(slow/time.Millisecond) {
		t.Errorf("final frame: p50 %v ms, latency_ok %+v: want the latter slow (%v or more), the first faster", final.Summary.P50, ok, slow)
	}
	checkPoints(t, frames, r)
}

// okPercentiles is what the dashboard shows of l: nil when nothing
// succeeded.
func okPercentiles(l *results.Latency) *dashboard.Percentiles {
	if l == nil || l.Sample == 0 {
		return nil
	}
	return &dashboard.Percentiles{P50: l.P50, P95: l.P95, P99: l.P99}
}

// checkPoints holds each frame's chart point to its second in r: the p50
// of the requests that did not fail (six significant digits), or a gap.
func checkPoints(t *testing.T, frames []dashboard.Frame, r *results.Results) {
	t.Helper()
	seen := 0
	for _, f := range frames {
		if f.Point == nil { // a last fraction of a second is not plotted
			continue
		}
		if f.Point.LatencyOK == nil || len(f.Point.T) != 1 || int(f.Point.T[0]) >= len(r.Intervals) {
			t.Fatalf("point %+v without latency_ok, or of a second the results do not have", f.Point)
		}
		got, want := f.Point.LatencyOK.P50[0], okPercentiles(r.Intervals[int(f.Point.T[0])].LatencyOK)
		if want == nil && !math.IsNaN(got) || want != nil && math.Abs(got-want.P50) > 1e-5*want.P50 {
			t.Errorf("second %v: p50 of the requests that did not fail %v on the chart, %+v in the results file", f.Point.T[0], got, want)
		}
		seen++
	}
	if seen == 0 {
		t.Error("no frame had a chart point")
	}
}

func downloadResults(t *testing.T, url string) *results.Results {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r results.Results
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return &r
}
