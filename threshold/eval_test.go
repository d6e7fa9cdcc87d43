package threshold

import (
	"errors"
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
