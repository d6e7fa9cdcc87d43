package main

import (
	"math"
	"slices"
)

// Summary is what the control listener reports about the arrivals.
type Summary struct {
	Count int     `json:"count"`
	SpanS float64 `json:"span_s"` // first to last arrival, plus one interval
	Rate  float64 `json:"rate"`   // achieved: Count / SpanS
	// Lag of each arrival behind an ideal schedule of evenly spaced
	// arrivals at the target rate, aligned so that the earliest arrival
	// relative to it has lag 0.
	LagP50Ms float64 `json:"lag_p50_ms"`
	LagP99Ms float64 `json:"lag_p99_ms"`
	LagMaxMs float64 `json:"lag_max_ms"`
}

// Summarise sorts the arrival times (ns) and measures them against the
// target rate (per second). Without a rate only Count and SpanS are set.
func Summarise(ts []int64, rate float64) Summary {
	var s Summary
	s.Count = len(ts)
	if len(ts) == 0 {
		return s
	}
	slices.Sort(ts)
	span := float64(ts[len(ts)-1] - ts[0])
	if rate <= 0 {
		s.SpanS = span / 1e9
		return s
	}
	interval := 1e9 / rate
	s.SpanS = (span + interval) / 1e9
	s.Rate = float64(len(ts)) / s.SpanS
	lags := make([]float64, len(ts))
	low := math.Inf(1)
	for i, t := range ts {
		lags[i] = float64(t) - float64(i)*interval
		low = min(low, lags[i])
	}
	for i := range lags {
		lags[i] -= low
	}
	slices.Sort(lags)
	s.LagP50Ms = Quantile(lags, 0.50) / 1e6
	s.LagP99Ms = Quantile(lags, 0.99) / 1e6
	s.LagMaxMs = lags[len(lags)-1] / 1e6
	return s
}

// Quantile returns the nearest-rank q-quantile (0..1) of sorted values.
func Quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
