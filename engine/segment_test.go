package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// runLog records, for each scenario run, its iteration and what it drew.
type runLog struct {
	mu   sync.Mutex
	runs map[int64]string // iteration → scenario name and first draw
}

func newRunLog() *runLog { return &runLog{runs: map[int64]string{}} }

// scenario records each run under its iteration: the scenario's name
// and VU.Rand's first draw.
func (l *runLog) scenario(name string, weight int) Scenario {
	return Scenario{Name: name, Weight: weight, Run: func(_ context.Context, vu *VU) error {
		draw := vu.Rand().IntN(1_000_000)
		l.mu.Lock()
		defer l.mu.Unlock()
		if _, dup := l.runs[vu.Iteration]; dup {
			l.runs[vu.Iteration] = "run twice" // matches no single run
			return nil
		}
		l.runs[vu.Iteration] = fmt.Sprintf("%s/%d", name, draw)
		return nil
	}}
}

func segmentsOf(t *testing.T, sequence string) []*schedule.Segment {
	t.Helper()
	seq, err := schedule.ParseSequence(sequence)
	if err != nil {
		t.Fatal(err)
	}
	var out []*schedule.Segment
	for k := range seq.Shares() {
		s, err := schedule.NewSegment(seq, k)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// runShares runs test once per share, all at once, each logging into its
// own runLog built by scenarios.
func runShares(t *testing.T, base Test, segs []*schedule.Segment, scenarios func(*runLog) []Scenario) []*runLog {
	t.Helper()
	logs := make([]*runLog, len(segs))
	var wg sync.WaitGroup
	for k, seg := range segs {
		logs[k] = newRunLog()
		test := base
		test.Segment, test.Scenarios = seg, scenarios(logs[k])
		wg.Go(func() {
			if _, err := Run(context.Background(), test); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	return logs
}

// A split run makes, for every arrival, the choices a single run makes:
// the same scenario and the same draws, whichever share runs it; and each
// share runs exactly its own stripe of global indices.
func TestSharesRunTheSingleRunsArrivalsAndChoices(t *testing.T) {
	base := Test{Seed: 42, Phases: []schedule.Phase{
		{Kind: schedule.Count, ArrivalCount: 120, Duration: 300 * time.Millisecond},
		{Kind: schedule.Ramp, ArrivalRate: 20, RampTo: 60, Duration: 2 * time.Second},
	}}
	weighted := func(l *runLog) []Scenario {
		return []Scenario{l.scenario("a", 1), l.scenario("b", 2), l.scenario("c", 7)}
	}
	single := runShares(t, base, []*schedule.Segment{schedule.Whole()}, weighted)[0]
	if len(single.runs) != 200 {
		t.Fatalf("the single run made %d runs, want 200", len(single.runs))
	}
	sequences := []string{"0:1/8:1/4:3/8:1/2:5/8:3/4:7/8:1", "0:1/2:3/4:1", "0:3/5:14/15:1"}
	logs := make([][]*runLog, len(sequences))
	var wg sync.WaitGroup
	segments := make([][]*schedule.Segment, len(sequences))
	for i, sequence := range sequences {
		segments[i] = segmentsOf(t, sequence)
		wg.Go(func() { logs[i] = runShares(t, base, segments[i], weighted) })
	}
	wg.Wait()
	for s, sequence := range sequences {
		segs := segments[s]
		union := map[int64]string{}
		for k, l := range logs[s] {
			for i, choice := range l.runs {
				if !segs[k].Owns(i) {
					t.Errorf("%s: share %s ran arrival %d, not its own", sequence, segs[k], i)
				}
				union[i] = choice
			}
		}
		if !maps.Equal(union, single.runs) {
			t.Errorf("%s: the shares' runs differ from the single run's:\nsingle %v\nshares %v", sequence, single.runs, union)
		}
	}
	counts := map[byte]int{}
	for _, c := range single.runs {
		counts[c[0]]++
	}
	if counts['a'] < 5 || counts['a'] > 40 || counts['c'] < 110 || counts['c'] > 170 {
		t.Errorf("200 runs with weights 1:2:7 chose %v", counts)
	}
}

// Another seed makes other choices: the seed is part of every draw.
func TestSeedChangesTheChoices(t *testing.T) {
	base := Test{Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 60, Duration: 100 * time.Millisecond}}}
	two := func(l *runLog) []Scenario { return []Scenario{l.scenario("a", 1), l.scenario("b", 1)} }
	base.Seed = 1
	one := runShares(t, base, []*schedule.Segment{schedule.Whole()}, two)[0]
	again := runShares(t, base, []*schedule.Segment{schedule.Whole()}, two)[0]
	base.Seed = 2
	other := runShares(t, base, []*schedule.Segment{schedule.Whole()}, two)[0]
	if !maps.Equal(one.runs, again.runs) {
		t.Error("the same seed made other choices")
	}
	if maps.Equal(one.runs, other.runs) {
		t.Error("seeds 1 and 2 made the same 60 choices")
	}
}

// The closed model runs each share's users, started when a single run
// starts them, numbered as a single run numbers them.
func TestSharesRunTheirUsers(t *testing.T) {
	gap := 40 * time.Millisecond
	base := Test{Phases: []schedule.Phase{{Kind: schedule.Users, Users: 10, SpawnRate: float64(time.Second / gap), Duration: 600 * time.Millisecond}}}
	segs := segmentsOf(t, "0:1/4:1/2:1")
	var mu sync.Mutex
	started := map[int64]time.Duration{} // user → first run, since its share began
	var all []int64
	var wg sync.WaitGroup
	for _, seg := range segs {
		test := base
		test.Segment = seg
		t0 := time.Now()
		test.Scenarios = []Scenario{{Name: "loop", Run: func(ctx context.Context, vu *VU) error {
			mu.Lock()
			if vu.Iteration < 10 { // the first run of user Iteration
				started[vu.Iteration] = time.Since(t0)
				all = append(all, vu.Iteration)
			}
			mu.Unlock()
			return vu.Think(300 * time.Millisecond)
		}}}
		wg.Go(func() {
			res, err := Run(context.Background(), test)
			if err != nil {
				t.Error(err)
			}
			if want := seg.Users(base.Phases[0]); res.Final.VUs.Created != want {
				t.Errorf("share %s started %d users, want %d", seg, res.Final.VUs.Created, want)
			}
		})
	}
	wg.Wait()
	slices.Sort(all)
	if want := []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(all, want) {
		t.Fatalf("the shares' users are %v, want each of 0 to 9 once", all)
	}
	for j, at := range started {
		if at < time.Duration(j)*gap {
			t.Errorf("user %d started %v after its share began, before its single-run time %v", j, at, time.Duration(j)*gap)
		}
	}
}

// maxVusers is split among the shares; a share whose part is 0 drops
// every arrival (0 in a phase means no cap, not in a share).
func TestSharesSplitMaxVUsers(t *testing.T) {
	base := Test{Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 40, Duration: 200 * time.Millisecond, MaxVUsers: 3}}}
	segs := segmentsOf(t, "0:1/4:1/2:3/4:1") // caps 1, 1, 1, 0
	var wg sync.WaitGroup
	for _, seg := range segs {
		test := base
		test.Segment = seg
		var active, most atomic.Int64
		test.Scenarios = []Scenario{{Name: "slow", Run: func(ctx context.Context, vu *VU) error {
			n := active.Add(1)
			defer active.Add(-1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			time.Sleep(80 * time.Millisecond)
			return nil
		}}}
		wg.Go(func() {
			res, err := Run(context.Background(), test)
			if err != nil {
				t.Error(err)
				return
			}
			limit, _ := seg.MaxVUsers(base.Phases[0])
			v := res.Final.VUs
			if v.Created+v.Dropped != 10 {
				t.Errorf("share %s: %d created + %d dropped, want its 10 arrivals", seg, v.Created, v.Dropped)
			}
			if most.Load() > limit || (limit == 0 && v.Created != 0) {
				t.Errorf("share %s: %d VUs at once (created %d), its cap is %d", seg, most.Load(), v.Created, limit)
			}
		})
	}
	wg.Wait()
}

func TestPlanHash(t *testing.T) {
	base := func() Test {
		return Test{Seed: 3, Phases: []schedule.Phase{{Kind: schedule.Ramp, ArrivalRate: 1, RampTo: 5, Duration: time.Second}},
			Scenarios: []Scenario{{Name: "a", Weight: 1}, {Name: "b"}}}
	}
	segs := segmentsOf(t, "0:1/4:1")
	shareA, shareB := base(), base()
	shareA.Segment, shareB.Segment = segs[0], segs[1]
	if shareA.PlanHash() != shareB.PlanHash() {
		t.Error("two shares of one test hash differently")
	}
	whole := base()
	if whole.PlanHash() == shareA.PlanHash() {
		t.Error("a share hashes like the whole test: the sequence is not covered")
	}
	zero := base()
	zero.Scenarios[1].Weight = 1
	if zero.PlanHash() != whole.PlanHash() {
		t.Error("weight 0, which counts as 1, hashes unlike 1")
	}
	changes := map[string]func(*Test){
		"seed":       func(t *Test) { t.Seed = 4 },
		"rate":       func(t *Test) { t.Phases[0].RampTo = 5.000001 },
		"maxVusers":  func(t *Test) { t.Phases[0].MaxVUsers = 9 },
		"phase name": func(t *Test) { t.Phases[0].Name = "warm" },
		"weight":     func(t *Test) { t.Scenarios[0].Weight = 2 },
		"name":       func(t *Test) { t.Scenarios[0].Name = "A" },
		"order":      func(t *Test) { t.Scenarios[0], t.Scenarios[1] = t.Scenarios[1], t.Scenarios[0] },
		"phases":     func(t *Test) { t.Phases = append(t.Phases, schedule.Phase{Kind: schedule.Pause}) },
	}
	for what, change := range changes {
		changed := base()
		change(&changed)
		if changed.PlanHash() == whole.PlanHash() {
			t.Errorf("changing the %s leaves the plan hash alike", what)
		}
	}
	unrelated := base()
	unrelated.Timeout, unrelated.Endpoints = time.Second, []string{"x"}
	if unrelated.PlanHash() != whole.PlanHash() {
		t.Error("the timeout or endpoints changed the plan hash, which covers neither")
	}
}
