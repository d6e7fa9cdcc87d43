package compare

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// throttledServer answers like a function at its concurrency limit: of
// every ten requests, `failing` get a 503 at once and the others a 200
// after slow.
func throttledServer(t *testing.T, failing int64, slow time.Duration) *httptest.Server {
	srv := httptest.NewServer(throttled(failing, slow))
	t.Cleanup(srv.Close)
	return srv
}

func throttled(failing int64, slow time.Duration) http.HandlerFunc {
	var n atomic.Int64
	return func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1)%10 < failing {
			time.Sleep(fastFailure)
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(slow)
	}
}

// fastFailure is how long a throttled request takes: fast, as a
// throttled Lambda's 429, but not instant. The base's median over every
// request is a failure's, and an instant one (0.2 ms) read anywhere up to
// several ms a second on a machine beside a CPU hog: a variance between
// seconds that the design effect rightly turned into "inconclusive".
const fastFailure = 5 * time.Millisecond

// realRun runs 11 s of 150 requests a second against url through the
// session library and returns the results file's path.
func realRun(t *testing.T, url, path string) error {
	test, err := session.OneRequest("GET", url+"/fn", nil, nil)
	if err != nil {
		return err
	}
	return runTest(test, path)
}

// runTest runs test for 11 s at 150 requests a second, writing the
// results file path.
func runTest(test *engine.Test, path string) error {
	test.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 150, Duration: 11 * time.Second}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := session.Run(ctx, test, results.Test{Name: filepath.Base(path)}, session.Options{ResultsFile: path})
	return err
}

// runBoth runs the base and the head at once (run(i, path) is side i)
// and returns their files' paths.
func runBoth(t *testing.T, run func(i int, path string) error) [2]string {
	t.Helper()
	dir := t.TempDir()
	paths := [2]string{filepath.Join(dir, "before.json"), filepath.Join(dir, "after.json")}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range paths {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = run(i, paths[i]) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s: %v", paths[i], err)
		}
	}
	return paths
}

// The serverless lab's "test, optimise, test again": the base is
// throttled (seven requests in ten fail with a fast 503, the others
// take 160 ms), the optimised head much less (one in ten) and its
// successes take 40 ms. Over every request the head looks slower (its
// median is a success, the base's a fast failure); over the requests
// that did not fail it is faster, and compare must say both and why.
// Both runs go at once, against two servers on 127.0.0.1. (The durations
// are long enough that a loaded machine's scheduling cannot blur the two
// medians: at 40 and 10 ms, with instant 503s, the test failed beside a
// CPU hog.)
func TestFewerFastFailuresAndFasterSuccesses(t *testing.T) {
	if testing.Short() {
		t.Skip("two 11 s runs")
	}
	servers := []*httptest.Server{throttledServer(t, 7, 160*time.Millisecond), throttledServer(t, 1, 40*time.Millisecond)}
	paths := runBoth(t, func(i int, path string) error { return realRun(t, servers[i].URL, path) })
	base, head := readRun(t, paths[0], nil), readRun(t, paths[1], nil)
	rep := mustCompare(t, base, head, fast)
	checkFewerFastFailures(t, rep)
	checkShiftsOfFewerFastFailures(t, rep, base, head)
	t.Run("a file without hist.latency_ok", func(t *testing.T) {
		old := readRun(t, paths[0], withoutLatencyOK)
		rep := mustCompare(t, old, head, fast)
		checkOldFile(t, rep, old.Label)
	})
}

// readRun reads a results file as compare does, after edit (when not nil)
// changed it and it was written and read back.
func readRun(t *testing.T, path string, edit func(*results.Results)) *Run {
	t.Helper()
	r, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	label := filepath.Base(path)
	if edit != nil {
		edit(r)
		path = filepath.Join(t.TempDir(), "old-"+label)
		label = filepath.Base(path)
		if err := results.WriteFile(path, r); err != nil {
			t.Fatal(err)
		}
		if r, err = results.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	run, err := FromResults(label, r, Window{From: 1})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// withoutLatencyOK makes r a file of a Surge before hist.latency_ok.
func withoutLatencyOK(r *results.Results) {
	r.Aggregate.LatencyOK, r.Aggregate.Hist.LatencyOK = nil, ""
	for i := range r.Endpoints {
		r.Endpoints[i].LatencyOK, r.Endpoints[i].Hist.LatencyOK = nil, ""
	}
	for i := range r.Intervals {
		r.Intervals[i].LatencyOK, r.Intervals[i].Hist.LatencyOK = nil, ""
	}
}

// checkFewerFastFailures: the failures fell, the median over every
// request rose (regressed, or withheld as the mix's doing, never
// improved), the successes' median and mean improved by about the
// handlers' 10/40, and the text says why in a sentence.
func checkFewerFastFailures(t *testing.T, rep *Report) {
	t.Helper()
	var text bytes.Buffer
	if err := WriteText(&text, rep); err != nil {
		t.Fatal(err)
	}
	t.Logf("compare:\n%s", text.String())
	if fr := rep.row(AllEndpoints, FailureRate); fr.Verdict != Improved {
		t.Errorf("failure_rate %s, want improved", fr.Verdict)
	}
	if p50 := rep.row(AllEndpoints, P50); p50.Ratio < 2 || p50.Verdict == Improved || p50.Verdict == NoChange {
		t.Errorf("p50 of all requests: ratio %.2f, %s; want it to look worse", p50.Ratio, p50.Verdict)
	}
	// The mean of the successes is improved on an idle machine; on a
	// loaded one its stalls may leave it inconclusive, never regressed.
	for _, m := range []Metric{OKP50, OKMean} {
		r := rep.row(AllEndpoints, m)
		if r.Verdict != Improved && (m == OKP50 || r.Verdict != Inconclusive) || r.Ratio > 0.6 || r.BaseRequests >= r.HeadRequests {
			t.Errorf("%s: %s, ratio %.2f, %d → %d successes; want improved, about 0.25", m, r.Verdict, r.Ratio, r.BaseRequests, r.HeadRequests)
		}
	}
	want := "all: the latency of all requests looks worse (p50 +"
	if len(rep.Findings) != 1 || !strings.HasPrefix(rep.Findings[0], want) || !strings.Contains(text.String(), "\n"+want) ||
		!strings.Contains(rep.Findings[0], "failures went from 70") {
		t.Errorf("findings %q; want one starting %q that names the failures, in the text", rep.Findings, want)
	}
}

// checkOldFile: a file without the success-only latency still compares,
// without ok_ rows, and a note says why.
func checkOldFile(t *testing.T, rep *Report, label string) {
	t.Helper()
	for _, r := range rep.Rows {
		if r.Metric.IsOK() {
			t.Errorf("%s %s: a row without the histogram it reads", r.Scope, r.Metric)
		}
	}
	if r := rep.row(AllEndpoints, FailureRate); r.Verdict != Improved {
		t.Errorf("failure_rate %s, want improved", r.Verdict)
	}
	// One note, for the rows and the Mann-Whitney test of that latency
	// alike, naming the run.
	const lacks = " holds no latency of the requests that did not fail (hist.latency_ok"
	noted, named := 0, false
	for _, n := range rep.Notes {
		if strings.Contains(n, lacks) {
			noted, named = noted+1, strings.HasPrefix(n, label+lacks)
		}
	}
	if noted != 1 || !named || len(rep.Findings) != 0 {
		t.Errorf("notes %q, findings %q; want one note that %s lacks hist.latency_ok, no finding", rep.Notes, rep.Findings, label)
	}
	for _, sh := range rep.Shifts {
		if sh.Latency != LatencyAll {
			t.Errorf("%s: a %s shift without the histogram it reads", sh.Scope, sh.Latency)
		}
	}
}
