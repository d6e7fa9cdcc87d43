package engine

import (
	"context"
	"time"
)

// openArrivals walks the plan's arrivals and starts one VU at each intended
// time. It sleeps only when it is ahead of the schedule and otherwise fires
// every arrival that is due, so a timer's coarse granularity delays
// arrivals a little but never loses them. It returns when the plan is done
// or ctx is cancelled.
func (r *runner) openArrivals(ctx context.Context) {
	w := newWaiter()
	defer w.close()
	last := r.start
	for i := int64(0); ; i++ {
		rateSet, changed := r.rateOverridden()
		if rateSet {
			r.dynamicArrivals(ctx, last)
			return
		}
		at, phase, ok := r.plan.Due(i)
		if !ok {
			return
		}
		intended := r.start.Add(at)
		if !w.until(ctx, intended, changed) {
			if ctx.Err() != nil {
				return
			}
			i-- // an override arrived: re-decide this arrival
			continue
		}
		r.arrive(ctx, intended, r.plan.Phases()[phase].MaxVUsers)
		last = intended
	}
}

// precise is the span below which a waiter sleeps on the kernel's timer:
// long waits use a Go timer, which can be interrupted, up to this close.
const precise = 2 * time.Millisecond

// waiter waits for arrival times: a Go timer for the bulk of a wait, so
// that a stop or a new rate interrupts it, and a sleeper for the last
// stretch, so that arrivals are not late by the timer's millisecond.
type waiter struct {
	timer *time.Timer
	sleep *sleeper
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
			return ctx.Err() == nil
		case wait <= precise:
			w.sleep.sleep(wait)
			continue
		}
		w.timer.Reset(wait - precise)
		select {
		case <-w.timer.C:
		case <-changed:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (r *runner) rateOverridden() (bool, <-chan struct{}) {
	if r.test.Control == nil {
		return false, nil
	}
	_, set, changed := r.test.Control.rateOverride()
	return set, changed
}

// dynamicArrivals sends arrivals at the rate the Control asks for, from
// the last scheduled arrival until the end of the plan. A new rate takes
// effect from the moment it is set.
func (r *runner) dynamicArrivals(ctx context.Context, from time.Time) {
	end := r.start.Add(r.plan.Length())
	next := later(from, time.Now())
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		rate, _, changed := r.test.Control.rateOverride()
		wait := time.Until(end)
		if rate > 0 {
			next = next.Add(time.Duration(float64(time.Second) / rate))
			if next.After(end) {
				next = end
			}
			wait = time.Until(next)
		}
		timer.Reset(max(wait, 0))
		select {
		case <-timer.C:
		case <-changed:
			next = time.Now()
			continue
		case <-ctx.Done():
			return
		}
		if !time.Now().Before(end) {
			return
		}
		if rate > 0 {
			r.arrive(ctx, next, 0)
		}
	}
}

// arrive starts one VU, or counts the arrival as dropped when maxVusers VUs
// already run. The VU is counted as active before its goroutine starts so
// that a burst of arrivals cannot overshoot the cap.
func (r *runner) arrive(ctx context.Context, intended time.Time, maxVUs int64) {
	if r.pool != nil {
		r.pool.enqueue(ctx, arrival{intended: intended, maxVUs: maxVUs})
		return
	}
	key := r.nextID.Load()
	if maxVUs > 0 && r.rec.ActiveVUs() >= maxVUs {
		r.rec.Dropped(key)
		return
	}
	vu := r.newVU(ctx, intended)
	r.rec.VUStarted(vu.ID)
	r.vus.Add(1)
	go func() {
		defer r.vus.Done()
		err := r.runVU(vu, r.pick())
		r.finishVU(vu)
		r.vuFinished(vu, err)
	}()
}
