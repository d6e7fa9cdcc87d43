package engine

import (
	"context"
	"math"
	"time"
)

// arrivalsPhase starts one VU at each of the phase's intended arrival
// times, then waits out the rest of the phase. It sleeps only when it is
// ahead of the schedule and otherwise fires every arrival that is due, so
// a timer's coarse granularity delays arrivals a little but never loses
// them. next counts the arrivals of the test's share sent so far: the
// share's next arrival is the plan's global arrival DueIn gives, at its
// single-run time. It reports whether a load set through the Control cut
// the phase short.
func (r *runner) arrivalsPhase(ctx context.Context, w *waiter, next *int64, phase int, end time.Time) (steered bool) {
	limit := r.caps[phase]
	for {
		set, changed := r.hasLoad()
		if set {
			return true
		}
		global, at, ph, ok := r.plan.DueIn(r.seg, *next)
		arrival := ok && ph == phase
		due := end
		if arrival {
			due = r.start.Add(at)
		}
		if !w.until(ctx, due, changed) {
			if ctx.Err() != nil {
				return false
			}
			continue // a load was set: the Control takes over
		}
		if !arrival {
			return false
		}
		if time.Now().After(r.lastStart()) {
			r.dropRest(phase, next, due)
			return false
		}
		r.arrive(ctx, due, limit, arrivalRun(global))
		*next++
	}
}

// lastStart is when the last arrival may start: the end of the plan plus
// the grace period. Later, an arrival is dropped, not started.
func (r *runner) lastStart() time.Time {
	return r.start.Add(r.plan.Length() + r.test.grace())
}

// dropRest counts the share's arrivals left in the phase as dropped, all
// at once. The pacer calls it when it reaches an arrival only after the
// last start: a generator that far behind would otherwise pace the rest
// one by one, each to be dropped, and run on long past its plan.
func (r *runner) dropRest(phase int, next *int64, due time.Time) {
	rest := r.seg.Count(r.plan.ArrivalsThrough(phase)) - *next
	*next += rest
	if rest <= 0 || r.budget.spent() {
		return
	}
	r.watch.paced(due)
	r.rec.DroppedMany(r.nextID.Load(), rest)
}

// paceArrivals starts arrivals at rate a second from now until end, a
// change or the end of ctx, through the same precise waiter as the plan's
// arrivals and under the maxVusers of the phase each falls in. Arrival k
// is due k/rate after the start, computed afresh each time, so rounding
// never accumulates. A rate of 0 sends nothing. These arrivals are
// numbered on from the plan's last, in this process: a Control steers
// one share, not the test.
func (r *runner) paceArrivals(ctx context.Context, w *waiter, rate float64, end time.Time, changed <-chan struct{}) {
	from := time.Now()
	left := end.Sub(from).Seconds()
	for k := 1.0; ; k++ {
		due, arrival := end, false
		if offset := k / rate; rate > 0 && offset < left && !math.IsInf(offset, 0) {
			due, arrival = from.Add(time.Duration(offset*float64(time.Second))), true
		}
		if !w.until(ctx, due, changed) || !arrival {
			return
		}
		if time.Now().After(r.lastStart()) {
			r.dropSteered(int64(math.Ceil(left*rate))-int64(k), due)
			return
		}
		r.arrive(ctx, due, r.capAt(due), arrivalRun(r.steered))
		r.steered++
	}
}

// dropSteered counts the rest arrivals a steered rate had left before the
// plan's end as dropped, as dropRest does for the plan's own.
func (r *runner) dropSteered(rest int64, due time.Time) {
	if rest <= 0 || r.budget.spent() {
		return
	}
	r.steered += rest
	r.watch.paced(due)
	r.rec.DroppedMany(r.nextID.Load(), rest)
}

// capAt is the share's maxVusers in the plan's phase running at t.
func (r *runner) capAt(t time.Time) int64 {
	return r.caps[r.plan.PhaseAt(t.Sub(r.start))]
}

// precise is the span below which a waiter sleeps on the kernel's timer:
// long waits use a Go timer, which can be interrupted, up to this close.
const precise = 2 * time.Millisecond

// wakeEvery is the least time between two wakes of the sleeper: the
// arrivals that fall due meanwhile start together, each at most this late
// (and its latency counts from its own due time). A wake on the kernel's
// timer costs far more than the wait it ends: on the development VM about
// 30 µs of CPU, so that at 20,000 arrivals a second waking for each one
// kept the generator's core busy (one wake per arrival: 1.00 of a core;
// at most one per 250 µs: 0.57), and at 50,000 a second it had no CPU left
// to catch up after a stall (lag p99 9.1 → 6.2 ms, the median of three
// 10 s runs against countsrv). Below 4,000 arrivals a second nothing
// changes.
const wakeEvery = 250 * time.Microsecond

// nextWake is when a sleeper that last woke at woke wakes for an arrival
// due at: then, or wakeEvery after its last wake if that is later.
func nextWake(at, woke time.Time) time.Time {
	if floor := woke.Add(wakeEvery); floor.After(at) {
		return floor
	}
	return at
}

// waiter waits for arrival times: a Go timer for the bulk of a wait, so
// that a stop or a new load interrupts it, and a sleeper for the last
// stretch, so that arrivals are not late by the timer's millisecond.
type waiter struct {
	timer *time.Timer
	sleep *sleeper
	woke  time.Time // when the sleeper last woke
}

func newWaiter() *waiter {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &waiter{timer: t, sleep: newSleeper()}
}

func (w *waiter) close() {
	w.timer.Stop()
	w.sleep.close()
}

// until waits for at; false means ctx ended or changed fired first.
func (w *waiter) until(ctx context.Context, at time.Time, changed <-chan struct{}) bool {
	for {
		wait := time.Until(at)
		switch {
		case wait <= 0:
			select { // a scheduler behind time must still see a change
			case <-changed:
				return false
			default:
				return ctx.Err() == nil
			}
		case wait <= precise:
			w.sleep.sleep(time.Until(nextWake(at, w.woke)))
			w.woke = time.Now()
			continue
		}
		w.timer.Reset(wait - precise)
		select {
		case <-w.timer.C:
		case <-changed:
			w.timer.Stop() // since Go 1.23 a stopped timer delivers nothing stale
			return false
		case <-ctx.Done():
			w.timer.Stop()
			return false
		}
	}
}

// arrive starts one VU for the run id, or counts the arrival as dropped
// when limit VUs already run (or, with a pool, when its queue is full). The VU is counted as active before its
// goroutine starts so that a burst of arrivals cannot overshoot the cap.
func (r *runner) arrive(ctx context.Context, intended time.Time, limit int64, id runID) {
	if r.budget.spent() {
		return // the test has sent its requests: this arrival is not part of it
	}
	r.watch.paced(intended)
	if r.pool != nil {
		if !r.enqueue(r.pool, r.newArrival(intended, limit, id)) {
			r.rec.Dropped(r.nextID.Load()) // the queue was full
		}
		return
	}
	key := r.nextID.Load()
	if r.rec.ActiveVUs() >= limit {
		r.rec.Dropped(key)
		return
	}
	r.watch.began(intended)
	vu := r.newVU(ctx, intended)
	sc := r.startRun(vu, id)
	vu.span = r.rec.VUStarted(vu.ID)
	r.vus.Add(1)
	go func() {
		defer r.vus.Done()
		err := r.ended(vu, r.runVU(vu, sc))
		r.finishVU(vu)
		r.vuFinished(vu, err)
	}()
}
