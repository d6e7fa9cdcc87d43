package engine

import (
	"context"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// The budget ends the test after exactly MaxRequests requests, counted by
// the server, in the open model (with and without a bounded pool, whose
// queued arrivals are then not dropped) and in the closed model (users
// racing for fewer connections than they are); requests in flight at the
// end finish, and the test is not interrupted.
func TestMaxRequestsSendsExactlyThatMany(t *testing.T) {
	long := time.Minute // the budget, not the plan, must end each test
	cases := []struct {
		name  string
		phase schedule.Phase
		conns int
		max   int64
	}{
		{"open", schedule.Phase{Kind: schedule.Constant, ArrivalRate: 2000, Duration: long}, 0, 397},
		{"open bounded pool", schedule.Phase{Kind: schedule.Constant, ArrivalRate: 2000, Duration: long}, 4, 401},
		{"closed", schedule.Phase{Kind: schedule.Users, Users: 10, Duration: long}, 0, 503},
		{"closed bounded pool", schedule.Phase{Kind: schedule.Users, Users: 10, Duration: long}, 3, 499},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newCountingServer(t, 2*time.Millisecond)
			began := time.Now()
			res, err := Run(context.Background(), Test{
				Phases: []schedule.Phase{c.phase}, Scenarios: []Scenario{getScenario(srv.URL)},
				Conns: Shared, Connections: c.conns, MaxRequests: c.max,
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := srv.requests.Load(); got != c.max {
				t.Fatalf("server saw %d requests, want exactly %d", got, c.max)
			}
			f := res.Final
			if f.Total.Requests != c.max || f.Total.Codes[200] != c.max || f.Total.Failures != 0 {
				t.Fatalf("recorded %d requests, codes %v, %d failures; want %d, all 200", f.Total.Requests, f.Total.Codes, f.Total.Failures, c.max)
			}
			if res.Interrupted || f.VUs.Dropped != 0 || f.VUs.Failed != 0 {
				t.Fatalf("interrupted %v, vus %+v: the budget's end is neither a stop, a drop nor a failure", res.Interrupted, f.VUs)
			}
			if took := time.Since(began); took > long/2 {
				t.Fatalf("took %v: the budget did not end the test", took)
			}
		})
	}
}

// With a plan shorter than the budget, the plan ends the test.
func TestMaxRequestsOrPlanWhicheverComesFirst(t *testing.T) {
	srv := newCountingServer(t, 0)
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100, Duration: 300 * time.Millisecond}},
		Scenarios: []Scenario{getScenario(srv.URL)}, Conns: Shared, MaxRequests: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.requests.Load(); got != 30 || res.Final.Total.Requests != 30 {
		t.Fatalf("server saw %d, recorded %d; want the plan's 30 arrivals", got, res.Final.Total.Requests)
	}
}

func TestNegativeMaxRequestsIsRefused(t *testing.T) {
	_, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 1, Duration: time.Second}},
		Scenarios: []Scenario{getScenario("http://127.0.0.1:1")}, MaxRequests: -1,
	})
	if err == nil {
		t.Fatal("MaxRequests -1 accepted")
	}
}
