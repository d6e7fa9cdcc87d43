package engine

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// Every interval carries the generator's watch on itself: the arrivals
// it began with their lag, its cores, its CPU use and demand where the
// platform says, and the connections it opened.
func TestEveryIntervalWatchesTheGenerator(t *testing.T) {
	srv := newCountingServer(t, 0)
	for _, mode := range []ConnMode{Shared, PerVU} {
		res, snaps := runCollecting(t, Test{
			Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100, Duration: 2 * time.Second}},
			Scenarios: []Scenario{getScenario(srv.URL)},
			Conns:     mode,
		})
		var arrivals, opened int64
		for _, s := range snaps {
			g := s.Interval.Generator
			arrivals += g.Arrivals
			opened += g.ConnsOpened
			if g.Cores != runtime.GOMAXPROCS(0) || g.LagMax < g.LagP99 || g.PacerLagMax < g.PacerLagP99 {
				t.Errorf("mode %d, interval %d: %+v", mode, s.Interval.Index, g)
			}
			if runtime.GOOS == "linux" && (math.IsNaN(g.CPU) || g.CPU < 0 || math.IsNaN(g.Demand) || g.Demand < 0) {
				t.Errorf("mode %d, interval %d: CPU %v, demand %v: want measured", mode, s.Interval.Index, g.CPU, g.Demand)
			}
		}
		if arrivals != res.Final.Total.Requests || arrivals != 200 {
			t.Errorf("mode %d: %d arrivals watched, %d requests, want 200 each", mode, arrivals, res.Final.Total.Requests)
		}
		if opened == 0 || (mode == PerVU && opened != 200) {
			t.Errorf("mode %d: %d connections opened (one per VU: 200)", mode, opened)
		}
	}
}

// The timer's lag is how late the watch's goroutine ran, not when the
// runtime's timer expired: with every core kept busy by goroutines that
// spin, it waits its turn for a time slice. A spell of 300 ms holds about
// 15 of the watch's wakes; on a machine whose other processes take the
// cores, the spinners may hardly run in one spell, so up to three are
// tried: the watch must see the wait in one of them.
func TestTheWatchTimerSeesAGoroutineKeptWaiting(t *testing.T) {
	var seen []time.Duration
	for range 3 {
		lag := timerLagWhileSpinning()
		if lag >= time.Millisecond {
			return
		}
		seen = append(seen, lag)
	}
	t.Errorf("timer lag p99 %v in three spells while every core spun; want a time slice's wait (ms)", seen)
}

// timerLagWhileSpinning is the watch's timer lag p99 over 300 ms in which
// four goroutines per core spin.
func timerLagWhileSpinning() time.Duration {
	w := startWatch()
	defer w.close()
	var stop atomic.Bool
	var spinners sync.WaitGroup
	for range 4 * runtime.GOMAXPROCS(0) {
		spinners.Go(func() {
			for !stop.Load() { // spin: the goroutine holds its core until preempted
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	stop.Store(true)
	spinners.Wait()
	return w.sample().TimerLagP99
}
