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
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
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
		if wait := time.Until(intended); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-changed:
				i-- // an override arrived: re-decide this arrival
				continue
			case <-ctx.Done():
				return
			}
		} else if ctx.Err() != nil {
			return
		}
		r.arrive(ctx, intended, r.plan.Phases()[phase].MaxVUsers)
		last = intended
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
		failed := r.runVU(vu, r.pick())
		r.finishVU(vu)
		r.rec.VUFinished(vu.ID, failed)
	}()
}
