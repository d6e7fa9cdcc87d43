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
	// Seconds is how many seconds had a reading (fewer than
	// MinTrendSeconds: not tested, P 1).
	Seconds int
}

// Upward trend: significant at trendAlpha and large enough to matter
// (autocorrelated seconds make small trends look significant): a rise of
// trendMinRise of the median, and of trendMinRiseMS over the probe. Below
// a millisecond, per-second latency moves with the generator's own
// scheduling: on a loaded machine instant 503s on loopback drifted from
// 0.22 to 0.29 ms over a 7-s probe, a third of their median and
// significant, with no queue anywhere.
const (
	trendAlpha     = 0.01
	trendMinRise   = 0.25
	trendMinRiseMS = 1.0
)

// MinTrendSeconds is the fewest seconds with a reading that the trend
// is tested on: with fewer, Mann-Kendall cannot reach trendAlpha however
// steep the rise (five seconds, each above the last, give p ≈ 0.014), so
// fewer are not tested, and the output says so rather than call the
// latency flat.
const MinTrendSeconds = 6

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
	if n < MinTrendSeconds {
		return Trend{P: 1, Seconds: n}
	}
	t := Trend{S: kendallS(ys), Slope: senSlope(xs, ys), Seconds: n}
	sd := math.Sqrt(kendallVariance(ys))
	switch {
	case sd == 0:
	case t.S > 0:
		t.Z = float64(t.S-1) / sd
	case t.S < 0:
		t.Z = float64(t.S+1) / sd
	}
	t.P = 1 - distuv.UnitNormal.CDF(t.Z)
	rise := t.Slope * (xs[n-1] - xs[0])
	if median := medianOf(ys); median > 0 {
		t.Rise = rise / median
	}
	t.Up = t.P < trendAlpha && t.Rise >= trendMinRise && rise >= trendMinRiseMS
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

// LatencyTrend is the queue check on one latency's per-second p50 and
// p99: every request's, or (OK) that of the requests that did not fail.
type LatencyTrend struct {
	OK       bool
	P50, P99 Trend
}

// Up reports whether either percentile rose.
func (t LatencyTrend) Up() bool { return t.P50.Up || t.P99.Up }

// Tested reports whether enough seconds had a reading to test (both
// percentiles have the same seconds): a probe whose seconds mostly had
// no success cannot show a queue in its successes.
func (t LatencyTrend) Tested() bool { return t.P50.Seconds >= MinTrendSeconds }

// TrendReads says which latency the queue check reads for an SLO: the
// one its latency objectives judge. A load-shedding target answers the
// requests it cannot serve at once, 503, so every request's latency stays
// flat while the successes queue; an SLO on the successes alone (ok_p99)
// reads theirs. One with objectives on both reads both, and fails on a
// rise in either; one with none (failure_rate alone) every request's.
func TrendReads(slo []Objective) (every, ok bool) {
	for _, o := range slo {
		switch {
		case !o.Metric.IsLatency():
		case SuccessOnly(o):
			ok = true
		default:
			every = true
		}
	}
	return every || !ok, ok
}

// trends tests each second's p50 and p99 for a rise, in the latencies
// TrendReads picks for the SLO.
func trends(secs []Second, slo []Objective) []LatencyTrend {
	every, ok := TrendReads(slo)
	var out []LatencyTrend
	if every {
		out = append(out, trendIn(secs, everyRequest))
	}
	if ok {
		out = append(out, trendIn(secs, succeeded))
	}
	return out
}

// trendIn reads one source's per-second p50 and p99. A second without a
// latency in it (none succeeded, for the successes) is NaN, skipped: an
// empty histogram's percentiles read 0 ms, and a run of them before the
// successes came would read as a steep rise.
func trendIn(secs []Second, src int) LatencyTrend {
	a, b := make([]float64, len(secs)), make([]float64, len(secs))
	for i, s := range secs {
		a[i], b[i] = math.NaN(), math.NaN()
		if h := s.histogram(src); h != nil && h.TotalCount() > 0 {
			a[i] = float64(h.ValueAtPercentile(50)) / 1000
			b[i] = float64(h.ValueAtPercentile(99)) / 1000
		}
	}
	return LatencyTrend{OK: src == succeeded, P50: trendOf(a), P99: trendOf(b)}
}
