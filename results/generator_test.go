package results

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

// watched builds a document from snapshots whose intervals carry the
// given watches on the generator.
func watched(t *testing.T, gens []metrics.Generator) *Results {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /"}, 1, t0)
	b := &Builder{}
	for i, g := range gens {
		rec.Record(1, &metrics.Sample{Latency: time.Millisecond, Service: time.Millisecond, Status: 200})
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

func keptUp() metrics.Generator {
	return metrics.Generator{Arrivals: 100, LagP99: 300 * time.Microsecond, LagMax: time.Millisecond,
		PacerLagP99: 200 * time.Microsecond, PacerLagMax: 500 * time.Microsecond,
		TimerLagP99: 100 * time.Microsecond, CPU: 0.05, Demand: 0.06, Cores: 1, ConnsOpened: 3, Conns: 3}
}

func fellBehind(lag time.Duration) metrics.Generator {
	g := keptUp()
	g.LagP99, g.LagMax, g.CPU, g.Demand, g.Conns = lag, 2*lag, 0.98, 1, 64
	return g
}

func TestResultsSayWhenTheGeneratorWasTheBottleneck(t *testing.T) {
	r := watched(t, []metrics.Generator{keptUp(), fellBehind(50 * time.Millisecond),
		fellBehind(1800 * time.Millisecond), fellBehind(900 * time.Millisecond)})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Results
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	g := back.Generator
	if g == nil || !g.Bound || g.Verdict != "generator-bound" || len(g.Spans) != 1 {
		t.Fatalf("generator section %+v, want one bound span", g)
	}
	s := g.Spans[0]
	if s.FromS != 1 || s.ToS != 4 || s.Why != "busy" || s.WorstAtS != 2 || s.LagP99Ms != 1800 ||
		s.CPUPct == nil || *s.CPUPct != 98 || s.DemandPct == nil || *s.DemandPct != 100 || g.BoundS != 3 {
		t.Errorf("span %+v (bound %v s), want 1–4 s, busy, worst at 2 s: 1800 ms at 98 %% CPU, 100 %% demand", s, g.BoundS)
	}
	if g.Cores != 1 || g.ConnsOpened != 12 || g.MaxPoolConns != 64 || g.Limits.MaxLagMs != 10 {
		t.Errorf("%+v", g)
	}
	iv := back.Intervals[2].Generator
	if iv == nil || iv.SendLagP99Ms != 1800 || iv.SendLagMaxMs != 3600 || *iv.CPUPct != 98 || iv.Arrivals != 100 {
		t.Errorf("interval 2's watch: %+v", iv)
	}
}

func TestResultsOfAHealthyRunSayOK(t *testing.T) {
	g := watched(t, []metrics.Generator{keptUp(), keptUp(), keptUp()}).Generator
	if g == nil || g.Bound || g.Verdict != "ok" || len(g.Spans) != 0 {
		t.Errorf("%+v, want ok", g)
	}
}

// A CPU the platform does not report is left out, not written as NaN
// (which JSON cannot hold); a recorder without a watch writes none.
func TestGeneratorSectionWithoutCPUOrWatch(t *testing.T) {
	unknown := keptUp()
	unknown.CPU, unknown.Demand = math.NaN(), math.NaN()
	r := watched(t, []metrics.Generator{unknown})
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	if iv := r.Intervals[0].Generator; iv.CPUPct != nil || iv.DemandPct != nil {
		t.Errorf("%+v: want no CPU", iv)
	}
	if r := watched(t, []metrics.Generator{{}}); r.Generator != nil || r.Intervals[0].Generator != nil {
		t.Errorf("no watch: %+v", r.Generator)
	}
}

// Merged shares: each second's watch is that of the share furthest
// behind, with the arrivals and connections of all added up.
func TestMergedIntervalKeepsTheShareFurthestBehind(t *testing.T) {
	cpu := 50.0
	a := Interval{DurationS: 1, Generator: &GeneratorInterval{Arrivals: 10, SendLagP99Ms: 2, Cores: 2, ConnsOpened: 3, PoolConns: 4, CPUPct: &cpu}}
	b := Interval{DurationS: 1, Generator: &GeneratorInterval{Arrivals: 20, SendLagP99Ms: 900, Cores: 1, ConnsOpened: 5, PoolConns: 6}}
	out, err := MergeInterval([]IntervalPart{{Interval: a}, {Interval: b}, {Interval: Interval{DurationS: 1}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := out.Generator
	if g == nil || g.SendLagP99Ms != 900 || g.Cores != 1 || g.CPUPct != nil || g.Arrivals != 30 ||
		g.ConnsOpened != 8 || g.PoolConns != 10 {
		t.Errorf("merged %+v", g)
	}
	if a.Generator.Arrivals != 10 {
		t.Error("the merge changed a share's interval")
	}
}
