package engine

import (
	"context"
	"errors"
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
	// In a plan phase: its index, start and users in the whole test. The
	// pool's n-th user is the phase's user seg.Global(n), started when a
	// single run starts that one. Steered users (phase steeredPhase) are
	// numbered by their place in the pool.
	phase int
	begin time.Time
	users int64
}

// steeredPhase stands for the phase of users a Control started.
const steeredPhase = math.MaxInt32

// usersPhase runs the test's share of a closed-model phase: its users
// start when a single run starts them (the phase's start, one every
// 1/spawn rate in the single run's order) and all stop at its end. It
// reports whether a load set through the Control cut the phase short; the
// users then keep running for steer to adjust.
func (r *runner) usersPhase(ctx context.Context, w *waiter, p *userPool, phase int, begin, end time.Time) (steered bool) {
	ph := r.plan.Phases()[phase]
	p.target, p.spawnRate = r.seg.Users(ph), ph.SpawnRate
	p.phase, p.begin, p.users = phase, begin, ph.Users
	p.next = p.spawnAt(0)
	for ctx.Err() == nil {
		if set, changed := r.hasLoad(); set {
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
	if users != p.target || spawnRate != p.spawnRate || p.phase != steeredPhase {
		p.target, p.spawnRate = users, spawnRate
		p.phase, p.users = steeredPhase, users
		p.next = later(p.next, time.Now())
	}
}

// spawnAt is when the pool's n-th user starts in a plan phase: when the
// single run starts its user seg.Global(n).
func (p *userPool) spawnAt(n int64) time.Time {
	ph := p.run.plan.Phases()[p.phase]
	return p.begin.Add(ph.UserStart(p.run.seg.Global(n)))
}

// user is the identity of the pool's n-th user.
func (p *userPool) user(n int64) runID {
	if p.phase == steeredPhase {
		return runID{phase: p.phase, user: n, users: p.users}
	}
	return runID{phase: p.phase, user: p.run.seg.Global(n), users: p.users}
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
			p.stops = append(p.stops, p.run.startUser(ctx, p.next, p.user(n)))
			p.next = p.nextSpawn(n + 1)
		default:
			return w.until(ctx, until, changed)
		}
	}
	return false
}

// nextSpawn is when the pool's n-th user may start: in a plan phase when
// the single run starts it, when steered one gap after the last.
func (p *userPool) nextSpawn(n int64) time.Time {
	if p.phase == steeredPhase {
		return p.next.Add(schedule.SpawnGap(p.spawnRate))
	}
	return p.spawnAt(n)
}

// stopAll tells every user to stop after its current request.
func (p *userPool) stopAll() {
	for _, stop := range p.stops {
		stop()
	}
	p.stops = p.stops[:0]
}

// startUser runs one closed-model user, id: its scenario again and again
// until its context ends or a run returns ErrStopUser, each run id with
// the next iteration, then its OnStop function. A failed iteration marks
// the user failed, and it goes on, as Locust users do.
// The returned function stops the user.
func (r *runner) startUser(runCtx context.Context, at time.Time, id runID) context.CancelFunc {
	ctx, stop := context.WithCancel(runCtx)
	vu := r.newVU(ctx, at)
	vu.looping = true
	vu.span = r.rec.VUStarted(vu.ID)
	r.vus.Add(1)
	go func() {
		defer r.vus.Done()
		defer stop()
		var firstErr error // a failed iteration marks the user failed; the first says why
		for ; ctx.Err() == nil; id.iter++ {
			err := r.runVU(vu, r.startRun(vu, id))
			if errors.Is(err, ErrStopUser) {
				break // as Locust's StopUser: this user runs no more
			}
			if err != nil && firstErr == nil {
				firstErr = err
			}
			// The next iteration's first request is due when the user is
			// ready to send it, before any wait for a connection (begin).
			vu.next = time.Time{}
		}
		firstErr = r.ended(vu, firstErr)
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
