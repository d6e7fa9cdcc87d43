package engine

import (
	"context"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// closedPhases starts, for every closed-model phase, a goroutine that
// spawns its users at the phase's start and spawn rate. Each user loops its
// scenario until the phase ends or ctx is cancelled.
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
			r.spawnUsers(phaseCtx, ph, begin)
			<-phaseCtx.Done() // users stop when the phase ends
		}()
	}
}

// spawnUsers starts user k at begin + k/SpawnRate (all at once when the
// rate is 0) and returns once all are started or the phase is over.
func (r *runner) spawnUsers(ctx context.Context, ph schedule.Phase, begin time.Time) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for k := int64(0); k < ph.Users; k++ {
		at := begin
		if ph.SpawnRate > 0 {
			at = begin.Add(time.Duration(float64(k) * float64(time.Second) / ph.SpawnRate))
		}
		if wait := time.Until(at); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
		r.startUser(ctx, at)
	}
}

// startUser runs one closed-model user: its scenario again and again until
// ctx ends. A failed iteration marks the user failed, and it goes on, as
// Locust users do.
func (r *runner) startUser(ctx context.Context, at time.Time) {
	vu := r.newVU(ctx, at)
	r.rec.VUStarted(vu.ID)
	r.vus.Add(1)
	go func() {
		defer r.vus.Done()
		anyFailed := false
		for ctx.Err() == nil {
			if r.runVU(vu, r.pick()) {
				anyFailed = true
			}
			vu.next = time.Now()
		}
		r.finishVU(vu)
		r.rec.VUFinished(vu.ID, anyFailed)
	}()
}
