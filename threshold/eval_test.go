package threshold

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/series"
)

var t0 = time.Date(2026, 5, 6, 7, 8, 0, 0, time.UTC)

// counts is a second of requests, failures and one latency for all.
func counts(i int, requests, failures int64, ms float64) series.Second {
	h := metrics.NewHistogram()
	if requests > 0 {
		_ = h.RecordValues(int64(ms*1000), requests)
	}
	return series.Second{Index: i, Start: t0.Add(time.Duration(i) * time.Second), Duration: time.Second,
		Total: series.Sample{Requests: requests, Failures: failures, Errors: failures, Latency: h}}
}

func mustParse(t *testing.T, s string) Threshold {
	t.Helper()
	th, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// The k6 #2379 case: ten minutes of success, then a minute in which
// every request fails. Since the start, the failure rate ends at 9.1 %
// and a k6-style threshold of 10 % passes; over a 30 s window it fails,
// and with abortOnFail it stops the run three seconds into the outage,
// the moment the window's rate reaches 10 %.
func TestWindowCatchesWhatTheCumulativeThresholdHides(t *testing.T) {
	var secs []series.Second
	for i := range 660 {
		f := int64(0)
		if i >= 600 {
			f = 10
		}
		secs = append(secs, counts(i, 10, f, 20))
	}
	cumulative, err := Judge(mustParse(t, "failure_rate<10%"), secs)
	if err != nil {
		t.Fatal(err)
	}
	if !cumulative.Passed || cumulative.Value < 0.09 || cumulative.Value > 0.0910 {
		t.Errorf("cumulative: %+v, want a pass at 9.1 %%", cumulative)
	}
	windowed := NewEvaluator(mustParse(t, "failure_rate<10% over 30s abortOnFail"))
	abortAt := -1
	for _, s := range secs {
		if _, _, err := windowed.Add(s); err != nil {
			t.Fatal(err)
		}
		if windowed.Abort() && abortAt < 0 {
			abortAt = s.Index
		}
	}
	if abortAt != 602 {
		t.Errorf("abort at second %d, want 602 (the window then holds 3 failing seconds of 30: 10 %%)", abortAt)
	}
	v, _ := windowed.Verdict()
	if v.Passed || v.Failure == nil || v.Failure.To != 602 || v.Failure.From != 573 || v.Checks != 631 || v.Failed != 58 {
		t.Errorf("windowed verdict %+v (failure %+v)", v, v.Failure)
	}
}

func TestDelayAbortEval(t *testing.T) {
	e := NewEvaluator(mustParse(t, "p(95)<100 abortOnFail delayAbortEval=5s"))
	var aborts []int
	for i := range 8 {
		_, _, _ = e.Add(counts(i, 10, 0, 500))
		if e.Abort() {
			aborts = append(aborts, i)
		}
	}
	if len(aborts) == 0 || aborts[0] != 4 { // the fifth second ends 5 s into the run
		t.Errorf("aborts %v, want from second 4 on", aborts)
	}
	plain := NewEvaluator(mustParse(t, "p(95)<100"))
	_, _, _ = plain.Add(counts(0, 10, 0, 500))
	if plain.Abort() {
		t.Error("a threshold without abortOnFail aborts")
	}
}

// After a reset of the statistics (the dashboard's), delayAbortEval
// counts again from the reset: the samples it waits for were dropped.
func TestDelayAbortEvalCountsFromAReset(t *testing.T) {
	e := NewEvaluator(mustParse(t, "p(95)<100 abortOnFail delayAbortEval=3s"))
	var aborts []int
	for i := range 12 {
		s := counts(i, 10, 0, 500)
		s.Reset = i == 6
		_, _, _ = e.Add(s)
		if e.Abort() {
			aborts = append(aborts, i)
		}
	}
	want := []int{2, 3, 4, 5, 8, 9, 10, 11} // 3 s after the start, then 3 s after the reset at 6
	if fmt.Sprint(aborts) != fmt.Sprint(want) {
		t.Errorf("aborts %v, want %v", aborts, want)
	}
}

// A windowed threshold on a run shorter than its window is judged over
// the whole run, and a threshold that never had data has not passed.
func TestShortRunsAndNoData(t *testing.T) {
	secs := []series.Second{counts(0, 10, 0, 400), counts(1, 10, 0, 400)}
	v, err := Judge(mustParse(t, "p(99)<300 over 1m"), secs)
	if err != nil || v.Passed || v.Checks != 1 || v.Value < 399 || v.Value > 401 {
		t.Errorf("short run: %+v %v", v, err)
	}
	v, err = Judge(mustParse(t, "GET /none: failure_rate<1%"), secs)
	if err != nil || v.Passed || !v.NoData {
		t.Errorf("no data: %+v %v", v, err)
	}
	// Windows without requests are not judged; the others still are.
	gap := []series.Second{counts(0, 10, 0, 10), counts(1, 0, 0, 0), counts(2, 0, 0, 0), counts(3, 10, 0, 10)}
	v, err = Judge(mustParse(t, "avg<50 over 2s"), gap)
	if err != nil || !v.Passed || v.Checks != 2 {
		t.Errorf("gap: %+v %v", v, err)
	}
}

// A results file keeps no latency per endpoint and second: a threshold
// that needs it says so rather than judging nothing.
func TestEndpointLatencyFromAFile(t *testing.T) {
	s := counts(0, 10, 0, 10)
	s.Endpoints = map[string]series.Sample{"GET /a": {Requests: 10}}
	_, err := Judge(mustParse(t, "GET /a: p(95)<100"), []series.Second{s})
	if !errors.Is(err, series.ErrNoEndpointLatency) {
		t.Errorf("got %v", err)
	}
}

// A window that ends in the run's last fraction of a second is not a
// window the run completed: `count>=15 over 1s` holds over a run of three
// whole seconds of 20 requests and a tail of 3 ms with one request.
func TestWindowEndingInTheTailIsNotJudged(t *testing.T) {
	tail := counts(3, 1, 0, 20)
	tail.Duration = 3 * time.Millisecond
	v, err := Judge(mustParse(t, "count>=15 over 1s"), []series.Second{counts(0, 20, 0, 20), counts(1, 20, 0, 20), counts(2, 20, 0, 20), tail})
	if err != nil {
		t.Fatal(err)
	}
	if !v.Passed || v.Checks != 3 || v.Failed != 0 {
		t.Errorf("verdict %+v: want a pass over the 3 whole windows", v)
	}
	// A run shorter than its window is still judged over the whole run,
	// tail included.
	short, err := Judge(mustParse(t, "count>=50 over 5s"), []series.Second{counts(0, 20, 0, 20), tail})
	if err != nil {
		t.Fatal(err)
	}
	if short.Passed || short.Value != 21 {
		t.Errorf("short run: %+v, want a failure on 21 requests", short)
	}
}

// After a reset of the statistics a threshold judges the run since the
// reset, as every other view of the run does: an unwindowed one counts
// from the reset's second, a windowed one evaluates no window that
// reaches back before it (the first is a whole window after it), and
// failures before the reset are forgotten. The runs are 10 requests a
// second; "bad" seconds fail all of them.
func TestResetStartsTheRunAgain(t *testing.T) {
	// run builds n seconds, failing those in bad, with a reset at reset
	// (0: none).
	run := func(n, reset int, bad ...int) []series.Second {
		var out []series.Second
		for i := range n {
			f := int64(0)
			for _, b := range bad {
				if b == i {
					f = 10
				}
			}
			s := counts(i, 10, f, 20)
			s.Reset = reset > 0 && i == reset
			out = append(out, s)
		}
		return out
	}
	for _, c := range []struct {
		name      string
		threshold string
		seconds   []series.Second
		passed    bool
		value     float64
		checks    int
		failed    int
		reset     bool
		since     int
		failFrom  int // the first failing window's first second, when one failed
	}{
		// The reproduction's shape: a warm-up of refused connections.
		{"no reset: the warm-up counts", "error_rate<1%", run(6, 0, 0, 1, 2), false, 0.5, 1, 1, false, 0, 0},
		{"reset after the warm-up", "error_rate<1%", run(6, 3, 0, 1, 2), true, 0, 1, 0, true, 3, 0},
		{"a failure after the reset counts", "failure_rate<20%", run(6, 3, 0, 1, 2, 5), false, 1.0 / 3, 1, 1, true, 3, 0},
		{"the last of two resets counts", "error_rate<1%", func() []series.Second {
			s := run(8, 2, 0, 3)
			s[5].Reset = true
			return s
		}(), true, 0, 1, 0, true, 5, 0},
		// Windows: none reaches back before the reset; the first is whole
		// after it.
		{"window: no reset", "failure_rate<50% over 2s", run(8, 0, 0, 1, 2), false, 1, 7, 3, false, 0, 0},
		{"window: reset", "failure_rate<50% over 2s", run(8, 3, 0, 1, 2), true, 0, 4, 0, true, 3, 0},
		{"window: a failure after the reset", "failure_rate<50% over 2s", run(8, 3, 0, 1, 2, 6), false, 0.5, 4, 2, true, 3, 5},
		// A failing window before the reset does not count, though the
		// window straddling the reset would have failed: it is not judged.
		{"window: the reset is a second in", "failure_rate<10% over 3s", run(9, 2, 1), true, 0, 5, 0, true, 2, 0},
		{"window: the run since the reset is shorter than the window", "failure_rate<10% over 5s", run(6, 3, 0, 1, 2), true, 0, 1, 0, true, 3, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := Judge(mustParse(t, c.threshold), c.seconds)
			if err != nil {
				t.Fatal(err)
			}
			if v.Passed != c.passed || v.Value != c.value || v.Checks != c.checks || v.Failed != c.failed ||
				v.Reset != c.reset || v.Since != c.since {
				t.Errorf("verdict %+v, want passed %v value %v checks %d failed %d reset %v since %d",
					v, c.passed, c.value, c.checks, c.failed, c.reset, c.since)
			}
			if c.failed > 0 && c.threshold != "" && mustParse(t, c.threshold).Window > 0 &&
				(v.Failure == nil || v.Failure.From != c.failFrom) {
				t.Errorf("first failure %+v, want from second %d", v.Failure, c.failFrom)
			}
		})
	}
}

// An evaluation after a reset reports the seconds it covers from the
// reset on, and the windows start again: no check until a whole window
// has passed since the reset.
func TestChecksAfterAReset(t *testing.T) {
	e := NewEvaluator(mustParse(t, "failure_rate<10%"))
	w := NewEvaluator(mustParse(t, "failure_rate<10% over 2s"))
	var got, gotW []string
	for i := range 6 {
		s := counts(i, 10, 0, 20)
		s.Reset = i == 3
		if c, ok, _ := e.Add(s); ok {
			got = append(got, fmt.Sprintf("%d..%d", c.From, c.To))
		}
		if c, ok, _ := w.Add(s); ok {
			gotW = append(gotW, fmt.Sprintf("%d..%d", c.From, c.To))
		}
	}
	if want := "[0..0 0..1 0..2 3..3 3..4 3..5]"; fmt.Sprint(got) != want {
		t.Errorf("since the start: %v, want %s", got, want)
	}
	if want := "[0..1 1..2 3..4 4..5]"; fmt.Sprint(gotW) != want {
		t.Errorf("over 2s: %v, want %s", gotW, want)
	}
}
