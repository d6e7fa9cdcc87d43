package dashboard

import (
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// While Surge itself is the bottleneck, each frame carries the verdict
// and the sentence the page shows as a banner; a generator that keeps up
// gets none.
func TestFramesCarryTheGeneratorWarning(t *testing.T) {
	s, _, _ := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "t"})
	snaps := snapshots()
	for i := range snaps[:2] {
		snaps[i].Interval.Generator = metrics.Generator{Arrivals: 50, Cores: 1, CPU: 0.05, Demand: 0.05,
			LagP99: 100 * time.Microsecond, LagMax: time.Millisecond}
	}
	s.Publish(snaps[0], nil)
	if f := lastFrame(t, s); f.Generator == nil || f.Generator.Bound || f.GeneratorWarning != "" {
		t.Fatalf("a generator that keeps up: %+v %q", f.Generator, f.GeneratorWarning)
	}
	for i := range snaps[1:] {
		snaps[1+i].Interval.Generator = metrics.Generator{Arrivals: 50, Cores: 1, CPU: 0.99, Demand: 1,
			LagP99: 900 * time.Millisecond, LagMax: time.Second}
	}
	s.Publish(snaps[1], nil)
	s.Publish(snaps[2], nil)
	f := lastFrame(t, s)
	if f.Generator == nil || !f.Generator.Bound ||
		!strings.Contains(f.GeneratorWarning, "Surge itself was the bottleneck from 0:01 to 0:03") {
		t.Errorf("bound from 1 s: %+v %q", f.Generator, f.GeneratorWarning)
	}
}
