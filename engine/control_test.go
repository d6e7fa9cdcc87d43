package engine

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
)

func TestControlChangesTheArrivalRate(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	var l ledger
	var switched atomic.Int64
	time.AfterFunc(1500*time.Millisecond, func() { switched.Store(time.Now().UnixNano()); ctl.SetRate(200) })
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 20, Duration: 3 * time.Second}},
		Scenarios: []Scenario{l.scenario(srv.URL, 0)},
		Conns:     Shared,
		Control:   ctl,
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Unix(0, switched.Load())
	before := l.count(func(it iteration) bool { return it.intended.Before(at) })
	after := l.count(func(it iteration) bool { return !it.intended.Before(at) })
	// Arrivals are counted by their intended times, which a busy machine
	// does not move: 20 a second before the switch, 200 after, on the
	// plan's clock, which starts when Run has set up.
	begin := res.Final.Start
	wantBefore, wantAfter := 20*at.Sub(begin).Seconds(), 200*begin.Add(3*time.Second).Sub(at).Seconds()
	t.Logf("%d arrivals before the switch (want %.0f), %d after (want %.0f)", before, wantBefore, after, wantAfter)
	if float64(before) > wantBefore+2 || float64(after) < 0.7*wantAfter || float64(after) > wantAfter+2 {
		t.Fatalf("%d arrivals before the switch, %d after: want %.0f and %.0f", before, after, wantBefore, wantAfter)
	}
}

// TestControlChangesTheNumberOfUsers steers on what it sees: each change
// is made once the previous one shows in the active count, so a slow
// machine takes longer but goes through the same steps.
func TestControlChangesTheNumberOfUsers(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var l ledger
	steps := []int64{2, 6, 1} // the active counts to see, in order
	var seen []int64
	res, err := Run(ctx, Test{
		Phases:    []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 20 * time.Second}},
		Scenarios: []Scenario{l.scenario(srv.URL, 50*time.Millisecond)},
		Control:   ctl,
		Interval:  100 * time.Millisecond,
		OnSnapshot: func(s metrics.Snapshot) {
			if len(seen) == len(steps) || s.Interval.ActiveVUs != steps[len(seen)] {
				return
			}
			seen = append(seen, s.Interval.ActiveVUs)
			if len(seen) < len(steps) {
				ctl.SetUsers(steps[len(seen)], 0)
			} else {
				cancel()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, steps) {
		t.Fatalf("active users went %v, want %v", seen, steps)
	}
	// Users already running are kept: 2, then 4 more, and none after.
	if v := res.Final.VUs; v.Created != 6 || v.Failed != 0 || l.users() != 6 {
		t.Fatalf("vus %+v, %d distinct users iterated", v, l.users())
	}
}

func TestControlKeepsRecentErrorsAndResets(t *testing.T) {
	ctl := NewControl()
	for i := range maxErrorMessages + 5 {
		ctl.addError(ErrorMessage{Message: string(rune('a' + i%26))})
	}
	errs := ctl.Errors()
	if len(errs) != maxErrorMessages || errs[len(errs)-1].Message != string(rune('a'+(maxErrorMessages+4)%26)) {
		t.Fatalf("kept %d errors, newest %q", len(errs), errs[len(errs)-1].Message)
	}
	if ctl.SetRate(-1) == nil || ctl.SetUsers(-1, 0) == nil {
		t.Fatal("negative load accepted")
	}
	ctl.ResetStats() // no test attached: must not panic
}

// TestResetCountsVUsInTheSpanTheyStarted: the statistics are reset while
// arrivals are thinking; those VUs end after the reset and must not be
// counted in the new span, which at the end of the test has ended every
// VU it created and no other.
func TestResetCountsVUsInTheSpanTheyStarted(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	var l ledger
	var reset atomic.Bool
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 20, Duration: 2 * time.Second}},
		Scenarios: []Scenario{l.scenario(srv.URL, 700*time.Millisecond)},
		Control:   ctl,
		Interval:  100 * time.Millisecond,
		OnSnapshot: func(s metrics.Snapshot) {
			if s.Interval.ActiveVUs >= 3 && !reset.Swap(true) {
				ctl.ResetStats()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	v := res.Final.VUs
	if !reset.Load() || res.Final.FirstInterval == 0 {
		t.Fatalf("no reset took effect (first interval %d)", res.Final.FirstInterval)
	}
	if v.Completed+v.Failed != v.Created || v.Created == 0 || v.Created >= 40 {
		t.Fatalf("vus since the reset %+v: want every VU created in the span ended, and none before it", v)
	}
}
