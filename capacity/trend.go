package capacity

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Trend is the Mann-Kendall test for a monotonic trend in a probe's
// per-second latency, with Sen's slope: latency that keeps rising inside a
// probe means a queue is growing, and the load would fail if held longer.
type Trend struct {
	S     int     // Kendall's S: concordant minus discordant pairs
	Z     float64 // the normal score of S (continuity corrected)
	P     float64 // one-sided p-value for an upward trend
	Slope float64 // Sen's slope, ms per second
	// Rise is the slope over the probe's length as a share of the
	// median: 0.5 means latency rose by half its typical value.
	Rise float64
	Up   bool
}

// Upward trend: significant at trendAlpha and large enough to matter
// (autocorrelated seconds make small trends look significant).
const (
	trendAlpha   = 0.01
	trendMinRise = 0.25
)

// trendOf tests a series of per-second values (NaN: a second without
// data, skipped).
func trendOf(values []float64) Trend {
	var xs, ys []float64
	for i, v := range values {
		if !math.IsNaN(v) {
			xs, ys = append(xs, float64(i)), append(ys, v)
		}
	}
	n := len(ys)
	if n < 4 {
		return Trend{P: 1}
	}
	t := Trend{S: kendallS(ys), Slope: senSlope(xs, ys)}
	sd := math.Sqrt(kendallVariance(ys))
	switch {
	case sd == 0:
	case t.S > 0:
		t.Z = float64(t.S-1) / sd
	case t.S < 0:
		t.Z = float64(t.S+1) / sd
	}
	t.P = 1 - distuv.UnitNormal.CDF(t.Z)
	if median := medianOf(ys); median > 0 {
		t.Rise = t.Slope * (xs[n-1] - xs[0]) / median
	}
	t.Up = t.P < trendAlpha && t.Rise >= trendMinRise
	return t
}

func kendallS(ys []float64) int {
	s := 0
	for i := range ys {
		for j := i + 1; j < len(ys); j++ {
			switch {
			case ys[j] > ys[i]:
				s++
			case ys[j] < ys[i]:
				s--
			}
		}
	}
	return s
}

// kendallVariance is S's variance under no trend, corrected for ties
// (latencies on one HDR bucket tie).
func kendallVariance(ys []float64) float64 {
	n := float64(len(ys))
	v := n * (n - 1) * (2*n + 5)
	ties := map[float64]float64{}
	for _, y := range ys {
		ties[y]++
	}
	for _, t := range ties {
		v -= t * (t - 1) * (2*t + 5)
	}
	return v / 18
}

func senSlope(xs, ys []float64) float64 {
	var slopes []float64
	for i := range ys {
		for j := i + 1; j < len(ys); j++ {
			slopes = append(slopes, (ys[j]-ys[i])/(xs[j]-xs[i]))
		}
	}
	return medianOf(slopes)
}

func medianOf(vs []float64) float64 {
	s := slices.Clone(vs)
	slices.Sort(s)
	return quantile(s, 0.5)
}
