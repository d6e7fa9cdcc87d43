package capacity

import (
	"fmt"
	"testing"

	"github.com/surge-dev/surge/results"
)

// TestEstimatesAgreeWithTheirIntervalsAndTheResults: a percentile's
// interval holds its value (its draws are read on a grid and were all
// above it: "301 ms [302, 302]"), and avg and max are the results file's
// (they were read from each bucket's lowest value: max 300.8 ms under a
// p99 of 301.055).
func TestEstimatesAgreeWithTheirIntervalsAndTheResults(t *testing.T) {
	c := config(t, "p99<400ms, p50<400ms, avg<400ms, max<400ms").withDefaults()
	for _, ms := range []float64{1.7, 37.3, 150, 301} {
		secs, offered := steady(40, ms, 10)
		got := map[string]Estimate{}
		for _, e := range Judge(c, 40, secs, offered, Generator{}).Estimates {
			got[e.Objective.Source] = e
			if !(e.Low <= e.Value && e.Value <= e.High) {
				t.Errorf("%v ms: %s = %v outside its interval [%v, %v]", ms, e.Objective.Source, e.Value, e.Low, e.High)
			}
		}
		h := mergedLatency(secs, everyRequest)
		want := results.Latency{Mean: h.Mean() / 1000, Max: float64(h.Max()) / 1000}
		if a := got["avg<400ms"].Value; fmt.Sprintf("%.3f", a) != fmt.Sprintf("%.3f", want.Mean) {
			t.Errorf("%v ms: avg %v, the results' mean %v", ms, a, want.Mean)
		}
		if m := got["max<400ms"].Value; m != want.Max || m < got["p99<400ms"].Value {
			t.Errorf("%v ms: max %v, the results' %v, p99 %v", ms, m, want.Max, got["p99<400ms"].Value)
		}
	}
}
