package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// A pacer that reaches its arrivals only after the last start (the plan's
// end plus the grace period) counts the rest of each phase as dropped in
// one go. The plan here has 10^12 arrivals: paced one by one, as before,
// they would keep the generator busy for days after its plan ended. Each
// share drops exactly its own arrivals, and the shares add up to the plan.
func TestAPacerPastTheLastStartDropsTheRestAtOnce(t *testing.T) {
	phases := []schedule.Phase{
		{Kind: schedule.Constant, ArrivalRate: 1e9, Duration: 500 * time.Second},
		{Kind: schedule.Constant, ArrivalRate: 1e9, Duration: 500 * time.Second},
	}
	plan, err := schedule.New(phases)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for k := range 3 {
		seg, err := schedule.ParseSegment(fmt.Sprintf("%d/3", k), "")
		if err != nil {
			t.Fatal(err)
		}
		dropped, paced := runBehind(t, plan, seg)
		if want := seg.Count(plan.Arrivals()); dropped != want || paced != want {
			t.Errorf("share %d/3: dropped %d and paced %d of its %d arrivals", k, dropped, paced, want)
		}
		sum += dropped
	}
	if sum != plan.Arrivals() {
		t.Errorf("the shares dropped %d arrivals in all; the plan has %d", sum, plan.Arrivals())
	}
}

// runBehind paces the plan's arrival phases for one share as a generator
// would that woke only after the last start, and returns the arrivals the
// recorder counts as dropped and how many the pacer went past.
func runBehind(t *testing.T, plan *schedule.Plan, seg *schedule.Segment) (dropped, paced int64) {
	t.Helper()
	test := &Test{Phases: plan.Phases(), Segment: seg, Grace: time.Second}
	r := newRunner(test, plan, t.Context())
	defer r.watch.close()
	r.start = time.Now().Add(-plan.Length() - 2*test.Grace)
	for i := range r.caps {
		r.caps[i] = 0 // an arrival paced one by one is dropped, not run
	}
	w := newWaiter()
	defer w.close()
	for i, ph := range plan.Phases() {
		end := r.start.Add(plan.PhaseStart(i) + ph.Duration)
		if r.arrivalsPhase(t.Context(), w, &paced, i, end) {
			t.Fatal("no load was set, yet the phase says it was steered")
		}
	}
	return r.rec.Flush(time.Now(), true).VUs.Dropped, paced
}

// The steered rate's pacer drops what it has left the same way: a rate of
// 10^9 a second over the 1,000 s left would otherwise be paced for days.
func TestASteeredPacerPastTheLastStartDropsTheRestAtOnce(t *testing.T) {
	phases := []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 1, Duration: time.Second}}
	plan, err := schedule.New(phases)
	if err != nil {
		t.Fatal(err)
	}
	test := &Test{Phases: phases, Grace: time.Second}
	r := newRunner(test, plan, t.Context())
	defer r.watch.close()
	r.start = time.Now().Add(-plan.Length() - 2*test.Grace)
	w := newWaiter()
	defer w.close()
	r.caps[0] = 0 // an arrival paced one by one is dropped, not run
	before := r.steered
	// Paced from now until 1,000 s from now, but the last start is past:
	// every arrival is reached too late, the first included.
	r.paceArrivals(t.Context(), w, 1e9, time.Now().Add(1000*time.Second), nil)
	dropped := r.rec.Flush(time.Now(), true).VUs.Dropped
	const want = 1e9*1000 - 1 // k/rate < 1000 s for k = 1 … 10^12-1
	if dropped < want-1e6 || dropped > want {
		t.Errorf("dropped %d steered arrivals, want about %d", dropped, int64(want))
	}
	if r.steered-before != dropped {
		t.Errorf("the steered count moved by %d, but %d were dropped", r.steered-before, dropped)
	}
}
