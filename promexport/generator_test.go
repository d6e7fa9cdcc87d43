package promexport

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/surge-dev/surge/metrics"
)

// busy is a second in which Surge was late with its CPU at the limit,
// strained as package selfwatch judges it; calm is one in which it kept
// up.
var (
	busy = metrics.Generator{Arrivals: 100, LagP99: 12 * time.Millisecond, LagMax: 40 * time.Millisecond,
		PacerLagP99: 11 * time.Millisecond, TimerLagP99: 3 * time.Millisecond, CPU: 0.97, Demand: 0.99, Cores: 2}
	calm = metrics.Generator{Arrivals: 100, LagP99: time.Millisecond, LagMax: 2 * time.Millisecond,
		PacerLagP99: 500 * time.Microsecond, TimerLagP99: 100 * time.Microsecond, CPU: 0.2, Demand: 0.2, Cores: 2}
)

// scrapeText reads the text format's samples, name{labels} → value.
func scrapeText(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(scrape(t, addr, "text/plain").Body)
	if err != nil {
		t.Fatal(err)
	}
	return flatten(fams)
}

// second feeds one more second whose generator watch is g.
func second(e *Exporter, snap metrics.Snapshot, i int, g metrics.Generator) {
	snap.Interval.Index, snap.Interval.Duration, snap.Interval.Generator, snap.Final = i, time.Second, g, false
	e.Update(&snap)
}

// TestScrapeHasTheGeneratorWatch: the last second's send, pacer and
// timer lag in seconds and the CPU share are gauges; they are absent
// before a watched second (a snapshot without a watch says nothing of
// the generator).
func TestScrapeHasTheGeneratorWatch(t *testing.T) {
	e, addr := serve(t) // a bare recorder's snapshot: no watch
	for name := range scrapeText(t, addr) {
		if strings.HasPrefix(name, "surge_generator_") {
			t.Errorf("%s exported before any watched second", name)
		}
	}
	second(e, snapshot(t), 1, busy)
	got := scrapeText(t, addr)
	want := map[string]float64{
		"surge_generator_send_lag_p99_seconds":  0.012,
		"surge_generator_send_lag_max_seconds":  0.04,
		"surge_generator_pacer_lag_p99_seconds": 0.011,
		"surge_generator_timer_lag_p99_seconds": 0.003,
		"surge_generator_cpu_ratio":             0.97,
		"surge_generator_bound":                 0,
	}
	for series, v := range want {
		if g, ok := got[series]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", series, g, ok, v)
		}
	}
}

// TestGeneratorBoundFollowsTheJudgement: surge_generator_bound turns 1
// after two strained seconds in a row and back to 0 after two calm
// ones, as the live notice says it (selfwatch's hysteresis).
func TestGeneratorBoundFollowsTheJudgement(t *testing.T) {
	e, addr := serve(t)
	snap := snapshot(t)
	for i, step := range []struct {
		g     metrics.Generator
		bound float64
	}{{busy, 0}, {busy, 1}, {calm, 1}, {busy, 1}, {calm, 1}, {calm, 0}} {
		second(e, snap, i+1, step.g)
		if got := scrapeText(t, addr)["surge_generator_bound"]; got != step.bound {
			t.Fatalf("second %d: surge_generator_bound %v, want %v", i+1, got, step.bound)
		}
	}
}
