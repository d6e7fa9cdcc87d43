package series

import (
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/metrics"
)

// latencySecond is a second of n requests that each took ms.
func latencySecond(i int, n int64, ms float64) Second {
	h := metrics.NewHistogram()
	if n > 0 {
		_ = h.RecordValues(int64(ms*1000), n)
	}
	return Second{Index: i, Start: t0.Add(time.Duration(i) * time.Second), Duration: time.Second,
		Total: Sample{Requests: n, Latency: h}}
}

// A p99 alarm over 10 s periods, 2 of 3: the run is fast for 60 s, slow
// from then on. The alarm goes to ALARM at the end of the second slow
// period, not one second later.
func TestWatchAlarmsWithinItsPeriods(t *testing.T) {
	rule := alert.Rule{Period: 10 * time.Second, EvaluationPeriods: 3, DatapointsToAlarm: 2,
		Comparison: alert.GreaterThan, Threshold: 300, Statistic: p(99)}
	w, err := NewWatch(rule, alert.Metric{Name: alert.Latency}, t0)
	if err != nil {
		t.Fatal(err)
	}
	var got []alert.Transition
	for i := range 120 {
		s := latencySecond(i, 100, 50)
		if i >= 60 {
			s = latencySecond(i, 100, 900)
		}
		tr, err := w.Add(s)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tr...)
	}
	if len(got) != 2 || got[0].To != alert.StateOK || got[1].To != alert.StateAlarm {
		t.Fatalf("transitions %+v", got)
	}
	if at := got[1].At.Sub(t0); at != 80*time.Second {
		t.Errorf("ALARM at %v, want 80s (two slow periods, 60-70 s and 70-80 s)", at)
	}
	if got[0].At.Sub(t0) != 10*time.Second {
		t.Errorf("OK at %v, want 10s", got[0].At.Sub(t0))
	}
}

// Seconds without requests make a period without a datapoint, and a run
// that skips seconds still evaluates each boundary. The evaluation range
// is 1, so that no older datapoint stands in for a missing one.
func TestWatchMissingPeriods(t *testing.T) {
	rule := alert.Rule{Period: 5 * time.Second, EvaluationPeriods: 1, EvaluationRange: 1, Comparison: alert.GreaterThan,
		Threshold: 100, TreatMissing: alert.Breaching, Statistic: alert.Statistic{Kind: alert.Maximum}}
	w, err := NewWatch(rule, alert.Metric{Name: alert.Latency}, t0)
	if err != nil {
		t.Fatal(err)
	}
	var got []alert.Transition
	for _, s := range []Second{latencySecond(0, 10, 20), latencySecond(4, 10, 20), latencySecond(5, 0, 0), latencySecond(9, 0, 0),
		latencySecond(17, 10, 20), latencySecond(19, 10, 20)} {
		tr, err := w.Add(s)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tr...)
	}
	// Periods: 0-5 s fast (OK), 5-10 s no request (missing → breaching:
	// ALARM), 10-15 s no second at all (ALARM stays), 15-20 s fast (OK).
	want := []struct {
		at time.Duration
		to alert.State
	}{{5 * time.Second, alert.StateOK}, {10 * time.Second, alert.StateAlarm}, {20 * time.Second, alert.StateOK}}
	if len(got) != len(want) {
		t.Fatalf("transitions %+v", got)
	}
	for i, w := range want {
		if got[i].At.Sub(t0) != w.at || got[i].To != w.to {
			t.Errorf("transition %d: %v at %v, want %v at %v", i, got[i].To, got[i].At.Sub(t0), w.to, w.at)
		}
	}
	if _, err := w.Add(latencySecond(3, 1, 1)); err == nil {
		t.Error("a second of an evaluated period was accepted")
	}
}

func TestNewWatchChecksTheStatistic(t *testing.T) {
	rule := alert.Rule{Period: time.Second, EvaluationPeriods: 1, Comparison: alert.GreaterThan, Statistic: p(99)}
	if _, err := NewWatch(rule, alert.Metric{Name: alert.FailureRate}, t0); err == nil {
		t.Error("p99 of a failure rate accepted")
	}
	rule.Statistic = alert.Statistic{}
	if _, err := NewWatch(rule, alert.Metric{Name: alert.Latency}, t0); err == nil {
		t.Error("latency without a statistic accepted")
	}
	w, err := NewWatch(rule, alert.Metric{Name: alert.FailureRate}, t0)
	if err != nil || w.Alarm().Rule().Statistic.Kind != alert.Average {
		t.Errorf("failure rate's default statistic: %v", err)
	}
}

// Last is the datapoint of the period just evaluated, and nothing after a
// period without requests: what a transition's value is read from.
func TestWatchLastIsTheClosedPeriodsDatapoint(t *testing.T) {
	rule := alert.Rule{Period: 2 * time.Second, EvaluationPeriods: 1, Comparison: alert.GreaterThan,
		Threshold: 100, Statistic: alert.Statistic{Kind: alert.Maximum}}
	w, err := NewWatch(rule, alert.Metric{Name: alert.Latency}, t0)
	if err != nil {
		t.Fatal(err)
	}
	add := func(s Second) {
		t.Helper()
		if _, err := w.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := w.Last(); ok {
		t.Error("a datapoint before any period closed")
	}
	add(latencySecond(0, 10, 20))
	add(latencySecond(1, 10, 150))
	d, ok := w.Last()
	if !ok || d.Value < 150 || d.Value > 150.2 || !d.Time.Equal(t0) || d.Samples != 20 {
		t.Errorf("after the first period: %+v %v, want the maximum, 150 ms of 20, at the period's start", d, ok)
	}
	add(latencySecond(2, 0, 0))
	add(latencySecond(3, 0, 0))
	if d, ok := w.Last(); ok {
		t.Errorf("after a period without requests: %+v", d)
	}
}

// A run ends with a fraction of a second (the wait for requests in
// flight). A 1 s period ending on it is not one the run completed: an
// alarm on fewer than 10 requests a period must not fire on the tail's
// single request, after the test is over.
func TestWatchLeavesThePeriodTheRunEndedInUnevaluated(t *testing.T) {
	rule := alert.Rule{Period: time.Second, EvaluationPeriods: 1, Comparison: alert.LessThan,
		Threshold: 10, Statistic: alert.Statistic{Kind: alert.Sum}}
	w, err := NewWatch(rule, alert.Metric{Name: alert.Requests}, t0)
	if err != nil {
		t.Fatal(err)
	}
	tail := latencySecond(3, 1, 20)
	tail.Duration = time.Millisecond
	var got []alert.Transition
	for _, s := range []Second{latencySecond(0, 20, 20), latencySecond(1, 20, 20), latencySecond(2, 20, 20), tail} {
		tr, err := w.Add(s)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, tr...)
	}
	if len(got) != 1 || got[0].To != alert.StateOK || w.Alarm().State() != alert.StateOK {
		t.Errorf("transitions %+v, state %v: want OK after the first second and nothing from the tail", got, w.Alarm().State())
	}
}

// A latency's SampleCount is a number of requests: its datapoints and
// threshold are written as numbers, not as milliseconds.
func TestWatchWritesALatencysSampleCountAsACount(t *testing.T) {
	rule := alert.Rule{Period: time.Second, EvaluationPeriods: 1, Comparison: alert.LessThan,
		Threshold: 10, Statistic: alert.Statistic{Kind: alert.SampleCount}}
	w, err := NewWatch(rule, alert.Metric{Name: alert.Latency}, t0)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := w.Add(latencySecond(0, 4, 20))
	if err != nil {
		t.Fatal(err)
	}
	if u := w.Alarm().Rule().Unit; u != alert.Count {
		t.Errorf("unit %v, want Count", u)
	}
	if len(tr) != 1 || !strings.Contains(tr[0].Reason, "were less than 10 (1 of 1 to alarm)") ||
		!strings.HasSuffix(tr[0].Reason, "[- - 4]") {
		t.Errorf("transitions %+v", tr)
	}
}
