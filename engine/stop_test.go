package engine

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

// stopScenario sends a GET each run and registers, on a VU's first run,
// an OnStop that sends one more; stop decides whether the run ends its
// user.
func stopScenario(url string, stops *atomic.Int64, stop func(vu *VU) error) Scenario {
	send := func(vu *VU, endpoint int) error {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		_, err := vu.Do(endpoint, req, false)
		return err
	}
	return Scenario{Name: "s", Run: func(ctx context.Context, vu *VU) error {
		if vu.Vars == nil {
			vu.Vars = map[string]any{}
			vu.OnStop(func() error {
				stops.Add(1)
				return send(vu, 1)
			})
		}
		if err := send(vu, 0); err != nil {
			return err
		}
		if err := stop(vu); err != nil {
			return err
		}
		return vu.Think(20 * time.Millisecond)
	}}
}

// A closed-model user's OnStop runs once, at the end of its phase (in
// the middle of a think), and its request is sent and counted although
// the user was told to stop; an arrival's runs after its one run, also
// on a pool worker that runs arrival after arrival.
func TestOnStopRunsOnceWhenAVUStops(t *testing.T) {
	for name, test := range map[string]Test{
		"closed": {Phases: []schedule.Phase{{Kind: schedule.Users, Users: 3, Duration: 300 * time.Millisecond}}},
		"open":   {Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 4, Duration: 200 * time.Millisecond}}},
		"pool": {Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 6, Duration: 200 * time.Millisecond}},
			Conns: Shared, Connections: 2},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newCountingServer(t, 0)
			var stops atomic.Int64
			var looping atomic.Int64
			sc := stopScenario(srv.URL, &stops, func(vu *VU) error {
				if vu.Looping() {
					looping.Add(1)
				}
				return nil
			})
			test.Scenarios, test.Endpoints = []Scenario{sc}, []string{"run", "stop"}
			res, err := Run(context.Background(), test)
			if err != nil {
				t.Fatal(err)
			}
			users := res.Final.VUs.Created
			stopped := res.Final.Endpoints[1].Requests
			if stops.Load() != users || stopped != users || res.Final.VUs.Failed != 0 ||
				srv.requests.Load() != res.Final.Total.Requests {
				t.Fatalf("%d users, %d OnStop calls, %d of their requests counted; %d served, %d counted; vus %+v",
					users, stops.Load(), stopped, srv.requests.Load(), res.Final.Total.Requests, res.Final.VUs)
			}
			if (name == "closed") != (looping.Load() > 0) {
				t.Fatalf("Looping said true %d times in the %s model", looping.Load(), name)
			}
		})
	}
}

// ErrStopUser ends a closed-model user after its run (its OnStop runs),
// without failing it, and no user replaces it.
func TestErrStopUserEndsTheUser(t *testing.T) {
	srv := newCountingServer(t, 0)
	var stops atomic.Int64
	sc := stopScenario(srv.URL, &stops, func(vu *VU) error { return ErrStopUser })
	begun := time.Now()
	res, err := Run(context.Background(), Test{Phases: []schedule.Phase{{Kind: schedule.Users, Users: 3, Duration: 2 * time.Second}},
		Scenarios: []Scenario{sc}, Endpoints: []string{"run", "stop"}})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Final.VUs
	if res.Final.Endpoints[0].Requests != 3 || stops.Load() != 3 || v.Created != 3 || v.Completed != 3 || v.Failed != 0 {
		t.Fatalf("%d runs, %d OnStop calls, vus %+v: want 3 users that ran once and stopped", res.Final.Endpoints[0].Requests, stops.Load(), v)
	}
	if took := time.Since(begun); took < 2*time.Second {
		t.Fatalf("the phase ended after %v: users that stop do not end it", took)
	}
}

// StopTest ends the test as the end of its plan would: no new run, every
// VU's OnStop, not Interrupted, and the reason in the Result.
func TestStopTestEndsTheTestEarly(t *testing.T) {
	srv := newCountingServer(t, 0)
	var stops, runs atomic.Int64
	sc := stopScenario(srv.URL, &stops, func(vu *VU) error {
		if runs.Add(1) == 20 {
			vu.StopTest("enough")
			vu.StopTest("twice")
		}
		return nil
	})
	begun := time.Now()
	res, err := Run(context.Background(), Test{Phases: []schedule.Phase{{Kind: schedule.Users, Users: 4, Duration: time.Minute}},
		Scenarios: []Scenario{sc}, Endpoints: []string{"run", "stop"}})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begun); took > 5*time.Second || res.Interrupted || res.StoppedBy != "enough" {
		t.Fatalf("after %v: interrupted %v, stopped by %q", took, res.Interrupted, res.StoppedBy)
	}
	if stops.Load() != 4 || res.Final.Endpoints[1].Requests != 4 || res.Final.VUs.Failed != 0 || srv.requests.Load() != res.Final.Total.Requests {
		t.Fatalf("%d OnStop calls, %d of their requests; vus %+v; %d served, %d counted", stops.Load(),
			res.Final.Endpoints[1].Requests, res.Final.VUs, srv.requests.Load(), res.Final.Total.Requests)
	}
}

// An OnStop that fails fails its VU; one refused by a spent MaxRequests
// does not.
func TestOnStopErrors(t *testing.T) {
	srv := newCountingServer(t, 0)
	var stops atomic.Int64
	boom := Scenario{Name: "s", Run: func(ctx context.Context, vu *VU) error {
		vu.OnStop(func() error { stops.Add(1); return errors.New("logout failed") })
		return nil
	}}
	res, err := Run(context.Background(), Test{Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 2}}, Scenarios: []Scenario{boom}})
	if err != nil {
		t.Fatal(err)
	}
	if f := res.Final.Failures; res.Final.VUs.Failed != 2 || len(f) != 1 || f[0].Reason != metrics.ErrOther.String() {
		t.Fatalf("vus %+v, failures %+v: want 2 failed by their OnStop", res.Final.VUs, f)
	}
	sc := stopScenario(srv.URL, &stops, func(*VU) error { return nil })
	res, err = Run(context.Background(), Test{Phases: []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: time.Minute}},
		Scenarios: []Scenario{sc}, Endpoints: []string{"run", "stop"}, MaxRequests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Final.Total.Requests != 10 || res.Final.VUs.Failed != 0 {
		t.Fatalf("%d requests, vus %+v: want exactly 10, no user failed", res.Final.Total.Requests, res.Final.VUs)
	}
}

// Fail on an expected status and Pass on an unexpected one are counted,
// so that the failures can be told apart from the statuses.
func TestJudgedResponsesAreCounted(t *testing.T) {
	srv := newCountingServer(t, 0) // answers 200
	sc := Scenario{Name: "s", Run: func(ctx context.Context, vu *VU) error {
		for _, judge := range []func(*Pending){(*Pending).Record, func(p *Pending) { p.Fail("bad body") }, (*Pending).Pass} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			_, p, err := vu.DoPending(0, req, false)
			if err != nil {
				return err
			}
			judge(p)
		}
		return nil
	}}
	for expected, want := range map[string][3]int64{
		"200": {5, 5, 0},  // Fail fails a 200: 5 failures, all by the test
		"201": {10, 0, 5}, // the 200 fails but where Pass passes it
	} {
		expect, err := metrics.ParseStatusSet(expected)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), Test{Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 5}},
			Scenarios: []Scenario{sc}, Expect: &expect})
		if err != nil {
			t.Fatal(err)
		}
		c := res.Final.Counters
		if got := [3]int64{res.Final.Total.Failures, c[metrics.FailedByTestCounter], c[metrics.PassedByTestCounter]}; got != want {
			t.Errorf("expecting %s: failures, failed and passed by the test %v, want %v", expected, got, want)
		}
	}
}
