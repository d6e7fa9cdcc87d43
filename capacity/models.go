package capacity

import (
	"math"
	"slices"

	"github.com/surge-dev/surge/scalability"
)

// Models are what the measured loads say beyond the search's answer.
type Models struct {
	// LatencyKnee is where latency against load turns up (Kneedle,
	// convex); ThroughputKnee where throughput against offered load
	// flattens (concave). Nil when the curve has no knee.
	LatencyKnee    *scalability.Knee
	ThroughputKnee *scalability.Knee
	// USL is the Universal Scalability Law fitted to throughput against
	// concurrency (users, or X·R in the open model) over the loads that
	// held steady; USLError says why there is none.
	USL      *scalability.USLFit
	USLError string
	// Little checks the answer's load: requests in flight counted
	// against throughput × mean latency.
	Little *scalability.Little
}

// Fit fits the models to a search's loads (Search.Levels) and checks
// Little's law at the answer.
func Fit(c Config, levels []Judgement, answer Answer) Models {
	var m Models
	loads, achieved, p99 := curves(levels)
	if k, err := scalability.Kneedle(loads, p99, scalability.Convex, 1); err == nil {
		m.LatencyKnee = &k
	}
	if k, err := scalability.Kneedle(loads, achieved, scalability.Concave, 1); err == nil {
		m.ThroughputKnee = &k
	}
	fit, err := scalability.FitUSL(uslPoints(c, levels), scalability.FitOptions{Seed: c.Seed})
	if err != nil {
		m.USLError = err.Error()
	} else {
		m.USL = &fit
	}
	for _, l := range levels {
		if l.Load == answer.Max && answer.Max > 0 {
			little := scalability.LittlesLaw(l.Achieved, l.MeanLatencyMs/1000, l.MeanInFlight)
			m.Little = &little
		}
	}
	return m
}

// curves are load, throughput and the SLO's plotted latency percentile
// (PlottedLatency) at each load that has a reading of it, ascending.
func curves(levels []Judgement) (loads, achieved, latency []float64) {
	for _, l := range levels {
		v, ok := latencyOf(l)
		if !ok {
			continue
		}
		loads, achieved, latency = append(loads, l.Load), append(achieved, l.Achieved), append(latency, v)
	}
	return loads, achieved, latency
}

// latencyOf is the load's reading of the SLO's plotted latency
// percentile: none where the SLO has none, or where it is of the
// requests that did not fail and none did.
func latencyOf(l Judgement) (float64, bool) {
	slo := make([]Objective, len(l.Estimates))
	for i, e := range l.Estimates {
		slo[i] = e.Objective
	}
	k, ok := PlottedLatency(slo)
	if !ok || math.IsNaN(l.Estimates[k].Value) {
		return math.NaN(), false
	}
	return l.Estimates[k].Value, true
}

// PlottedLatency is the index of the SLO's objective whose readings draw
// the latency against load (the knee, the report's chart): its highest
// latency percentile, of every request before that of the requests that
// did not fail at the same percentile; false when it has none.
func PlottedLatency(slo []Objective) (int, bool) {
	best := -1
	for k, o := range slo {
		if !isPercentile(o) {
			continue
		}
		if best < 0 || o.Stat.P > slo[best].Stat.P || o.Stat.P == slo[best].Stat.P && SuccessOnly(slo[best]) && !SuccessOnly(o) {
			best = k
		}
	}
	return best, best >= 0
}

// uslPoints are (concurrency, throughput) at the loads that held steady:
// a load whose queue kept growing has no steady concurrency to plot.
func uslPoints(c Config, levels []Judgement) []scalability.Point {
	var pts []scalability.Point
	for _, l := range levels {
		if slices.Contains(l.Reasons, Queueing) || l.Achieved <= 0 {
			continue
		}
		n := l.Load
		if c.Mode == Rate {
			n = scalability.Concurrency(l.Achieved, l.MeanLatencyMs/1000)
		}
		if n >= 1 {
			pts = append(pts, scalability.Point{N: n, X: l.Achieved})
		}
	}
	return pts
}
