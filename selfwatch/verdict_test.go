package selfwatch

import (
	"math"
	"testing"
)

// healthy is a second of a generator that keeps up: a few arrivals sent
// within a millisecond, little CPU.
func healthy(i int) Second {
	return Second{Index: i, DurationS: 1, Arrivals: 200, LagP99Ms: 0.3, LagMaxMs: 1.5,
		PacerLagP99Ms: 0.2, PacerLagMaxMs: 1, TimerLagP99Ms: 0.2, CPU: 0.03, Demand: 0.04, Cores: 2}
}

// busy is a second of a generator late at full CPU.
func busy(i int, lagMs float64) Second {
	s := healthy(i)
	s.LagP99Ms, s.LagMaxMs, s.CPU, s.Demand = lagMs, 1.2*lagMs, 0.99, 1
	return s
}

// starved is a second of a generator that gets little CPU (another
// process has it) and falls behind by growing amounts: its arrivals are
// late by lowMs at least (a backlog that grew from lowMs to maxMs over
// the second), maxMs at most.
func starved(i int, lowMs, maxMs float64) Second {
	s := healthy(i)
	s.LagMinMs, s.LagP99Ms, s.LagMaxMs = lowMs, 0.9*maxMs, maxMs
	s.PacerLagMinMs, s.PacerLagP99Ms, s.PacerLagMaxMs = lowMs, 0.9*maxMs, maxMs
	s.CPU, s.Demand = 0.45, 0.6
	return s
}

// hog is a second of a modest run beside a CPU hog: timers and arrivals
// late by tens of milliseconds, the generator itself nearly idle.
func hog(i int, lagMs, maxMs, timerMs float64) Second {
	s := healthy(i)
	s.LagP99Ms, s.LagMaxMs, s.PacerLagP99Ms, s.PacerLagMaxMs, s.TimerLagP99Ms = lagMs, maxMs, lagMs, maxMs, timerMs
	s.CPU, s.Demand = 0.05, 0.08
	return s
}

// dropping is a second of a generator whose pacer hands every arrival
// on between lowMs and maxMs late, to be dropped: none begins.
func dropping(i int, lowMs, maxMs float64) Second {
	s := starved(i, lowMs, maxMs)
	s.Arrivals, s.LagMinMs, s.LagP99Ms, s.LagMaxMs = 0, 0, 0, 0
	s.CPU, s.Demand = 0.07, 1.6
	return s
}

// queued is a second in which arrivals waited for a free connection.
func queued(i int, lagMs float64) Second {
	s := healthy(i)
	s.LagP99Ms, s.LagMaxMs = lagMs, 1.1*lagMs
	return s
}

// overloaded is a second of a modest run on a machine far busier than
// its cores: a stall makes arrivals late by up to maxMs, and the pacer
// catches up after it (most arrivals are on time).
func overloaded(i int, maxMs, demand float64) Second {
	s := hog(i, maxMs, maxMs, 0.1)
	s.Demand = demand
	return s
}

// saturated is a second in which arrivals waited for a connection ever
// longer (from lowMs to lagMs) while the generator wanted all its cores.
func saturated(i int, lowMs, lagMs float64) Second {
	s := queued(i, lagMs)
	s.LagMinMs = lowMs
	s.CPU, s.Demand = 0.5, 0.97
	return s
}

// poolShort is a second in which arrivals waited lagMs for connections
// the generator's growing pool had not opened yet (it grew after it).
func poolShort(i int, lagMs float64) Second {
	s := queued(i, lagMs)
	s.PoolWaits = 150
	return s
}

// hungryPool is poolShort while the generator wanted all its cores.
func hungryPool(i int, lagMs float64) Second {
	s := poolShort(i, lagMs)
	s.CPU, s.Demand = 0.3, 0.95
	return s
}

// backlogged is a second in which every arrival began at least lowMs
// late: a queue of arrivals drained late, the generator idle.
func backlogged(i int, lowMs float64) Second {
	s := queued(i, 1.2*lowMs)
	s.LagMinMs = lowMs
	return s
}

func run(parts ...Second) []Second { return parts }

// judgeCase is a run of seconds and the spans Judge must find in it.
type judgeCase struct {
	secs  []Second
	spans [][2]int // From, To as interval indices
	open  bool
}

// judgeCases are the runs TestJudge judges, by what they show.
var judgeCases = map[string]judgeCase{
	"healthy run": {secs: run(healthy(0), healthy(1), healthy(2), healthy(3))},
	// A machine shared with a CPU hog: timers late by milliseconds,
	// the lag jumping about, the generator itself nearly idle.
	"beside a CPU hog": {secs: run(
		hog(0, 18, 40, 25), hog(1, 35, 120, 30), hog(2, 12, 30, 14), hog(3, 40, 200, 20))},
	// A slow server behind a bounded pool: arrivals wait longer and
	// longer for a connection, while the generator idles.
	"a slow server behind a bounded pool": {secs: run(queued(0, 300), queued(1, 1300), queued(2, 2300))},
	// The same growing wait while the generator wants all its cores
	// (and gets only part of them): its CPU is the bottleneck.
	// (From its first late second on: the lag it built up before a
	// second counted as strained is the generator's too.)
	"a saturated pool on a shared machine": {secs: run(healthy(0), saturated(1, 0.5, 300),
		saturated(2, 300, 1300), saturated(3, 1300, 2300)),
		spans: [][2]int{{1, 4}}, open: true},
	"one busy second is a hiccup": {secs: run(healthy(0), busy(1, 50), healthy(2), healthy(3))},
	"busy from 1 to the end": {secs: run(healthy(0), busy(1, 30), busy(2, 200), busy(3, 900)),
		spans: [][2]int{{1, 4}}, open: true},
	"busy, then recovered": {secs: run(healthy(0), busy(1, 30), busy(2, 40), healthy(3), busy(4, 20), healthy(5), healthy(6), healthy(7)),
		spans: [][2]int{{1, 5}}},
	"busy but on time": {secs: run(busy(0, 2), busy(1, 3), busy(2, 4))},
	"falling behind without CPU": {secs: run(healthy(0), starved(1, 1, 400), starved(2, 400, 900),
		starved(3, 900, 1400)),
		spans: [][2]int{{1, 4}}, open: true},
	"a late but steady backlog is not a runaway": {secs: run(starved(0, 80, 100), starved(1, 90, 110),
		starved(2, 100, 120))},
	// A pacer a few seconds behind all along, the gap no longer
	// growing (a machine that gives the process a fifth of a core):
	// not one arrival on time, second after second.
	"a pacer that never catches up": {secs: run(healthy(0), starved(1, 2450, 2550), starved(2, 2340, 2520),
		starved(3, 2400, 2500)),
		spans: [][2]int{{1, 4}}, open: true},
	// A machine far busier than its cores: the modest run's threads
	// wait in the run queue (demand past its cores while it uses a
	// few percent), and a stall now and then makes everything late
	// by hundreds of milliseconds, but nothing runs away.
	"a modest run on an overloaded machine": {secs: run(overloaded(0, 320, 1.2), overloaded(1, 40, 0.95),
		overloaded(2, 290, 1.1), overloaded(3, 30, 1.3), overloaded(4, 250, 0.9))},
	// Stalls that grow second after second: the worst lag grows by
	// more than a quarter of a second twice in a row, but after each
	// stall the pacer caught up.
	"stalls that grow, caught up after each": {secs: run(overloaded(0, 380, 1.7), overloaded(1, 700, 1.1),
		overloaded(2, 1100, 1.3), overloaded(3, 1500, 1.6))},
	// A generator so far behind that every arrival it hands on is
	// dropped (its queue full, or past the test's last start): no
	// arrival begins, but its pacer runs away.
	"a pacer that runs away while every arrival is dropped": {secs: run(
		dropping(0, 0, 7100), dropping(1, 7100, 11000), dropping(2, 11000, 20700)),
		spans: [][2]int{{0, 3}}, open: true},
	// A growing pool's waits are Surge's: it had not opened the
	// connections yet, and did once it judged the second.
	"a growing pool's waits": {secs: run(poolShort(0, 300), poolShort(1, 800), healthy(2), healthy(3)),
		spans: [][2]int{{0, 2}}},
	// Waits on the pool while the generator wanted all its cores:
	// more connections would not have helped.
	"pool waits without CPU to spare": {secs: run(hungryPool(0, 300), hungryPool(1, 800), healthy(2))},
	"one pool second is a hiccup":     {secs: run(poolShort(0, 300), healthy(1), healthy(2))},
	"pool waits within the limit":     {secs: run(poolShort(0, 4), poolShort(1, 6), poolShort(2, 8))},
	// After the plan's last arrival a bound generator drains its
	// backlog: every arrival late by seconds, the CPU idle again.
	"the backlog of a bound generator is its own": {secs: run(busy(0, 50), busy(1, 900), backlogged(2, 1900),
		backlogged(3, 1700), healthy(4), healthy(5)),
		spans: [][2]int{{0, 4}}},
	"late arrivals without a span are the server's": {secs: run(healthy(0), backlogged(1, 1900),
		backlogged(2, 1700), healthy(3))},
	// A first second already late at the 99th percentile but partly
	// on time, its CPU not yet at the limit: the lag building up is
	// the span's start, not a healthy second.
	"the lag before the first strained second": {secs: run(healthy(0), hog(1, 590, 900, 3), busy(2, 900),
		busy(3, 1400)),
		spans: [][2]int{{1, 4}}, open: true},
	"the lead-in stops at the span before": {secs: run(busy(0, 20), busy(1, 20), hog(2, 40, 60, 1),
		hog(3, 30, 50, 1), busy(4, 20), busy(5, 20)),
		spans: [][2]int{{0, 2}, {2, 6}}, open: true},
	"two spans": {secs: run(busy(0, 20), busy(1, 20), healthy(2), healthy(3), busy(4, 20), busy(5, 20), healthy(6), healthy(7)),
		spans: [][2]int{{0, 2}, {4, 6}}},
}

func TestJudge(t *testing.T) {
	for name, tc := range judgeCases {
		v := Judge(tc.secs, Limits{})
		if v.Bound != (len(tc.spans) > 0) || len(v.Spans) != len(tc.spans) || v.Open != tc.open {
			t.Errorf("%s: %+v, want spans %v (open %v)", name, v, tc.spans, tc.open)
			continue
		}
		n := 0
		for i, s := range v.Spans {
			n += s.To - s.From
			if s.From != tc.spans[i][0] || s.To != tc.spans[i][1] || s.FromS != float64(s.From) || s.ToS != float64(s.To) {
				t.Errorf("%s: span %d is %+v, want %v", name, i, s, tc.spans[i])
			}
		}
		if v.Seconds != n {
			t.Errorf("%s: %d seconds, want %d", name, v.Seconds, n)
		}
	}
}

func TestJudgeNamesTheWorstSecondAndWhy(t *testing.T) {
	v := Judge(run(healthy(0), busy(1, 30), busy(2, 900), busy(3, 200)), Limits{})
	if len(v.Spans) != 1 || v.Spans[0].Worst.Index != 2 || v.Spans[0].Why != Busy {
		t.Fatalf("%+v, want one busy span whose worst second is 2", v)
	}
	v = Judge(run(healthy(0), starved(1, 300, 900), starved(2, 900, 1400), starved(3, 1400, 1800)), Limits{})
	if len(v.Spans) != 1 || v.Spans[0].Why != Runaway || v.Spans[0].Worst.Index != 3 {
		t.Fatalf("%+v, want one runaway span whose worst second is 3", v)
	}
	v = Judge(run(healthy(0), saturated(1, 300, 1300), saturated(2, 1300, 2300)), Limits{})
	if len(v.Spans) != 1 || v.Spans[0].Why != Starved {
		t.Fatalf("%+v, want one starved span", v)
	}
	v = Judge(run(healthy(0), poolShort(1, 300), poolShort(2, 800), backlogged(3, 2500), healthy(4), healthy(5)), Limits{})
	if len(v.Spans) != 1 || v.Spans[0].Why != Pool || v.Spans[0].Worst.Index != 3 || v.Spans[0].To != 4 {
		t.Fatalf("%+v, want one pool span to 4 whose worst second is the backlog's, 3", v)
	}
}

// Where the platform does not say what CPU the process used, only a
// runaway backlog shows.
func TestJudgeWithoutCPU(t *testing.T) {
	secs := run(busy(0, 30), busy(1, 40), busy(2, 50))
	for i := range secs {
		secs[i].CPU, secs[i].Demand = math.NaN(), math.NaN()
	}
	if v := Judge(secs, Limits{}); v.Bound {
		t.Errorf("late but steady with the CPU unknown: %+v, want not bound", v)
	}
	secs = run(starved(0, 0, 300), starved(1, 300, 700), starved(2, 700, 1100), starved(3, 1100, 1500))
	for i := range secs {
		secs[i].CPU, secs[i].Demand = math.NaN(), math.NaN()
	}
	if v := Judge(secs, Limits{}); !v.Bound {
		t.Errorf("a runaway with the CPU unknown: %+v, want bound", v)
	}
}

// The timer's lag counts in the closed model, where nothing is paced.
func TestJudgeClosedModelByTheTimer(t *testing.T) {
	secs := []Second{{Index: 0, DurationS: 1, TimerLagP99Ms: 25, CPU: 0.97, Demand: math.NaN(), Cores: 1},
		{Index: 1, DurationS: 1, TimerLagP99Ms: 40, CPU: 0.98, Demand: math.NaN(), Cores: 1}}
	if v := Judge(secs, Limits{}); !v.Bound {
		t.Errorf("late timers at full CPU: %+v, want bound", v)
	}
}

// A last interval shorter than a second (the test's ragged end) counts
// by its own length.
func TestJudgeSpanTimes(t *testing.T) {
	secs := run(healthy(3), busy(4, 50), busy(5, 60))
	secs[2].DurationS = 0.25
	v := Judge(secs, Limits{})
	if len(v.Spans) != 1 || v.Spans[0].FromS != 4 || v.Spans[0].ToS != 5.25 {
		t.Errorf("%+v, want one span from 4 s to 5.25 s", v)
	}
}
