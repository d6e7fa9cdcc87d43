package engine

import (
	"context"
	"net/http"
	"time"

	"github.com/surge-dev/surge/transport"
)

// queueCap bounds the arrivals waiting for a free connection. Past it the
// scheduler itself waits, so arrivals come late — and their latency, still
// counted from the intended time, says so — rather than memory growing
// without bound.
const queueCap = 1 << 16

// arrival is one open-model arrival waiting for a worker.
type arrival struct {
	intended time.Time
	limit    int64 // the share's maxVusers (noCap: none)
	id       runID
}

// pool runs open-model arrivals on a fixed set of workers, one per
// connection, when the connection pool is bounded: a VU that would only
// wait for a connection costs a queue slot instead of a goroutine, so an
// overloaded target cannot make the generator run out of memory.
type pool struct {
	queue chan arrival
	// last is when the last arrival may start: the end of the plan plus
	// the grace period. An arrival that no worker picked up by then is
	// dropped, so that a queue longer than the connections can serve
	// does not run the test on long after its plan (a 1 s test for 4 s).
	last time.Time
}

// startPool starts one worker per connection; closing the queue stops them
// once it is drained.
func (r *runner) startPool(ctx context.Context) *pool {
	p := &pool{queue: make(chan arrival, queueCap), last: r.start.Add(r.plan.Length() + r.test.grace())}
	for range r.test.Connections {
		r.vus.Add(1)
		go r.worker(ctx, p)
	}
	return p
}

// worker reuses one VU (and so one client) for arrival after arrival.
// Arrivals that cannot start are counted as dropped: after a stop, past
// the pool's last start, or above maxVusers.
func (r *runner) worker(ctx context.Context, p *pool) {
	defer r.vus.Done()
	vu := r.newVU(ctx, time.Time{})
	vu.pooled = true
	for a := range p.queue {
		if r.budget.spent() {
			continue // queued past the test's last request: not part of it
		}
		if !r.canStart(ctx, p, a) {
			r.rec.Dropped(r.nextID.Load())
			continue
		}
		vu.ID, vu.next, vu.Vars = r.nextID.Add(1), a.intended, nil
		if vu.jar.Active() { // each arrival is a new user: no cookies carried over
			vu.jar = &transport.Jar{}
			vu.client = &http.Client{Transport: r.shared.Transport, Jar: vu.jar, CheckRedirect: noFollow}
		}
		sc := r.startRun(vu, a.id)
		r.rec.VUStarted(vu.ID)
		r.vuFinished(vu, r.runVU(vu, sc))
	}
	r.finishVU(vu)
}

func (r *runner) canStart(ctx context.Context, p *pool, a arrival) bool {
	return ctx.Err() == nil && time.Now().Before(p.last) &&
		r.rec.ActiveVUs() < a.limit
}

// enqueue hands an arrival to the workers, waiting while the queue is full.
func (p *pool) enqueue(ctx context.Context, a arrival) bool {
	select {
	case p.queue <- a:
		return true
	case <-ctx.Done():
		return false
	}
}
