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

	"github.com/surge-dev/surge/schedule"
)

// iteration is one run of a ledger's scenario.
type iteration struct {
	vu       uint64
	intended time.Time // the VU's intended start (an arrival's due time)
	started  time.Time
}

// ledger records every iteration of its scenario, so that tests count by
// VU and by time rather than by snapshot intervals, which a busy machine
// delays and merges.
type ledger struct {
	mu  sync.Mutex
	its []iteration
}

// scenario sends one GET to url, then thinks for think (if any).
func (l *ledger) scenario(url string, think time.Duration) Scenario {
	get := getScenario(url)
	return Scenario{Name: "ledger", Run: func(ctx context.Context, vu *VU) error {
		it := iteration{vu: vu.ID, intended: vu.next, started: time.Now()}
		if it.intended.IsZero() {
			it.intended = it.started
		}
		l.mu.Lock()
		l.its = append(l.its, it)
		l.mu.Unlock()
		if err := get.Run(ctx, vu); err != nil || think == 0 {
			return err
		}
		return vu.Think(think)
	}}
}

func (l *ledger) count(match func(iteration) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, it := range l.its {
		if match(it) {
			n++
		}
	}
	return n
}

// iterations counts the iterations of every VU.
func (l *ledger) iterations() map[uint64]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	per := map[uint64]int{}
	for _, it := range l.its {
		per[it.vu]++
	}
	return per
}

func (l *ledger) users() int { return len(l.iterations()) }

// switchAfter sets a load after d and stores when it did.
func switchAfter(d time.Duration, set func()) *atomic.Int64 {
	var at atomic.Int64
	time.AfterFunc(d, func() { at.Store(time.Now().UnixNano()); set() })
	return &at
}

// stopSlack is how long a busy machine may take to act on a change.
const stopSlack = time.Second

func TestControlSwitchesUsersToArrivals(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	var l ledger
	switched := switchAfter(time.Second, func() { ctl.SetRate(200) })
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 3 * time.Second}},
		Scenarios: []Scenario{l.scenario(srv.URL, 100*time.Millisecond)},
		Conns:     Shared, // keep-alive: no dial per arrival on a busy machine
		Control:   ctl,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	// The plan's clock starts when Run has set up, later than the call on
	// a busy machine: its end is counted from the run's own start.
	at, end := time.Unix(0, switched.Load()), res.Final.Start.Add(3*time.Second)
	isUser := func(it iteration) bool { return it.vu <= 2 }
	users := l.count(func(it iteration) bool { return isUser(it) && it.started.Before(at) })
	lateUsers := l.count(func(it iteration) bool { return isUser(it) && it.started.After(at.Add(stopSlack)) })
	early := l.count(func(it iteration) bool { return !isUser(it) && it.intended.Before(at) })
	arrivals := l.count(func(it iteration) bool { return !isUser(it) })
	// 2 users thinking 100 ms send about 20 requests a second; then 200
	// arrivals a second, counted by their due times.
	want := 200 * end.Sub(at).Seconds()
	t.Logf("users: %d iterations before the switch, %d late; arrivals %d (want %.0f); vus %+v",
		users, lateUsers, arrivals, want, res.Final.VUs)
	if users < 2 || lateUsers != 0 || early != 0 {
		t.Fatalf("users ran %d iterations before the switch and %d after it; %d arrivals before it", users, lateUsers, early)
	}
	if float64(arrivals) < 0.7*want || float64(arrivals) > want+2 || res.Final.VUs.Failed != 0 {
		t.Fatalf("%d arrivals after the switch to 200/s, want about %.0f (vus %+v)", arrivals, want, res.Final.VUs)
	}
	if l := ctl.Load(); l.Model != ModelOpen || l.Rate != 200 {
		t.Fatalf("Load() = %+v", l)
	}
}

func TestControlSwitchesArrivalsToUsers(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	var l ledger
	switched := switchAfter(1250*time.Millisecond, func() { ctl.SetUsers(3, 0) })
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 200, Duration: 3 * time.Second}},
		Scenarios: []Scenario{l.scenario(srv.URL, 100*time.Millisecond)},
		Conns:     Shared,
		Control:   ctl,
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(0, switched.Load())
	// Arrivals run their scenario once; users loop it.
	var users, arrivals, userIterations int
	for _, n := range l.iterations() {
		if n > 1 {
			users, userIterations = users+1, userIterations+n
		} else {
			arrivals++
		}
	}
	late := l.count(func(it iteration) bool { return it.vu <= uint64(arrivals) && it.intended.After(at.Add(stopSlack)) })
	want := 200 * at.Sub(res.Final.Start).Seconds()
	t.Logf("%d arrivals (want %.0f), then %d users with %d iterations; vus %+v", arrivals, want, users, userIterations, res.Final.VUs)
	if users != 3 || int64(arrivals+users) != res.Final.VUs.Created {
		t.Fatalf("%d users looped and %d arrivals ran; vus %+v: want 3 users after the arrivals", users, arrivals, res.Final.VUs)
	}
	if float64(arrivals) < 0.7*want || late != 0 {
		t.Fatalf("%d arrivals, %d of them due after the switch: want about %.0f, all before", arrivals, late, want)
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
// under the plan and under a rate set through the Control, in two runs
// side by side, so that both see the same machine: both go through the
// same waiter, so neither is late by a Go timer's millisecond more than
// the other.
func TestControlRateUsesThePrecisePacer(t *testing.T) {
	var planned, steered lags
	ctl := NewControl()
	ctl.SetRate(200) // from the start, in place of the plan's 1 a second
	var wg sync.WaitGroup
	for _, run := range []struct {
		rate float64
		ctl  *Control
		lags *lags
	}{{200, nil, &planned}, {1, ctl, &steered}} {
		wg.Go(func() {
			_, err := Run(context.Background(), Test{
				Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: run.rate, Duration: 1500 * time.Millisecond}},
				Scenarios: []Scenario{run.lags.scenario()},
				Control:   run.ctl,
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	p, s := planned.median(), steered.median()
	t.Logf("median start lag of %d planned arrivals %v, of %d steered ones %v", len(planned.all), p, len(steered.all), s)
	if len(planned.all) != 300 || len(steered.all) < 150 {
		t.Fatalf("%d planned and %d steered arrivals, want 300 and about 300", len(planned.all), len(steered.all))
	}
	if s > 2*p+250*time.Microsecond {
		t.Fatalf("median start lag %v under a set rate, %v under the plan: want the same pacer", s, p)
	}
}

// lags records how late each VU started against its intended time.
type lags struct {
	mu  sync.Mutex
	all []time.Duration
}

func (l *lags) scenario() Scenario {
	return Scenario{Name: "noop", Run: func(ctx context.Context, vu *VU) error {
		lag := time.Since(vu.next)
		l.mu.Lock()
		defer l.mu.Unlock()
		l.all = append(l.all, lag)
		return nil
	}}
}

func (l *lags) median() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	slices.Sort(l.all)
	return l.all[len(l.all)/2]
}

func TestBoundedPoolDropsArrivalsThatCannotStartInTime(t *testing.T) {
	delay, conns, rate := 100*time.Millisecond, 2, 300.0
	srv := newCountingServer(t, delay)
	plan, grace := time.Second, 500*time.Millisecond
	begin := time.Now()
	res, err := Run(context.Background(), Test{
		// 2 connections of 100 ms serve 20 arrivals a second: of 300, about
		// 30 can start by the end of the plan plus the grace period.
		Phases:      []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: rate, Duration: plan}},
		Scenarios:   []Scenario{getScenario(srv.URL)},
		Conns:       Shared,
		Connections: conns,
		Grace:       grace,
	})
	if err != nil {
		t.Fatal(err)
	}
	took, v := time.Since(begin), res.Final.VUs
	t.Logf("took %v; vus %+v", took, v)
	// Working through the whole queue would take 300/20 = 15 s; ending on
	// time takes 1.5 s. Halfway leaves room for a busy machine.
	drain := time.Duration(rate/float64(conns)) * delay
	if took > (plan+grace+drain)/2 {
		t.Fatalf("a %v plan with %v grace took %v: queued arrivals were sent after the end", plan, grace, took)
	}
	if v.Created+v.Dropped != 300 || v.Dropped < 150 || v.Created < 10 || v.Created != srv.requests.Load() {
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
	if ctl.SetUsers(2, 1e-300) != nil || schedule.SpawnGap(1e-300) != schedule.MaxSpawnGap {
		t.Fatal("a tiny spawn rate must be accepted and wait for ever")
	}
}

func nan() float64 { return math.NaN() }
