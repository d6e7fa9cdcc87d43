package schedule

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// sampleIndices picks arrival indices to check in a phase of n arrivals:
// the first and last thousand, a thousand at random, and the neighbours of
// around, sorted and without repeats.
func sampleIndices(n int64, around []int64) []int64 {
	var out []int64
	add := func(j int64) {
		if j >= 0 && j < n {
			out = append(out, j)
		}
	}
	for j := range int64(1000) {
		add(j)
		add(n - 1 - j)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		add(rng.Int64N(n))
	}
	for _, a := range around {
		for d := int64(-3); d <= 3; d++ {
			add(a + d)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// exactSpread is (j+1)·d/n in arbitrary precision, truncated.
func exactSpread(j, n int64, d time.Duration) time.Duration {
	v := new(big.Int).Mul(big.NewInt(j+1), big.NewInt(int64(d)))
	return time.Duration(v.Quo(v, big.NewInt(n)).Int64())
}

// exactConstant is (j+1)/rate seconds in arbitrary precision, in ns.
func exactConstant(j int64, rate float64) float64 {
	v := new(big.Float).SetPrec(200).SetInt64(j + 1)
	v.Mul(v, big.NewFloat(1e9))
	v.Quo(v, new(big.Float).SetPrec(200).SetFloat64(rate))
	f, _ := v.Float64()
	return f
}

func TestOffsetsAtTheEdges(t *testing.T) {
	day, hour := 24*time.Hour, time.Hour
	tests := []struct {
		name   string
		phase  Phase
		want   int64   // arrivals
		around []int64 // indices worth a close look
	}{
		// (j+1)·3.6e12 passes 2^63 at j ≈ 2,562,047: minute 42 of the hour.
		{"count 3e6 over an hour", Phase{Kind: Count, ArrivalCount: 3_000_000, Duration: hour}, 3_000_000, []int64{2_562_047}},
		{"count 1e9 over 24h", Phase{Kind: Count, ArrivalCount: 1_000_000_000, Duration: day}, 1_000_000_000, []int64{106_751}},
		{"count 2^53 over 24h", Phase{Kind: Count, ArrivalCount: MaxArrivals, Duration: day}, MaxArrivals, nil},
		{"count 1 over 24h", Phase{Kind: Count, ArrivalCount: 1, Duration: day}, 1, nil},
		{"count 1e9 over 1ns", Phase{Kind: Count, ArrivalCount: 1_000_000_000, Duration: 1}, 1_000_000_000, nil},
		{"count over zero time", Phase{Kind: Count, ArrivalCount: 5}, 5, nil},
		{"constant 1e9/s over 24h", Phase{Kind: Constant, ArrivalRate: 1e9, Duration: day}, 86_400_000_000_000, nil},
		{"constant 0.001/s over 24h", Phase{Kind: Constant, ArrivalRate: 0.001, Duration: day}, 86, nil},
		// 0.29999999995 × 10 s rounds up to 3 arrivals, the third due
		// a nanosecond after the end unless it is bounded.
		{"constant just under n/d", Phase{Kind: Constant, ArrivalRate: 0.29999999995, Duration: 10 * time.Second}, 3, nil},
		{"ramp 1e10 to 2e10 over 2s", Phase{Kind: Ramp, ArrivalRate: 1e10, RampTo: 2e10, Duration: 2 * time.Second}, 3e10, []int64{1e10}},
		{"ramp 0 to 1e6 over 24h", Phase{Kind: Ramp, RampTo: 1e6, Duration: day}, -1, nil},
		{"ramp with a fractional end", Phase{Kind: Ramp, ArrivalRate: 10, RampTo: 20, Duration: 1500 * time.Millisecond}, 30, nil},
		{"ramp over zero time", Phase{Kind: Ramp, ArrivalRate: 4, RampTo: 4}, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := New([]Phase{tt.phase})
			if err != nil {
				t.Fatal(err)
			}
			n := p.Arrivals()
			if tt.want >= 0 && n != tt.want {
				t.Fatalf("Arrivals() = %d, want %d", n, tt.want)
			}
			checkOffsets(t, p, sampleIndices(n, tt.around))
		})
	}
}

// checkOffsets checks the sampled arrivals of a one-phase plan: never
// backwards, within the phase, exact where the arithmetic allows it, and
// a Count phase's last arrival exactly at its end.
func checkOffsets(t *testing.T, p *Plan, indices []int64) {
	t.Helper()
	ph := p.Phases()[0]
	prev := time.Duration(-1)
	for _, j := range indices {
		at, _, ok := p.Due(j)
		if !ok || at < prev || at < 0 || at > ph.Duration {
			t.Fatalf("arrival %d at %v after %v (ok=%v): want monotonic offsets in [0, %v]", j, at, prev, ok, ph.Duration)
		}
		prev = at
		switch ph.Kind {
		case Count:
			if want := exactSpread(j, ph.ArrivalCount, ph.Duration); at != want {
				t.Fatalf("arrival %d at %v, exactly %v", j, at, want)
			}
		case Constant:
			if want := min(exactConstant(j, ph.ArrivalRate), float64(ph.Duration)); math.Abs(float64(at)-want) > 1 {
				t.Fatalf("arrival %d at %v, exactly %.1f ns", j, at, want)
			}
		}
	}
	last, _, _ := p.Due(p.Arrivals() - 1)
	if ph.Kind == Count && last != ph.Duration {
		t.Fatalf("last arrival at %v, want the end of the phase %v", last, ph.Duration)
	}
}

func TestRejectsPlansBeyondExactArithmetic(t *testing.T) {
	tests := []struct {
		name   string
		phases []Phase
		want   string
	}{
		{"NaN rate", []Phase{{Kind: Constant, ArrivalRate: math.NaN(), Duration: time.Second}}, "finite"},
		{"infinite ramp", []Phase{{Kind: Ramp, RampTo: math.Inf(1), Duration: time.Second}}, "finite"},
		{"NaN spawn rate", []Phase{{Kind: Users, Users: 1, SpawnRate: math.NaN(), Duration: time.Second}}, "finite"},
		{"1e12/s for a day", []Phase{{Kind: Constant, ArrivalRate: 1e12, Duration: 24 * time.Hour}}, "2^53"},
		{"count above 2^53", []Phase{{Kind: Count, ArrivalCount: MaxArrivals + 1, Duration: time.Second}}, "2^53"},
		{"ramp of a year", []Phase{{Kind: Ramp, RampTo: 1, Duration: 365 * 24 * time.Hour}}, "ramp may last"},
		{"phases over 292 years", []Phase{{Kind: Pause, Duration: math.MaxInt64}, {Kind: Pause, Duration: 1}}, "292 years"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.phases); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New: %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestPhaseAt(t *testing.T) {
	sec := time.Second
	p, err := New([]Phase{
		{Kind: Constant, ArrivalRate: 1, Duration: 2 * sec},
		{Kind: Count, ArrivalCount: 1}, // zero length: never running
		{Kind: Pause, Duration: sec},
		{Kind: Users, Users: 1, Duration: sec},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		at   time.Duration
		want int
	}{{-sec, 0}, {0, 0}, {2*sec - 1, 0}, {2 * sec, 2}, {3 * sec, 3}, {10 * sec, 3}} {
		if got := p.PhaseAt(c.at); got != c.want {
			t.Errorf("PhaseAt(%v) = %d, want %d", c.at, got, c.want)
		}
	}
}
