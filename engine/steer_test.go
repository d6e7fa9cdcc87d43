package engine

import (
	"context"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

// thinkingScenario sends one GET and then thinks for think; it counts the
// requests of the first `first` VUs that start after *after (once set).
func thinkingScenario(url string, think time.Duration, first uint64, after *atomic.Int64, late *atomic.Int64) Scenario {
	get := getScenario(url)
	return Scenario{Name: "get and think", Run: func(ctx context.Context, vu *VU) error {
		if t := after.Load(); t != 0 && vu.ID <= first && time.Now().UnixNano() > t {
			late.Add(1)
		}
		if err := get.Run(ctx, vu); err != nil {
			return err
		}
		return vu.Think(think)
	}}
}

// perInterval collects the requests of every interval.
type perInterval struct {
	mu       sync.Mutex
	requests []int64
	active   []int64
}

func (p *perInterval) add(s metrics.Snapshot) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !s.Final {
		p.requests = append(p.requests, s.Interval.Stats.Requests)
		p.active = append(p.active, s.Interval.ActiveVUs)
	}
}

func TestControlSwitchesUsersToArrivals(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	var switched, late atomic.Int64
	time.AfterFunc(1250*time.Millisecond, func() {
		// The users' last iterations may still start up to a think after
		// the switch; none may start once that is over.
		switched.Store(time.Now().Add(300 * time.Millisecond).UnixNano())
		ctl.SetRate(200)
	})
	var counts perInterval
	res, err := Run(context.Background(), Test{
		Phases:     []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 3 * time.Second}},
		Scenarios:  []Scenario{thinkingScenario(srv.URL, 100*time.Millisecond, 2, &switched, &late)},
		Conns:      Shared, // keep-alive: no dial per arrival on a busy machine
		Control:    ctl,
		Interval:   500 * time.Millisecond,
		OnSnapshot: counts.add,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	// 2 users thinking 100 ms send about 10 requests a half second; 200
	// arrivals a second, 100.
	r := counts.requests
	t.Logf("requests per half second %v, vus %+v", r, res.Final.VUs)
	if len(r) < 5 || r[0] > 25 || r[1] > 25 || r[3]+r[4] < 120 {
		t.Fatalf("requests per half second %v: want about 10 with 2 users, then about 100 at 200/s", r)
	}
	if late.Load() != 0 {
		t.Fatalf("the 2 users started %d iterations after the switch to arrivals", late.Load())
	}
	if v := res.Final.VUs; v.Created < 300 || v.Failed != 0 {
		t.Fatalf("vus %+v: want 2 users and about 350 arrivals", v)
	}
	if l := ctl.Load(); l.Model != ModelOpen || l.Rate != 200 {
		t.Fatalf("Load() = %+v", l)
	}
}

func TestControlSwitchesArrivalsToUsers(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	time.AfterFunc(1250*time.Millisecond, func() { ctl.SetUsers(3, 0) })
	var never atomic.Int64
	var counts perInterval
	res, err := Run(context.Background(), Test{
		Phases:     []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 200, Duration: 3 * time.Second}},
		Scenarios:  []Scenario{thinkingScenario(srv.URL, 100*time.Millisecond, 0, &never, &never)},
		Conns:      Shared,
		Control:    ctl,
		Interval:   500 * time.Millisecond,
		OnSnapshot: counts.add,
	})
	if err != nil {
		t.Fatal(err)
	}
	r, active := counts.requests, counts.active
	t.Logf("requests per half second %v, active %v, vus %+v", r, active, res.Final.VUs)
	// 200 arrivals a second send 100 requests a half second; 3 users
	// thinking 100 ms, about 15.
	if len(r) < 5 || r[0]+r[1] < 100 || r[3] > 25 || r[4] > 25 || r[4] == 0 {
		t.Fatalf("requests per half second %v: want about 100 at 200/s, then about 15 with 3 users", r)
	}
	if active[3] != 3 || active[4] != 3 {
		t.Fatalf("active VUs per half second %v: want 3 users after the switch", active)
	}
	if v := res.Final.VUs; v.Created > 260 || v.Created < 200 {
		t.Fatalf("vus %+v: want about 250 arrivals and 3 users", v)
	}
}

func TestControlRateHonoursMaxVUsers(t *testing.T) {
	srv := newCountingServer(t, 200*time.Millisecond)
	ctl := NewControl()
	time.AfterFunc(300*time.Millisecond, func() { ctl.SetRate(100) })
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 5, Duration: 1500 * time.Millisecond, MaxVUsers: 5}},
		Scenarios: []Scenario{getScenario(srv.URL)},
		Conns:     Shared,
		Control:   ctl,
	})
	if err != nil {
		t.Fatal(err)
	}
	// 100 arrivals a second of 200 ms each want 20 VUs at once; the cap of
	// 5 lets about a quarter start.
	v := res.Final.VUs
	if v.Dropped < 40 || res.Final.Interval.MaxActive > 5 {
		t.Fatalf("vus %+v, max active %d: want most arrivals dropped at maxVusers 5", v, res.Final.Interval.MaxActive)
	}
}

// TestControlRateUsesThePrecisePacer compares how late arrivals start
// under the plan and under a rate set through the Control, in the same
// run: both go through the same waiter, so neither is late by a Go
// timer's millisecond more than the other.
func TestControlRateUsesThePrecisePacer(t *testing.T) {
	ctl := NewControl()
	var switchAt atomic.Int64
	time.AfterFunc(time.Second, func() { switchAt.Store(time.Now().UnixNano()); ctl.SetRate(200) })
	var mu sync.Mutex
	var planned, steered []time.Duration
	sc := Scenario{Name: "noop", Run: func(ctx context.Context, vu *VU) error {
		lag := time.Since(vu.next)
		mu.Lock()
		defer mu.Unlock()
		if s := switchAt.Load(); s != 0 && vu.next.UnixNano() > s {
			steered = append(steered, lag)
		} else {
			planned = append(planned, lag)
		}
		return nil
	}}
	_, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 200, Duration: 2 * time.Second}},
		Scenarios: []Scenario{sc},
		Control:   ctl,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(planned) < 150 || len(steered) < 150 {
		t.Fatalf("%d planned and %d steered arrivals, want about 200 each", len(planned), len(steered))
	}
	slices.Sort(planned)
	slices.Sort(steered)
	p, s := planned[len(planned)/2], steered[len(steered)/2]
	t.Logf("median start lag: planned %v, steered %v", p, s)
	if s > 2*p+250*time.Microsecond {
		t.Fatalf("median start lag %v under a set rate, %v under the plan: want the same pacer", s, p)
	}
}

func TestBoundedPoolDropsArrivalsThatCannotStartInTime(t *testing.T) {
	srv := newCountingServer(t, 50*time.Millisecond)
	plan, grace := time.Second, 500*time.Millisecond
	begin := time.Now()
	res, err := Run(context.Background(), Test{
		// 2 connections of 50 ms serve 40 arrivals a second: of 300, about
		// 60 can start by the end of the plan plus the grace period.
		Phases:      []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 300, Duration: plan}},
		Scenarios:   []Scenario{getScenario(srv.URL)},
		Conns:       Shared,
		Connections: 2,
		Grace:       grace,
	})
	if err != nil {
		t.Fatal(err)
	}
	took, v := time.Since(begin), res.Final.VUs
	t.Logf("took %v; vus %+v", took, v)
	// Draining the whole queue would take 300/40 = 7.5 s.
	if took > 2*(plan+grace) {
		t.Fatalf("a %v plan with %v grace took %v: queued arrivals were sent after the end", plan, grace, took)
	}
	if v.Created+v.Dropped != 300 || v.Dropped < 150 || v.Created < 20 || v.Created != srv.requests.Load() {
		t.Fatalf("vus %+v, server saw %d: every arrival must be sent or counted as dropped", v, srv.requests.Load())
	}
	if res.Interrupted {
		t.Fatal("a test that ran its plan is not interrupted")
	}
}

func TestControlRejectsRatesItCannotPace(t *testing.T) {
	ctl := NewControl()
	for _, rate := range []float64{-1, 1e308, nan(), 2e9} {
		if ctl.SetRate(rate) == nil || ctl.SetUsers(1, rate) == nil {
			t.Errorf("rate %v accepted", rate)
		}
	}
	if ctl.Load().Model != ModelPlan {
		t.Fatalf("a rejected load was kept: %+v", ctl.Load())
	}
	// A tiny spawn rate is accepted and spawns nothing soon.
	if ctl.SetUsers(2, 1e-300) != nil || spawnGap(1e-300) != maxGap {
		t.Fatal("a tiny spawn rate must be accepted and wait for ever")
	}
}

func nan() float64 { return math.NaN() }
