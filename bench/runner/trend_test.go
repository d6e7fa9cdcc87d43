package main

import (
	"math"
	"testing"
	"time"
)

func TestTrendGrowth(t *testing.T) {
	t0 := time.Unix(0, 0)
	series := func(f func(i int) int64) []RSSSample {
		var s []RSSSample
		for i := range 100 {
			s = append(s, RSSSample{At: t0.Add(time.Duration(i) * time.Second), RSSKB: f(i)})
		}
		return s
	}
	tests := []struct {
		name string
		s    []RSSSample
		want float64
	}{
		{"flat", series(func(int) int64 { return 20000 }), 0},
		{"sawtooth", series(func(i int) int64 { return 20000 + int64(i%2)*2000 }), 0},
		{"leak", series(func(i int) int64 { return 20000 + int64(i)*100 }), 9900.0 / 24950 * 100},
	}
	for _, tt := range tests {
		got, ok := trendGrowth(tt.s)
		if !ok || math.Abs(got-tt.want) > 0.5 {
			t.Errorf("%s: %.2f %v, want %.2f", tt.name, got, ok, tt.want)
		}
	}
	if _, ok := trendGrowth(nil); ok {
		t.Error("no samples gave a trend")
	}
}
