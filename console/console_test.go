package console

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

func snapshot(elapsed time.Duration, final bool) metrics.Snapshot {
	st := metrics.NewStats("")
	st.Requests = 100
	for i := range 100 {
		st.Latency.RecordValue(int64(i+1) * 1000)
	}
	return metrics.Snapshot{Elapsed: elapsed, Final: final, Total: st,
		Interval: metrics.Interval{Duration: time.Second, Stats: st, ActiveVUs: 7}}
}

func TestProgressPlainLinesArePaced(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{W: &buf, Total: 30 * time.Second, Every: 5 * time.Second}
	for s := 1; s <= 12; s++ {
		p.Update(snapshot(time.Duration(s)*time.Second, false))
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines in 12 s at one per 5 s, got %d:\n%s", len(lines), buf.String())
	}
	for _, want := range []string{"0:05/0:30", "rps 100", "p99 99ms", "vus 7"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("line %q lacks %q", lines[0], want)
		}
	}
	if strings.Contains(buf.String(), "\r") {
		t.Error("plain output must not redraw")
	}
}

func TestProgressTTYRedrawsWithETA(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{W: &buf, TTY: true, Total: 10 * time.Second}
	p.Update(snapshot(4*time.Second, false))
	p.Update(snapshot(10*time.Second, true))
	out := buf.String()
	if !strings.HasPrefix(out, "\r\033[K[========") || !strings.Contains(out, "ETA 0:06") || !strings.HasSuffix(out, "\n") {
		t.Fatalf("tty output %q", out)
	}
}

func TestSummaryTable(t *testing.T) {
	r := &results.Results{Test: results.Test{DurationS: 3}}
	r.Aggregate.Requests = 900
	r.Aggregate.Codes = map[string]int64{"200": 890, "503": 10}
	r.Aggregate.ErrorKind = map[string]int64{"ETIMEDOUT": 2}
	r.Aggregate.Latency = results.Latency{P50: 1.5, P99: 250, P999: 900, Max: 1200}
	r.Endpoints = []results.Endpoint{{Name: "GET /x", Stats: r.Aggregate.Stats}}
	var buf bytes.Buffer
	Summary(&buf, r)
	out := buf.String()
	for _, want := range []string{"p99.9", "GET /x", "900", "1.50ms", "250ms", "1200ms", "codes: 200=890 503=10", "errors: ETIMEDOUT=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

// TestSummaryShowsFailuresBesideErrors: 429s are failures, not errors;
// the table and the failure line show both, and failed VUs say why.
func TestSummaryShowsFailuresBesideErrors(t *testing.T) {
	r := &results.Results{Test: results.Test{DurationS: 10, ExpectStatus: "100-399"}}
	a := &r.Aggregate
	a.Requests, a.Errors, a.Failures = 2000, 0, 1021
	a.FailureRatePct, a.ErrorRatePct = results.Pct(1021, 2000), 0
	a.Codes = map[string]int64{"200": 979, "429": 1021}
	a.VUsers = results.VUs{Created: 12, Failed: 10, FailedBy: []results.VUFailure{
		{Reason: "EINVALIDURL", Count: 9, First: `url "ftp://x": unsupported scheme "ftp"`},
		{Reason: "ETIMEDOUT", Count: 1, First: "ETIMEDOUT: no response in 10s"}}}
	r.Endpoints = []results.Endpoint{{Name: "/x", Stats: a.Stats}}
	var buf bytes.Buffer
	Summary(&buf, r)
	out := buf.String()
	lines := strings.Split(out, "\n")
	header, row := strings.Fields(lines[2]), strings.Fields(lines[3])
	col := func(name string) string {
		for i, h := range header {
			if h == name {
				return row[i]
			}
		}
		return ""
	}
	if col("errors") != "0" || col("failures") != "1021" || col("fail%") != "51.0%" {
		t.Errorf("row: errors %q failures %q fail%% %q\n%s", col("errors"), col("failures"), col("fail%"), out)
	}
	for _, want := range []string{
		"failures: 1021 of 2000 requests (51.0%): 0 errors (0.0%), 1021 responses outside the expected statuses 100-399",
		`vusers failed 10: EINVALIDURL 9 (url "ftp://x": unsupported scheme "ftp"), ETIMEDOUT 1 (no response in 10s)`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestSummarySaysWhenStatisticsWereReset(t *testing.T) {
	t0 := time.Unix(1000, 0)
	r := &results.Results{Test: results.Test{Started: t0, DurationS: 60, ResetAt: t0.Add(20 * time.Second)}}
	r.Aggregate.SpanS = 40
	var buf bytes.Buffer
	Summary(&buf, r)
	if want := "Summary (1:00; statistics reset at 0:20: figures cover the last 0:40)"; !strings.Contains(buf.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, buf.String())
	}
}

func TestPctNeverHidesARareFailure(t *testing.T) {
	for v, want := range map[float64]string{0: "0.0%", 0.004: "0.004%", 0.05: "0.05%", 20: "20.0%", 100: "100.0%"} {
		if got := Pct(v); got != want {
			t.Errorf("Pct(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestProgressShowsFailures(t *testing.T) {
	s := snapshot(5*time.Second, false)
	s.Total.Failures, s.Total.Errors = 20, 3
	var buf bytes.Buffer
	(&Progress{W: &buf, Every: time.Second}).Update(s)
	if want := "failures 20 (20.0%) errors 3"; !strings.Contains(buf.String(), want) {
		t.Errorf("progress %q lacks %q", buf.String(), want)
	}
}

func TestNoRequestsNoFailureRate(t *testing.T) {
	var buf bytes.Buffer
	row(&buf, "/never", results.Stats{})
	if fields := strings.Split(buf.String(), "\t"); fields[5] != "-" {
		t.Fatalf("fail%% of an endpoint without requests: %q", fields[5])
	}
}

// TestSummaryHintsAtTheGeneratorsOwnErrors: running out of file
// descriptors is Surge's problem, not the target's, and the summary says
// what to do; other kinds get no hint.
func TestSummaryHintsAtTheGeneratorsOwnErrors(t *testing.T) {
	r := &results.Results{Test: results.Test{DurationS: 1}}
	r.Aggregate.Requests = 10
	r.Aggregate.Errors = 10
	r.Aggregate.ErrorKind = map[string]int64{"EMFILE": 7, "ECONNRESET": 3}
	var buf bytes.Buffer
	Summary(&buf, r)
	out := buf.String()
	if !strings.Contains(out, "hint: EMFILE:") || !strings.Contains(out, "ulimit -n") {
		t.Errorf("no hint for EMFILE:\n%s", out)
	}
	if strings.Contains(out, "hint: ECONNRESET") {
		t.Errorf("a hint for the target's own error:\n%s", out)
	}
}

// TestSummarySaysWhichRuleStoppedTheTest: a run cut short by an alert or a
// threshold's abortOnFail names the rule, not just "interrupted".
func TestSummarySaysWhichRuleStoppedTheTest(t *testing.T) {
	r := &results.Results{Test: results.Test{DurationS: 4, Interrupted: true, AbortedBy: `alert "p99"`}}
	var buf bytes.Buffer
	Summary(&buf, r)
	if want := `, stopped by alert "p99"`; !strings.Contains(buf.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, buf.String())
	}
}

// When some requests failed, a line gives the latency of those that did
// not: here the failures were fast and the table's p50 would hide that
// the successes took 200 ms. No line when nothing failed, and a file
// that did not record it says so rather than showing zeros.
func TestSummaryGivesTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	r := &results.Results{Test: results.Test{DurationS: 10, ExpectStatus: "100-399"}}
	a := &r.Aggregate
	a.Requests, a.Failures = 2000, 1500
	a.Codes = map[string]int64{"200": 500, "503": 1500}
	a.Latency = results.Latency{P50: 2, P99: 210, Max: 230, Sample: 2000}
	a.LatencyOK = &results.Latency{P50: 200, P90: 205, P95: 207, P99: 210, P999: 220, Max: 230, Sample: 500}
	summary := func() string {
		var buf bytes.Buffer
		Summary(&buf, r)
		return buf.String()
	}
	want := "latency of the 500 requests that did not fail (1500 failed): p50 200ms  p90 205ms  p95 207ms  p99 210ms  p99.9 220ms  max 230ms\n"
	if out := summary(); !strings.Contains(out, want) {
		t.Errorf("summary lacks %q:\n%s", want, out)
	}
	a.LatencyOK = nil
	if out := summary(); !strings.Contains(out, "latency of the requests that did not fail: not recorded") {
		t.Errorf("a file without it:\n%s", out)
	}
	a.LatencyOK = &results.Latency{}
	a.Failures, a.Codes = 2000, map[string]int64{"503": 2000}
	if out := summary(); !strings.Contains(out, "latency of the requests that did not fail: none, all 2000 failed") {
		t.Errorf("every request failed:\n%s", out)
	}
	a.Failures, a.Codes, a.LatencyOK = 0, map[string]int64{"200": 2000}, &a.Latency
	if out := summary(); strings.Contains(out, "did not fail") {
		t.Errorf("a line without failures:\n%s", out)
	}
}

// The failure line tells the responses a test judged from the statuses:
// 150 failures of which 48 are 200s a task failed, and 50 404s a task
// passed are none of them.
func TestFailureLineSplitsTheTestsJudgement(t *testing.T) {
	r := &results.Results{Test: results.Test{ExpectStatus: "100-399"}, Counters: map[string]int64{
		metrics.FailedByTestCounter: 48, metrics.PassedByTestCounter: 50,
		metrics.FailurePrefix + "list: no items": 48, metrics.TaskErrorPrefix + "pay: no token": 3,
		metrics.TaskErrorPrefix + "buy: panic: x (at main.go:9)": 7,
	}}
	r.Aggregate.Requests, r.Aggregate.Failures, r.Aggregate.Errors = 200, 150, 0
	want := "failures: 150 of 200 requests (0.0%): 0 errors (0.0%), 102 responses outside the expected statuses 100-399, " +
		"48 failed by the test (and 50 outside them passed by the test)"
	if got := FailureLine(r); got != want {
		t.Errorf("FailureLine:\n got %s\nwant %s", got, want)
	}
	if got, want := CounterLine(r.Counters, metrics.TaskErrorPrefix, "task errors"),
		"task errors 10: buy: panic: x (at main.go:9) 7, pay: no token 3"; got != want {
		t.Errorf("CounterLine:\n got %s\nwant %s", got, want)
	}
}
