package capacity

import (
	"math"
	"testing"
)

// Fit reads the search's loads: in the closed model the USL's
// concurrency is the number of users (Baron Schwartz's measurements give
// the published fit back), the knee of latency is where it turns up, and
// Little's law is checked at the answer.
func TestFitReadsTheLoads(t *testing.T) {
	c := config(t, "p99<2000ms")
	c.Mode = Users
	points := [][2]float64{{1, 65}, {18, 996}, {36, 1652}, {72, 1853}, {108, 1829}, {144, 1775}, {216, 1702}}
	p99 := []float64{10, 10, 10, 10, 200, 400, 800} // flat, then a hockey stick past 72 users
	var levels []Judgement
	for i, p := range points {
		n, x := p[0], p[1]
		latency := 1000 * n / x // ms, Little's law in a closed loop without think time
		levels = append(levels, Judgement{Load: n, Achieved: x, MeanLatencyMs: latency, MeanInFlight: n,
			Estimates: []Estimate{{Objective: c.SLO[0], Value: p99[i]}}})
	}
	m := Fit(c, levels, Answer{Max: 72})
	if m.USL == nil || math.Abs(m.USL.Model.Sigma-0.0277299) > 0.0277299*0.001 {
		t.Fatalf("USL %+v (%s), want σ = 0.0277299", m.USL, m.USLError)
	}
	if m.LatencyKnee == nil || m.LatencyKnee.X != 72 {
		t.Errorf("latency knee %+v, want where latency turns up", m.LatencyKnee)
	}
	if m.Little == nil || math.Abs(m.Little.Mismatch) > 1e-9 || m.Little.Throughput != 1853 {
		t.Errorf("Little's law at 72 users: %+v", m.Little)
	}
}

func TestFitSaysWhyThereIsNoUSL(t *testing.T) {
	c := config(t, "p99<20ms")
	m := Fit(c, []Judgement{{Load: 10, Achieved: 10, MeanLatencyMs: 5}}, Answer{})
	if m.USL != nil || m.USLError == "" || m.Little != nil {
		t.Errorf("one load: %+v", m)
	}
}

func TestSearchStopsAtItsProbeBudget(t *testing.T) {
	c := config(t, "p99<20ms")
	c.MaxProbes = 5
	a, recs := drive(t, c, breaksAbove(700))
	if a.Outcome != Exhausted || len(recs) != 5 || a.Max != 600 || a.Fail != 800 {
		t.Errorf("answer %+v after %d probes, want the budget's bracket 600–800", a, len(recs))
	}
}
