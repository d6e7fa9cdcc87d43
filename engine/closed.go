package engine

import (
	"context"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// closedPhases starts, for every closed-model phase, a goroutine that
// keeps its users running: spawned at the phase's start and spawn rate,
// adjusted when a Control asks for another number, stopped when the phase
// ends or ctx is cancelled.
func (r *runner) closedPhases(ctx context.Context) {
	for i, ph := range r.plan.Phases() {
		if ph.Kind != schedule.Users {
			continue
		}
		begin := r.start.Add(r.plan.PhaseStart(i))
		phaseCtx, cancel := context.WithDeadline(ctx, begin.Add(ph.Duration))
		r.vus.Add(1)
		go func() {
			defer r.vus.Done()
			defer cancel()
			r.manageUsers(phaseCtx, ph, begin)
		}()
	}
}

// userPool is the set of running users of one closed phase, newest last.
type userPool struct {
	stops     []context.CancelFunc
	target    int64
	spawnRate float64
	next      time.Time // when the next user may start
}

// manageUsers converges the number of running users on the target: users
// start one at a time at the spawn rate and stop newest first, at once.
func (r *runner) manageUsers(ctx context.Context, ph schedule.Phase, begin time.Time) {
	p := &userPool{target: ph.Users, spawnRate: ph.SpawnRate, next: begin}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for ctx.Err() == nil {
		changed := r.applyUserOverride(p)
		n := int64(len(p.stops))
		switch {
		case n > p.target:
			p.stops[n-1]()
			p.stops = p.stops[:n-1]
		case n < p.target:
			if !sleepUntil(ctx, timer, p.next, changed) {
				continue
			}
			p.stops = append(p.stops, r.startUser(ctx, p.next))
			p.next = p.next.Add(spawnGap(p.spawnRate))
		default:
			waitChange(ctx, changed)
			p.next = time.Now()
		}
	}
}

func (r *runner) applyUserOverride(p *userPool) <-chan struct{} {
	if r.test.Control == nil {
		return nil
	}
	users, rate, set, changed := r.test.Control.usersOverride()
	if set && (users != p.target || rate != p.spawnRate) {
		p.target, p.spawnRate = users, rate
		p.next = later(p.next, time.Now())
	}
	return changed
}

func spawnGap(rate float64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(float64(time.Second) / rate)
}

// sleepUntil waits for at; false means it was cut short by ctx or a change.
func sleepUntil(ctx context.Context, timer *time.Timer, at time.Time, changed <-chan struct{}) bool {
	wait := time.Until(at)
	if wait <= 0 {
		return ctx.Err() == nil
	}
	timer.Reset(wait)
	select {
	case <-timer.C:
		return true
	case <-changed:
		timer.Stop() // since Go 1.23 a stopped timer delivers nothing stale
		return false
	case <-ctx.Done():
		return false
	}
}

func waitChange(ctx context.Context, changed <-chan struct{}) {
	select {
	case <-changed:
	case <-ctx.Done():
	}
}

// startUser runs one closed-model user: its scenario again and again until
// its context ends. A failed iteration marks the user failed, and it goes
// on, as Locust users do. The returned function stops the user.
func (r *runner) startUser(phaseCtx context.Context, at time.Time) context.CancelFunc {
	ctx, stop := context.WithCancel(phaseCtx)
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
