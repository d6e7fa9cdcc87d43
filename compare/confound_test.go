package compare

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/surge-dev/surge/metrics"
)

// mixedRun is a run of one endpoint at rps requests a second: a share
// failed of them fail, with latencies around failMs, the others succeed
// around okMs (log-normal, σ 0.3).
func mixedRun(label string, rps int, okMs, failMs, failed float64, seed uint64) *Run {
	rng := rand.New(rand.NewPCG(seed, 7))
	run := &Run{Label: label}
	all := metrics.NewHistogram()
	for range 30 {
		iv := Interval{Seconds: 1, Latency: metrics.NewHistogram(), Endpoints: make([]Counts, 1)}
		for range rps {
			c, ms := Counts{Requests: 1}, okMs
			if rng.Float64() < failed {
				c.Failures, ms = 1, failMs
			}
			us := max(int64(ms*1000*math.Exp(0.3*rng.NormFloat64())), 1)
			_ = iv.Latency.RecordValue(us)
			_ = all.RecordValue(us)
			iv.Requests, iv.Failures = iv.Requests+1, iv.Failures+c.Failures
			iv.Endpoints[0] = iv.Endpoints[0].plus(c)
		}
		run.Intervals = append(run.Intervals, iv)
	}
	run.Endpoints = []Endpoint{{Name: "GET /items", Latency: all}}
	return run
}

// A head whose every request failed at once (a proxy's 503 in 0.5 ms)
// against a healthy base (20 ms): the failure rate regressed, and the
// latency rows, which mix in the failed responses, must not read
// "improved". They are inconclusive, each saying why, and a note says
// what latency holds.
func TestEveryRequestFailedIsNotALatencyImprovement(t *testing.T) {
	rep := mustCompare(t, mixedRun("base", 200, 20, 0.5, 0, 1), mixedRun("head", 200, 20, 0.5, 1, 2), fast)
	if v := rep.row(AllEndpoints, FailureRate).Verdict; v != Regressed {
		t.Fatalf("failure rate 0%% → 100%%: %s", v)
	}
	if n := rep.Count(Improved); n != 0 {
		t.Errorf("%d rows improved: %s", n, summaryLine(rep))
	}
	for _, m := range []Metric{P50, P90, P95, Mean} {
		r := rep.row(AllEndpoints, m)
		if r.Verdict != Inconclusive || !strings.Contains(r.Note, "failures 0% → 100% alone could explain it") {
			t.Errorf("%s: %s (%q)", m, r.Verdict, r.Note)
		}
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "all: failures went from 0% to 100% and latency includes the failed responses") {
		t.Errorf("notes: %q", rep.Notes)
	}
}

// The way back: a base that failed every request at once against a head
// that serves them in 20 ms. Its latency is higher, but that is the
// service answering again, not a regression: no row may fail the job.
func TestRecoveryFromFailuresIsNotALatencyRegression(t *testing.T) {
	rep := mustCompare(t, mixedRun("base", 200, 20, 0.5, 1, 3), mixedRun("head", 200, 20, 0.5, 0, 4), fast)
	if v := rep.row(AllEndpoints, FailureRate).Verdict; v != Improved {
		t.Fatalf("failure rate 100%% → 0%%: %s", v)
	}
	if n := rep.Count(Regressed); n != 0 {
		t.Errorf("%d rows regressed: %s", n, summaryLine(rep))
	}
}

// A few more failures do not hide a real slowdown: 0.5 % of requests
// failing could move the median by a hair, not by 30 %, so p50 still
// regresses; the same share can explain a tail that moved, so those rows
// are withheld only when it does.
func TestFewMoreFailuresKeepARealLatencyVerdict(t *testing.T) {
	rep := mustCompare(t, mixedRun("base", 400, 20, 0.5, 0, 5), mixedRun("head", 400, 26, 0.5, 0.02, 6), fast)
	if v := rep.row(AllEndpoints, FailureRate).Verdict; v != Regressed {
		t.Fatalf("failure rate 0%% → 2%%: %s", v)
	}
	for _, m := range []Metric{P50, P90} {
		if r := rep.row(AllEndpoints, m); r.Verdict != Regressed {
			t.Errorf("%s +30%% with 2%% more failures: %s (%q)", m, r.Verdict, r.Note)
		}
	}
}
