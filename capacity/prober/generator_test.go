package prober

import (
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// A probe's generator figures are the engine's watch over the measured
// seconds only: the warm-up's and the tail's are left out.
func TestGeneratorIsReadFromTheMeasuredSeconds(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /"}, 1, t0)
	b := &results.Builder{}
	gens := []metrics.Generator{
		{Cores: 2, CPU: 0.99, Demand: 1, TimerLagP99: 80 * time.Millisecond}, // warm-up: left out
		{Cores: 2, CPU: 0.20, Demand: 0.30, TimerLagP99: 2 * time.Millisecond, PacerLagP99: 3 * time.Millisecond, Arrivals: 10},
		{Cores: 2, CPU: 0.40, Demand: 0.50, TimerLagP99: 4 * time.Millisecond, PacerLagP99: time.Millisecond, Arrivals: 10},
		{Cores: 2, CPU: 0.99, Demand: 1, TimerLagP99: 90 * time.Millisecond}, // after the window
	}
	for i, g := range gens {
		s := rec.Flush(t0.Add(time.Duration(i+1)*time.Second), i == len(gens)-1)
		s.Interval.Generator = g
		b.Add(s)
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	g := generatorOf(r, 1, 3)
	if math.Abs(g.CPU-0.3) > 1e-9 || g.LagMs != 4 {
		t.Errorf("%+v, want CPU 0.3 (averaged) and lag 4 ms", g)
	}
}
