package engine

import (
	"context"
	"math"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// userPool is the set of running closed-model users, newest last. One
// goroutine (drive) owns it: it starts and stops users as a phase or the
// Control asks.
type userPool struct {
	run       *runner
	stops     []context.CancelFunc
	target    int64
	spawnRate float64
	next      time.Time // when the next user may start
}

// usersPhase runs a closed-model phase: its users start at the phase's
// start and spawn rate and all stop at its end. It reports whether a load
// set through the Control cut the phase short; the users then keep
// running for steer to adjust.
func (r *runner) usersPhase(ctx context.Context, w *waiter, p *userPool, ph schedule.Phase, begin, end time.Time) (steered bool) {
	p.target, p.spawnRate, p.next = ph.Users, ph.SpawnRate, begin
	for ctx.Err() == nil {
		if set, changed := r.steered(); set {
			return true
		} else if p.hold(ctx, w, end, changed) {
			break
		}
	}
	p.stopAll()
	return false
}

// retarget asks for users users from now on, started at spawnRate a
// second (0: all at once).
func (p *userPool) retarget(users int64, spawnRate float64) {
	if users != p.target || spawnRate != p.spawnRate {
		p.target, p.spawnRate = users, spawnRate
		p.next = later(p.next, time.Now())
	}
}

// hold converges the number of running users on the target, starting
// them one at a time at the spawn rate and stopping the newest first, at
// once, and then keeps them running. It returns true at until, false when
// ctx ends or changed fires first.
func (p *userPool) hold(ctx context.Context, w *waiter, until time.Time, changed <-chan struct{}) bool {
	for ctx.Err() == nil {
		n := int64(len(p.stops))
		switch {
		case n > p.target:
			p.stops[n-1]()
			p.stops = p.stops[:n-1]
		case n < p.target && p.next.Before(until):
			if !w.until(ctx, p.next, changed) {
				return false
			}
			p.stops = append(p.stops, p.run.startUser(ctx, p.next))
			p.next = p.next.Add(spawnGap(p.spawnRate))
		default:
			return w.until(ctx, until, changed)
		}
	}
	return false
}

// stopAll tells every user to stop after its current request.
func (p *userPool) stopAll() {
	for _, stop := range p.stops {
		stop()
	}
	p.stops = p.stops[:0]
}

// maxGap bounds the spacing of a very low rate (146 years), so that it
// stays a valid duration: such a user or arrival never comes.
const maxGap = time.Duration(1 << 62)

// spawnGap is the time between two users started at rate a second; 0
// starts them all at once.
func spawnGap(rate float64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(math.Min(float64(time.Second)/rate, float64(maxGap)))
}

// startUser runs one closed-model user: its scenario again and again until
// its context ends. A failed iteration marks the user failed, and it goes
// on, as Locust users do. The returned function stops the user.
func (r *runner) startUser(runCtx context.Context, at time.Time) context.CancelFunc {
	ctx, stop := context.WithCancel(runCtx)
	vu := r.newVU(ctx, at)
	r.rec.VUStarted(vu.ID)
	r.vus.Add(1)
	go func() {
		defer r.vus.Done()
		defer stop()
		var firstErr error // a failed iteration marks the user failed; the first says why
		for ctx.Err() == nil {
			if err := r.runVU(vu, r.pick()); err != nil && firstErr == nil {
				firstErr = err
			}
			// The next iteration's first request is due when the user is
			// ready to send it, before any wait for a connection (begin).
			vu.next = time.Time{}
		}
		r.finishVU(vu)
		r.vuFinished(vu, firstErr)
	}()
	return stop
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
