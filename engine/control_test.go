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
	var perSecond []int64
	time.AfterFunc(1500*time.Millisecond, func() { ctl.SetRate(200) })
	_, err := Run(context.Background(), Test{
		Phases:     []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 20, Duration: 3 * time.Second}},
		Scenarios:  []Scenario{getScenario(srv.URL)},
		Conns:      Shared,
		Control:    ctl,
		OnSnapshot: func(s metrics.Snapshot) { perSecond = append(perSecond, s.Interval.Stats.Requests) },
	})
	if err != nil {
		t.Fatal(err)
	}
	// About 20 in the first second, about 200 in the third.
	if len(perSecond) < 3 || perSecond[0] > 30 || perSecond[2] < 150 {
		t.Fatalf("requests per second %v: want the rate to rise from 20 to 200", perSecond)
	}
}

func TestControlChangesTheNumberOfUsers(t *testing.T) {
	srv := newCountingServer(t, 0)
	ctl := NewControl()
	var peak atomic.Int64
	time.AfterFunc(700*time.Millisecond, func() { ctl.SetUsers(6, 0) })
	time.AfterFunc(1400*time.Millisecond, func() { ctl.SetUsers(1, 0) })
	sc := Scenario{Name: "loop", Run: func(ctx context.Context, vu *VU) error {
		if err := getScenario(srv.URL).Run(ctx, vu); err != nil {
			return err
		}
		return vu.Think(50 * time.Millisecond)
	}}
	var active []int64
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 2100 * time.Millisecond}},
		Scenarios: []Scenario{sc},
		Control:   ctl,
		Interval:  350 * time.Millisecond,
		OnSnapshot: func(s metrics.Snapshot) {
			active = append(active, s.Interval.ActiveVUs)
			peak.Store(max(peak.Load(), s.Interval.ActiveVUs))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	sawOneAfterPeak := false
	for i, n := range active {
		if n == 6 {
			sawOneAfterPeak = slices.Contains(active[i:], 1)
		}
	}
	if active[0] != 2 || peak.Load() != 6 || !sawOneAfterPeak {
		t.Fatalf("active users per tick %v: want 2, then 6, then 1", active)
	}
	if res.Final.VUs.Created != 6 || res.Final.VUs.Failed != 0 {
		t.Fatalf("vus %+v", res.Final.VUs)
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
