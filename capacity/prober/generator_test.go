package prober

import (
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// A probe's generator figures are the engine's watch over the measured
// seconds only: the warm-up's and the tail's are left out.
func TestGeneratorIsReadFromTheMeasuredSeconds(t *testing.T) {
	r := resultsWith(t, []metrics.Generator{
		{Cores: 2, CPU: 0.99, Demand: 1, TimerLagP99: 80 * time.Millisecond}, // warm-up: left out
		{Cores: 2, CPU: 0.20, Demand: 0.30, TimerLagP99: 2 * time.Millisecond, PacerLagP99: 3 * time.Millisecond, Arrivals: 10},
		{Cores: 2, CPU: 0.40, Demand: 0.50, TimerLagP99: 4 * time.Millisecond, PacerLagP99: time.Millisecond, Arrivals: 10},
		{Cores: 2, CPU: 0.99, Demand: 1, TimerLagP99: 90 * time.Millisecond}, // after the window
	})
	g := generatorOf(r, 1, 3, capacity.GeneratorLimits{})
	if math.Abs(g.CPU-0.3) > 1e-9 || g.LagMs != 4 {
		t.Errorf("%+v, want CPU 0.3 (averaged) and lag 4 ms", g)
	}
}

// resultsWith is a results file whose seconds carry the generator
// figures gens, one a second, and ten requests each served in 20 ms
// that waited their second's send lag p99 before they were sent.
func resultsWith(t *testing.T, gens []metrics.Generator) *results.Results {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /"}, 1, t0)
	b := &results.Builder{}
	for i, g := range gens {
		for range 10 {
			service := 20 * time.Millisecond
			rec.Record(1, &metrics.Sample{Latency: service + g.LagP99, Service: service, Status: 200})
		}
		s := rec.Flush(t0.Add(time.Duration(i+1)*time.Second), i == len(gens)-1)
		s.Interval.Generator = g
		b.Add(s)
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A saturated server holds every connection, so arrivals wait ever
// longer to be sent while Surge idles: that is the server's limit, which
// the SLO judges in the latency, not the generator's. Arrivals that wait
// for connections Surge's growing pool had not opened yet, seconds in a
// row, are Surge's shortfall; one such second alone is not (the run's
// verdict on the generator enters a span after two).
func TestConnectionWaitsCountAsTheGeneratorsOnlyWhenTheyAreItsOwn(t *testing.T) {
	idle := func(sendP99 time.Duration, poolWaits int64) metrics.Generator {
		return metrics.Generator{Cores: 2, CPU: 0.05, Demand: 0.06, Arrivals: 200, Paced: 200,
			LagMin: sendP99 / 2, LagP99: sendP99, LagMax: sendP99, PacerLagP99: time.Millisecond,
			TimerLagP99: 2 * time.Millisecond, PoolWaits: poolWaits}
	}
	limits := capacity.GeneratorLimits{MaxCPU: 0.9, MaxLagMs: 10}
	for _, c := range []struct {
		name      string
		gens      []metrics.Generator
		saturated bool
	}{
		{"a saturated server's queue", []metrics.Generator{idle(0, 0), idle(400*time.Millisecond, 0),
			idle(800*time.Millisecond, 0), idle(1200*time.Millisecond, 0), idle(1600*time.Millisecond, 0)}, false},
		{"the pool short, seconds in a row", []metrics.Generator{idle(0, 0), idle(300*time.Millisecond, 150),
			idle(300*time.Millisecond, 150), idle(300*time.Millisecond, 150), idle(0, 0)}, true},
		{"the pool short for one second", []metrics.Generator{idle(0, 0), idle(0, 0),
			idle(35*time.Millisecond, 113), idle(0, 0), idle(0, 0)}, false},
	} {
		g := generatorOf(resultsWith(t, c.gens), 1, 4, limits)
		if g.Saturated(limits) != c.saturated {
			t.Errorf("%s: %+v, saturated %v, want %v", c.name, g, g.Saturated(limits), c.saturated)
		}
	}
}
