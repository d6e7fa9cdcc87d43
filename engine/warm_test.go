package engine

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// acceptCounter counts the connections accepted on a loopback
// listener, answering every request with "ok".
func acceptCounter(t *testing.T) (addr string, accepted *atomic.Int64) {
	t.Helper()
	accepted = &atomic.Int64{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			accepted.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), accepted
}

// An open-model test with a pool opens the connections its first second
// needs (one per 1,000 arrivals) before its clock starts: as it starts,
// the server has accepted them, and no other.
func TestOpenModelOpensItsConnectionsBeforeTheClock(t *testing.T) {
	for _, connections := range []int{0, 8} {
		addr, accepted := acceptCounter(t)
		p := prepare(t, "GET", "http://"+addr+"/", "")
		atClock := int64(-1)
		res, err := Run(context.Background(), Test{
			Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 3000, Duration: 200 * time.Millisecond}},
			Scenarios: []Scenario{{Name: "send", Run: func(_ context.Context, vu *VU) error { return vu.Send(0, p) }}},
			Conns:     Shared, Connections: connections, Targets: []*Prepared{p},
			clockStarting: func() {
				// Nothing dials until the first arrival, after this: wait
				// for the server to take what the warm-up opened.
				deadline := time.Now().Add(5 * time.Second)
				for accepted.Load() < 1 && time.Now().Before(deadline) {
					time.Sleep(time.Millisecond)
				}
				time.Sleep(20 * time.Millisecond) // room for a second, if one were opened
				atClock = accepted.Load()
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		// 600 arrivals in the first second: one connection.
		if atClock != 1 {
			t.Errorf("connections %d: the server had %d connections as the clock started, want the 1 warmed", connections, atClock)
		}
		if got := res.Final.Total.Requests; got != 600 {
			t.Errorf("connections %d: %d requests, want 600", connections, got)
		}
	}
}

// warmConns asks for one connection per 1,000 arrivals of the first
// second (of the share, rounded up), at most the pool's bound.
func TestWarmConns(t *testing.T) {
	for _, tt := range []struct {
		rate        float64
		duration    time.Duration
		connections int
		want        int64
	}{
		{rate: 10, duration: time.Minute, want: 1},
		{rate: 0, duration: time.Minute, want: 0}, // users only: a pool the dashboard may steer
		{rate: 2500, duration: time.Minute, want: 3},
		{rate: 2500, duration: 100 * time.Millisecond, want: 1}, // 250 arrivals in all
		{rate: 50000, duration: time.Minute, want: 50},
		{rate: 50000, duration: time.Minute, connections: 20, want: 20},
		{rate: 500000, duration: time.Minute, want: initialCeiling},
	} {
		phase := schedule.Phase{Kind: schedule.Constant, ArrivalRate: tt.rate, Duration: tt.duration}
		if tt.rate == 0 {
			phase = schedule.Phase{Kind: schedule.Users, Users: 2, Duration: tt.duration}
		}
		plan, err := schedule.New([]schedule.Phase{phase})
		if err != nil {
			t.Fatal(err)
		}
		test := &Test{Connections: tt.connections}
		r := &runner{test: test, plan: plan, seg: test.segment()}
		r.pool = &pool{}
		if tt.connections == 0 {
			r.pool.growth = newGrowth(DefaultPoolBound)
		}
		if got := r.warmConns(); got != tt.want {
			t.Errorf("%v/s for %v, connections %d: %d, want %d", tt.rate, tt.duration, tt.connections, got, tt.want)
		}
	}
}

// With StartAt, the pool readies itself before it and the clock starts
// at it: the shares of a distributed test start together whatever their
// warm-ups took.
func TestStartAtWaitsAfterTheWarmUp(t *testing.T) {
	addr, accepted := acceptCounter(t)
	p := prepare(t, "GET", "http://"+addr+"/", "")
	startAt := time.Now().Add(time.Second)
	var acceptedBefore int64 = -1
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100, Duration: 100 * time.Millisecond}},
		Scenarios: []Scenario{{Name: "send", Run: func(_ context.Context, vu *VU) error { return vu.Send(0, p) }}},
		Conns:     Shared, Connections: 2, Targets: []*Prepared{p}, StartAt: startAt,
		clockStarting: func() { acceptedBefore = accepted.Load() },
	})
	if err != nil {
		t.Fatal(err)
	}
	if start := res.Final.Start; start.Before(startAt) {
		t.Errorf("the clock started %v before StartAt", startAt.Sub(start))
	}
	if acceptedBefore != 1 {
		t.Errorf("%d connections were open as the clock started, want the 1 warmed before StartAt", acceptedBefore)
	}
	if got := res.Final.Total.Requests; got != 10 {
		t.Errorf("%d requests, want 10", got)
	}
}

// A test stopped before its StartAt sends nothing and says so.
func TestStartAtStoppedBeforeTheStart(t *testing.T) {
	addr, accepted := acceptCounter(t)
	p := prepare(t, "GET", "http://"+addr+"/", "")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := Run(ctx, Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100, Duration: time.Second}},
		Scenarios: []Scenario{{Name: "send", Run: func(_ context.Context, vu *VU) error { return vu.Send(0, p) }}},
		Conns:     Shared, Connections: 2, Targets: []*Prepared{p}, StartAt: time.Now().Add(time.Hour),
	})
	if !errors.Is(err, ErrNotStarted) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want ErrNotStarted with the context's cause", err)
	}
	if n := accepted.Load(); n > 1 {
		t.Errorf("%d connections opened, want at most the warmed one", n)
	}
}
