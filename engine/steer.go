package engine

import (
	"context"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// drive runs the plan phase by phase, in the calling goroutine, until it
// ends or ctx is cancelled: arrivals at their intended times for open
// phases, looping users for closed ones, and a wait for pauses. A load
// set through the Control takes over from the moment it is set until the
// end of the plan (steer). Users still running are told to stop on return.
func (r *runner) drive(ctx context.Context) {
	users := &userPool{run: r}
	defer users.stopAll()
	w := newWaiter()
	defer w.close()
	var next int64 // how many of the share's arrivals were sent
	for i, ph := range r.plan.Phases() {
		begin := r.start.Add(r.plan.PhaseStart(i))
		end := begin.Add(ph.Duration)
		var steered bool
		if ph.Kind == schedule.Users {
			steered = r.usersPhase(ctx, w, users, i, begin, end)
		} else {
			steered = r.arrivalsPhase(ctx, w, &next, i, end)
		}
		if ctx.Err() != nil {
			return
		}
		if steered {
			r.steer(ctx, w, users)
			return
		}
	}
}

// steer runs the load last set through the Control in place of the rest
// of the plan, until the plan's end or ctx is cancelled: users when
// SetUsers came last (the users already running are kept), arrivals when
// SetRate did (the users are stopped first).
func (r *runner) steer(ctx context.Context, w *waiter, users *userPool) {
	end := r.start.Add(r.plan.Length())
	for ctx.Err() == nil && time.Now().Before(end) {
		load, changed := r.test.Control.current()
		if load.Model == ModelClosed {
			users.retarget(load.Users, load.SpawnRate)
			users.hold(ctx, w, end, changed)
			continue
		}
		users.retarget(0, 0)
		users.stopAll()
		r.paceArrivals(ctx, w, load.Rate, end, changed)
	}
}

// hasLoad reports whether a load was set through the Control, and gives
// a channel closed at the next change (nil without a Control: never).
func (r *runner) hasLoad() (bool, <-chan struct{}) {
	if r.test.Control == nil {
		return false, nil
	}
	load, changed := r.test.Control.current()
	return load.Model != ModelPlan, changed
}
