package main

import (
	"math"
	"testing"
)

func TestSummariseEvenSchedule(t *testing.T) {
	// 1,000 arrivals exactly 1 ms apart, shifted by an arbitrary start.
	ts := make([]int64, 1000)
	for i := range ts {
		ts[i] = 5e9 + int64(i)*1e6
	}
	s := Summarise(ts, 1000)
	if s.Count != 1000 || math.Abs(s.Rate-1000) > 1e-6 || s.LagP99Ms != 0 || s.LagMaxMs != 0 {
		t.Fatalf("even schedule: %+v", s)
	}
}

func TestSummariseLateHalf(t *testing.T) {
	// The second half of the arrivals comes 2 ms late: p50 lag 0, p99 2 ms.
	ts := make([]int64, 1000)
	for i := range ts {
		ts[i] = int64(i) * 1e6
		if i >= 500 {
			ts[i] += 2e6
		}
	}
	s := Summarise(ts, 1000)
	if s.LagP50Ms != 0 || s.LagP99Ms != 2 || s.LagMaxMs != 2 {
		t.Fatalf("late half: %+v", s)
	}
	if want := 1000 / 1.002; math.Abs(s.Rate-want) > 1e-6 {
		t.Fatalf("rate %v, want %v", s.Rate, want)
	}
}

func TestQuantileNearestRank(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if Quantile(v, 0.5) != 5 || Quantile(v, 0.99) != 10 || Quantile(v, 0) != 1 {
		t.Fatal("nearest rank")
	}
}
