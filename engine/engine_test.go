package engine

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

// getScenario sends one GET to url per iteration.
func getScenario(url string) Scenario {
	return Scenario{Name: "get", Run: func(ctx context.Context, vu *VU) error {
		req, err := http.NewRequest(http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		_, err = vu.Do(0, req, false)
		return err
	}}
}

// countingServer counts requests and distinct client connections.
type countingServer struct {
	*httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	conns    map[string]bool
	delay    time.Duration
}

func newCountingServer(t *testing.T, delay time.Duration) *countingServer {
	cs := &countingServer{conns: map[string]bool{}, delay: delay}
	cs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		cs.mu.Lock()
		cs.conns[r.RemoteAddr] = true
		cs.mu.Unlock()
		time.Sleep(cs.delay)
		w.Write([]byte("ok"))
	}))
	t.Cleanup(cs.Close)
	return cs
}

func (cs *countingServer) connCount() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return len(cs.conns)
}

func TestOpenModelSendsExactlyThePlannedArrivals(t *testing.T) {
	srv := newCountingServer(t, 0)
	var snaps []metrics.Snapshot
	res, err := Run(context.Background(), Test{
		Phases:     []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 300, Duration: 2 * time.Second}},
		Scenarios:  []Scenario{getScenario(srv.URL + "/x")},
		Conns:      Shared,
		OnSnapshot: func(s metrics.Snapshot) { snaps = append(snaps, s) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.requests.Load(); got != 600 {
		t.Fatalf("server saw %d requests, want 600", got)
	}
	f := res.Final
	if f.Total.Requests != 600 || f.Total.Codes[200] != 600 || f.VUs.Created != 600 || f.VUs.Completed != 600 {
		t.Fatalf("final: requests %d codes %v vus %+v", f.Total.Requests, f.Total.Codes, f.VUs)
	}
	if !f.Final || len(snaps) < 2 || !snaps[len(snaps)-1].Final {
		t.Fatalf("want per-second snapshots ending with a final one, got %d", len(snaps))
	}
	var sum int64
	for _, s := range snaps {
		sum += s.Interval.Stats.Requests
	}
	if sum != 600 {
		t.Fatalf("intervals add up to %d requests, want 600", sum)
	}
}

func TestMaxVUsersDropsAndCountsArrivals(t *testing.T) {
	srv := newCountingServer(t, 300*time.Millisecond)
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 40, Duration: time.Second, MaxVUsers: 4}},
		Scenarios: []Scenario{getScenario(srv.URL)},
		Conns:     Shared,
	})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Final.VUs
	if v.Created+v.Dropped != 40 {
		t.Fatalf("created %d + dropped %d != 40 arrivals", v.Created, v.Dropped)
	}
	if v.Dropped < 20 || v.Created > 20 {
		t.Fatalf("cap of 4 VUs with 300ms requests should drop most arrivals: %+v", v)
	}
	if res.Final.Interval.MaxActive > 4 {
		t.Fatalf("more than 4 VUs ran at once: %d", res.Final.Interval.MaxActive)
	}
}

func TestClosedModelLoopsUsersUntilPhaseEnds(t *testing.T) {
	srv := newCountingServer(t, 0)
	sc := Scenario{Name: "loop", Run: func(ctx context.Context, vu *VU) error {
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		if _, err := vu.Do(0, req, false); err != nil {
			return err
		}
		return vu.Think(100 * time.Millisecond)
	}}
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Users, Users: 3, SpawnRate: 30, Duration: time.Second}},
		Scenarios: []Scenario{sc},
	})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Final.VUs
	if v.Created != 3 || v.Completed != 3 || v.Failed != 0 {
		t.Fatalf("vus %+v, want 3 created and completed", v)
	}
	// 3 users × about 10 iterations of (request + 100 ms think).
	if n := res.Final.Total.Requests; n < 15 || n > 33 {
		t.Fatalf("%d requests, want about 30", n)
	}
	if got := srv.connCount(); got != 3 {
		t.Fatalf("per-VU connections: server saw %d connections for 3 users", got)
	}
}

func TestSharedPoolIsBoundedByConnections(t *testing.T) {
	var open, peak atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			n := open.Add(1)
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	var peakGoroutines int
	res, err := Run(context.Background(), Test{
		Phases:      []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 400, Duration: time.Second}},
		Scenarios:   []Scenario{getScenario(srv.URL)},
		Conns:       Shared,
		Connections: 4,
		Interval:    100 * time.Millisecond,
		OnSnapshot:  func(metrics.Snapshot) { peakGoroutines = max(peakGoroutines, runtime.NumGoroutine()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 4 {
		t.Fatalf("%d connections open at once, bound was 4", p)
	}
	// Half the arrivals queue; they wait as queue entries on 4 workers, not
	// as hundreds of goroutines.
	if peakGoroutines > 60 {
		t.Fatalf("%d goroutines while arrivals queued for 4 connections", peakGoroutines)
	}
	if v := res.Final.VUs; v.Created != 400 || v.Completed != 400 {
		t.Fatalf("vus %+v: every arrival must run", v)
	}
	lat, svc := res.Final.Total.Latency, res.Final.Total.Service
	// 4 connections × 20 ms serve 200/s: half the arrivals queue, and the
	// queueing shows in latency but not in service time.
	if metrics.Percentile(lat, 90) < 5*metrics.Percentile(svc, 90) {
		t.Fatalf("queueing not in latency: p90 latency %v, service %v",
			metrics.Percentile(lat, 90), metrics.Percentile(svc, 90))
	}
}

func TestRefusedConnectionIsACountedError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 5, Duration: 100 * time.Millisecond}},
		Scenarios: []Scenario{getScenario("http://" + addr + "/")},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Final
	if f.Total.Errors != 5 || f.Total.Kinds["ECONNREFUSED"] != 5 || f.VUs.Failed != 5 {
		t.Fatalf("errors %d kinds %v vus %+v", f.Total.Errors, f.Total.Kinds, f.VUs)
	}
}

func TestCancelStopsArrivalsAndStillReturnsResults(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	begin := time.Now()
	res, err := Run(ctx, Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100, Duration: time.Minute}},
		Scenarios: []Scenario{getScenario(srv.URL)},
		Conns:     Shared,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || time.Since(begin) > 20*time.Second {
		t.Fatalf("interrupted=%v after %v", res.Interrupted, time.Since(begin))
	}
	if n := res.Final.Total.Requests; n < 10 || n > 100 || n != srv.requests.Load() {
		t.Fatalf("final snapshot has %d requests, server saw %d", n, srv.requests.Load())
	}
}

func TestGraceExpiryCancelsRequestsInFlight(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	res, err := Run(ctx, Test{
		Phases:    []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 3, Duration: 100 * time.Millisecond}},
		Scenarios: []Scenario{getScenario(srv.URL)},
		Grace:     200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Final.Total.Kinds["ECANCELED"] != 3 {
		t.Fatalf("want 3 cancelled requests, got %v", res.Final.Total.Kinds)
	}
}

func TestValidateRejectsBadTests(t *testing.T) {
	ok := Scenario{Name: "x", Run: func(context.Context, *VU) error { return nil }}
	one := []schedule.Phase{{Kind: schedule.Pause, Duration: time.Millisecond}}
	bad := []Test{
		{Phases: one},
		{Scenarios: []Scenario{ok}},
		{Phases: one, Scenarios: []Scenario{{Name: "nil"}}},
		{Phases: one, Scenarios: []Scenario{{Name: "w", Weight: -1, Run: ok.Run}}},
		{Phases: []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: -1}}, Scenarios: []Scenario{ok}},
	}
	for i, tt := range bad {
		if _, err := Run(context.Background(), tt); err == nil {
			t.Errorf("case %d: Run accepted an invalid test", i)
		}
	}
}

func TestTrailingPauseIsWaitedOut(t *testing.T) {
	srv := newCountingServer(t, 0)
	begin := time.Now()
	res, err := Run(context.Background(), Test{
		Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 2, Duration: 100 * time.Millisecond},
			{Kind: schedule.Pause, Duration: 900 * time.Millisecond}},
		Scenarios: []Scenario{getScenario(srv.URL)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(begin); took < time.Second || res.Final.Elapsed < time.Second {
		t.Fatalf("test ended after %v (elapsed %v): a trailing pause must be waited out", took, res.Final.Elapsed)
	}
}

func TestAbortCancelsRequestsInFlightAtOnce(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	for _, stopFirst := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		abort := make(chan struct{})
		if stopFirst { // Ctrl-C, then Ctrl-C again
			time.AfterFunc(200*time.Millisecond, cancel)
		}
		time.AfterFunc(400*time.Millisecond, func() { close(abort) })
		begin := time.Now()
		res, err := Run(ctx, Test{
			Phases:    []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 3, Duration: 100 * time.Millisecond}},
			Scenarios: []Scenario{getScenario(srv.URL)},
			Abort:     abort,
		})
		cancel()
		took := time.Since(begin)
		if err != nil {
			t.Fatal(err)
		}
		// The grace period is 10 s; the abort came at 400 ms.
		if took > DefaultGrace/4 || !res.Interrupted || !res.Aborted || res.Final.Total.Kinds["ECANCELED"] != 3 {
			t.Fatalf("stop first %v: took %v, interrupted %v, aborted %v, errors %v", stopFirst, took,
				res.Interrupted, res.Aborted, res.Final.Total.Kinds)
		}
	}
}
