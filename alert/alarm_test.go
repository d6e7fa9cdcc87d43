package alert

import (
	"math"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)

func p99Rule() Rule {
	return Rule{Period: 10 * time.Second, EvaluationPeriods: 3, DatapointsToAlarm: 2,
		Comparison: GreaterThan, Threshold: 300, Statistic: Statistic{Kind: Percentile, P: 99}, Unit: Millis}
}

// feed adds one datapoint per period (NaN: none) and advances past each.
func feed(t *testing.T, a *Alarm, values ...float64) []Transition {
	t.Helper()
	var out []Transition
	for _, v := range values {
		start := a.end(a.next - 1)
		if !math.IsNaN(v) {
			if err := a.Add(Datapoint{Time: start, Value: v, Samples: 5000}); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, a.Advance(start.Add(a.rule.Period))...)
	}
	return out
}

func TestAlarmTransitionsAtPeriodEnds(t *testing.T) {
	a, err := NewAlarm(p99Rule(), t0)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	// 0 → OK after the first period; X → still OK (1 of 3); X → ALARM
	// (2 of 3); 0 0 → OK once a single breaching one is left.
	got := feed(t, a, 120, 350, 400, 110, 100, nan, nan, nan, nan, nan)
	want := []struct {
		at       time.Duration
		from, to State
	}{
		{10 * time.Second, StateInsufficientData, StateOK},
		{30 * time.Second, StateOK, StateAlarm},
		{50 * time.Second, StateAlarm, StateOK},
		// With missing, the last real datapoint leaves the range of 5
		// periods at 100 s: nothing left to decide on.
		{100 * time.Second, StateOK, StateInsufficientData},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d transitions, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if g := got[i]; g.At != t0.Add(w.at) || g.From != w.from || g.To != w.to {
			t.Errorf("transition %d: got %v→%v at %v, want %v→%v at %v", i, g.From, g.To, g.At.Sub(t0), w.from, w.to, w.at)
		}
	}
	if r := got[1].Reason; !strings.Contains(r, "2 of 3 datapoints evaluated were greater than 300ms (2 of 3 to alarm)") ||
		!strings.Contains(r, "[- - 120ms 350ms 400ms]") {
		t.Errorf("reason: %s", r)
	}
	if r := got[3].Reason; !strings.Contains(r, "no datapoint in the evaluation range") {
		t.Errorf("reason: %s", r)
	}
}

// An alarm advanced late evaluates every boundary it missed, so what it
// says does not depend on how often it is asked.
func TestAlarmCatchesUpBoundaryByBoundary(t *testing.T) {
	a, _ := NewAlarm(Rule{Period: time.Second, EvaluationPeriods: 1, Comparison: GreaterThanOrEqual, Threshold: 1}, t0)
	for i, v := range []float64{0, 5, 0} {
		if err := a.Add(Datapoint{Time: t0.Add(time.Duration(i) * time.Second), Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	got := a.Advance(t0.Add(3 * time.Second))
	if len(got) != 3 || got[0].To != StateOK || got[1].To != StateAlarm || got[2].To != StateOK {
		t.Fatalf("got %+v", got)
	}
	if got[1].At != t0.Add(2*time.Second) {
		t.Errorf("ALARM at %v, want the end of the second period", got[1].At.Sub(t0))
	}
	if more := a.Advance(t0.Add(3 * time.Second)); len(more) != 0 {
		t.Errorf("a boundary was evaluated twice: %+v", more)
	}
}

// A datapoint that arrives after its period was evaluated still counts
// in the evaluations whose range holds it.
func TestAlarmLateDatapointCounts(t *testing.T) {
	r := Rule{Period: time.Second, EvaluationPeriods: 2, DatapointsToAlarm: 2, Comparison: GreaterThan, Threshold: 1}
	a, _ := NewAlarm(r, t0)
	_ = a.Add(Datapoint{Time: t0.Add(time.Second), Value: 5})
	a.Advance(t0.Add(2 * time.Second)) // [- - - X]: waits
	if a.State() != StateInsufficientData {
		t.Fatalf("state %v", a.State())
	}
	_ = a.Add(Datapoint{Time: t0, Value: 7}) // period 0 arrives late
	_ = a.Add(Datapoint{Time: t0.Add(2 * time.Second), Value: 0})
	got := a.Advance(t0.Add(3 * time.Second)) // newest two real: X 0 → OK; without the late one: X 0 too
	if len(got) != 1 || got[0].To != StateOK {
		t.Fatalf("got %+v", got)
	}
	a2, _ := NewAlarm(r, t0)
	_ = a2.Add(Datapoint{Time: t0.Add(time.Second), Value: 5})
	a2.Advance(t0.Add(2 * time.Second))
	_ = a2.Add(Datapoint{Time: t0, Value: 7})
	if got := a2.Advance(t0.Add(3 * time.Second)); len(got) != 1 || got[0].To != StateAlarm {
		t.Fatalf("late datapoint ignored: %+v", got) // [- X X -]: two real, both breaching
	}
	if err := a2.Add(Datapoint{Time: t0.Add(-time.Second), Value: 1}); err == nil {
		t.Error("a datapoint before the origin was accepted")
	}
	if err := a2.Add(Datapoint{Time: t0, Value: math.NaN()}); err == nil {
		t.Error("NaN accepted")
	}
}

func TestAlarmLowSamplePercentile(t *testing.T) {
	for _, tc := range []struct {
		choice  LowSample
		samples int64
		want    State
	}{
		{EvaluateLowSample, 10, StateAlarm},
		{IgnoreLowSample, 999, StateInsufficientData}, // p99 needs 1,000
		{IgnoreLowSample, 1000, StateAlarm},
	} {
		r := Rule{Period: time.Second, EvaluationPeriods: 1, Comparison: GreaterThan, Threshold: 300,
			Statistic: Statistic{Kind: Percentile, P: 99}, LowSample: tc.choice}
		a, err := NewAlarm(r, t0)
		if err != nil {
			t.Fatal(err)
		}
		_ = a.Add(Datapoint{Time: t0, Value: 900, Samples: tc.samples})
		a.Advance(t0.Add(time.Second))
		if a.State() != tc.want || (tc.want == StateInsufficientData) != a.Last().LowSample {
			t.Errorf("%v with %d samples: %v (%+v), want %v", tc.choice, tc.samples, a.State(), a.Last(), tc.want)
		}
	}
}

func TestMinSamples(t *testing.T) {
	for s, want := range map[string]int64{
		"p50": 20, "p90": 100, "p95": 200, "p99": 1000, "p99.9": 10000, "p99.99": 100000,
		"p10": 100, "p25": 40, "p0": 0, "p100": 0, "Average": 0, "Maximum": 0,
	} {
		st, err := ParseStatistic(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.MinSamples(); got != want {
			t.Errorf("%s: %d, want %d", s, got, want)
		}
	}
}

func TestParseNames(t *testing.T) {
	for _, s := range []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum", "p99", "p99.9", "p0", "p100"} {
		st, err := ParseStatistic(s)
		if err != nil || st.String() != s {
			t.Errorf("%s: %v, %v", s, st, err)
		}
	}
	for _, s := range []string{"", "avg", "p", "p101", "p-1", "p9e1", "p+9", "pNaN", "average"} {
		if _, err := ParseStatistic(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	for s, want := range map[string]Comparison{">": GreaterThan, "GreaterThanOrEqualToThreshold": GreaterThanOrEqual,
		"<": LessThan, "LessThanOrEqualToThreshold": LessThanOrEqual} {
		if c, err := ParseComparison(s); err != nil || c != want {
			t.Errorf("%s: %v %v", s, c, err)
		}
	}
	if _, err := ParseComparison("=="); err == nil {
		t.Error("== accepted")
	}
	for i, s := range []string{"missing", "ignore", "breaching", "notBreaching"} {
		if m, err := ParseMissingData(s); err != nil || int(m) != i || m.String() != s {
			t.Errorf("%s: %v %v", s, m, err)
		}
	}
	if _, err := ParseMissingData("notbreaching"); err == nil {
		t.Error("wrong case accepted")
	}
}

func TestRuleValidate(t *testing.T) {
	ok := p99Rule()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Rule){
		"period below 1s":       func(r *Rule) { r.Period = 500 * time.Millisecond },
		"period not whole":      func(r *Rule) { r.Period = 1500 * time.Millisecond },
		"no evaluation periods": func(r *Rule) { r.EvaluationPeriods = 0 },
		"M above N":             func(r *Rule) { r.DatapointsToAlarm = 4 },
		"range below N":         func(r *Rule) { r.EvaluationRange = 2 },
		"more than a day":       func(r *Rule) { r.Period = time.Hour; r.EvaluationPeriods = 25 },
		"no comparison":         func(r *Rule) { r.Comparison = 0 },
		"NaN threshold":         func(r *Rule) { r.Threshold = math.NaN() },
		"low sample, no pctile": func(r *Rule) { r.LowSample = IgnoreLowSample; r.Statistic = Statistic{Kind: Average} },
		"low sample on p100":    func(r *Rule) { r.LowSample = IgnoreLowSample; r.Statistic = Statistic{Kind: Percentile, P: 100} },
	} {
		r := ok
		mutate(&r)
		if err := r.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
