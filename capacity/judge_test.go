package capacity

import (
	"slices"
	"testing"
)

func TestJudgeNamesWhatBound(t *testing.T) {
	c := config(t, "p99<20ms, failure_rate<1%")
	c = c.withDefaults()
	short, offered := steady(100, 5, 10)
	for i := range short {
		short[i].Requests = 95 // 5 % of the arrivals never completed
	}
	throttled, _ := steady(100, 5, 10)
	for i := range throttled {
		throttled[i].Failures, throttled[i].Throttled = 10, 9
	}
	rising, _ := steady(100, 5, 10)
	for i := range rising {
		rising[i] = second(100, 5+float64(i)) // p99 stays under 20 ms, but climbs
	}
	for name, tc := range map[string]struct {
		secs []Second
		want []Constraint
	}{
		"served less than offered": {short, []Constraint{Throughput}},
		"429s":                     {throttled, []Constraint{Throttles}},
		"latency climbing":         {rising, []Constraint{Queueing}},
	} {
		j := Judge(c, 100, tc.secs, offered, Generator{})
		if j.Verdict != Fail || !slices.Equal(j.Reasons, tc.want) {
			t.Errorf("%s: %v %v, want FAIL %v", name, j.Verdict, j.Reasons, tc.want)
		}
	}
}

func TestJudgeSeesAScalingLag(t *testing.T) {
	c := config(t, "p99<20ms").withDefaults()
	secs, offered := steady(100, 5, 20)
	for i := range 8 {
		secs[i] = second(100, 80) // slow until the target scaled out
	}
	j := Judge(c, 100, secs, offered, Generator{})
	if j.Verdict != Fail || !slices.Contains(j.Reasons, ScalingLag) {
		t.Errorf("%v %v, want FAIL with scaling lag", j.Verdict, j.Reasons)
	}
}

func TestTrend(t *testing.T) {
	up := trendOf([]float64{10, 11, 12, 14, 15, 17, 18, 20, 22, 25})
	if !up.Up || up.S != 45 || up.Slope < 1.4 || up.Slope > 1.8 {
		t.Errorf("a steady climb: %+v", up)
	}
	flat := trendOf([]float64{10, 11, 10, 12, 10, 11, 10, 11, 12, 10})
	if flat.Up {
		t.Errorf("noise read as a trend: %+v", flat)
	}
	small := trendOf([]float64{100, 100.5, 101, 101.5, 102, 102.5, 103, 103.5})
	if small.Up {
		t.Errorf("a 3.5 %% drift is significant but too small to fail a probe: %+v", small)
	}
	submillisecond := trendOf([]float64{0.22, 0.23, 0.24, 0.24, 0.26, 0.27, 0.28, 0.29})
	if submillisecond.Up || submillisecond.P >= trendAlpha || submillisecond.Rise < trendMinRise {
		t.Errorf("a third more of a quarter-millisecond is 0.07 ms, no queue: %+v", submillisecond)
	}
}

// At a low rate one request across the window's edge is a few percent:
// 19 of 20 completed in a 2-s window at 10 req/s is a load served.
func TestServedAllowsTheWindowsEdge(t *testing.T) {
	c := config(t, "p99<20ms").withDefaults()
	secs, offered := steady(10, 5, 2)
	secs[1].Requests = 9
	if j := Judge(c, 10, secs, offered, Generator{}); j.Verdict != Pass {
		t.Errorf("19 of 20: %v %v, want PASS", j.Verdict, j.Reasons)
	}
	secs[0].Requests, secs[1].Requests = 8, 8
	if j := Judge(c, 10, secs, offered, Generator{}); j.Verdict != Fail || !slices.Equal(j.Reasons, []Constraint{Throughput}) {
		t.Errorf("16 of 20: %v %v, want FAIL (throughput)", j.Verdict, j.Reasons)
	}
}
