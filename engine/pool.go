package engine

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// queueCap bounds the arrivals waiting for a free connection. An arrival
// that finds the queue full is dropped, never held back: the pacer does
// not wait, so the arrivals after it start on time.
const queueCap = 1 << 16

// arrival is one open-model arrival waiting for a worker. It holds no
// pointer, so the queue's buffer (queueCap of them, 4 MB) is memory the
// garbage collector never scans: a time.Time would hold one. The queue
// keeps its size under a request budget: a smaller one would count as
// dropped the arrivals past it, which a budget only ends unsent.
type arrival struct {
	intended time.Duration // since the runner's start
	limit    int64         // the share's maxVusers (noCap: none)
	id       runID
}

// newArrival is the queued form of an arrival the pacer meant to start at
// intended.
func (r *runner) newArrival(intended time.Time, limit int64, id runID) arrival {
	return arrival{intended: intended.Sub(r.start), limit: limit, id: id}
}

// pool runs open-model arrivals on a set of workers, one per connection:
// a VU that would only wait for a connection costs a queue slot instead
// of a goroutine, so an overloaded target cannot make the generator run
// out of memory. With Test.Connections the workers are that many from
// the start; without, the pool grows (see growth).
type pool struct {
	queue chan arrival
	// last is when the last arrival may start: the end of the plan plus
	// the grace period. An arrival that no worker picked up by then is
	// dropped, so that a queue longer than the connections can serve
	// does not run the test on long after its plan (a 1 s test for 4 s).
	last time.Time

	ctx     context.Context // the load's, for workers started later
	growth  *growth         // nil: a fixed pool
	workers atomic.Int64
	idle    atomic.Int64   // workers waiting for an arrival
	ready   sync.WaitGroup // the workers started before the clock, until they wait (see warm)
	waited  atomic.Int64   // arrivals queued with every worker busy at the ceiling, this interval
	// Read and written by judge alone, once a second: the last mean
	// service time (seconds) of a second that completed requests, and the
	// completed and paced rates of the last seconds, newest last.
	service float64
	recent  [][2]float64
}

// startPool starts one worker per connection of a fixed pool, or none yet
// of a growing one; closing the queue stops them once it is drained.
func (r *runner) startPool(ctx context.Context) *pool {
	p := &pool{queue: make(chan arrival, queueCap), last: r.lastStart(), ctx: ctx}
	if r.test.Connections == 0 {
		p.growth = newGrowth(r.test.poolBound())
	}
	for range r.test.Connections {
		p.workers.Add(1)
		r.vus.Add(1)
		p.ready.Add(1)
		go r.worker(p.ctx, p, p.ready.Done)
	}
	return p
}

// worker reuses one VU (and so one client) for arrival after arrival.
// Arrivals that cannot start are counted as dropped: after a stop, past
// the pool's last start, or above maxVusers. ready, if set, is called
// once the worker is about to wait for its first arrival.
func (r *runner) worker(ctx context.Context, p *pool, ready func()) {
	defer r.vus.Done()
	vu := r.newVU(ctx, time.Time{})
	vu.pooled = true
	if ready != nil {
		ready()
	}
	for {
		p.idle.Add(1)
		a, ok := <-p.queue
		p.idle.Add(-1)
		if !ok {
			break
		}
		r.growPool(p)
		if r.budget.spent() {
			continue // queued past the test's last request: not part of it
		}
		if !r.canStart(ctx, p, a) {
			r.rec.Dropped(r.nextID.Load())
			continue
		}
		intended := r.start.Add(a.intended)
		r.watch.began(intended)
		vu.ID, vu.next, vu.Vars = r.nextID.Add(1), intended, nil
		if vu.jar.Active() { // each arrival is a new user: no cookies carried over
			vu.jar = nil
		}
		sc := r.startRun(vu, a.id)
		vu.span = r.rec.VUStarted(vu.ID)
		r.vuFinished(vu, r.ended(vu, r.runVU(vu, sc)))
	}
	r.finishVU(vu)
}

func (r *runner) canStart(ctx context.Context, p *pool, a arrival) bool {
	return ctx.Err() == nil && time.Now().Before(p.last) &&
		r.rec.ActiveVUs() < a.limit
}

// enqueue hands an arrival to the workers without waiting: false means
// the queue was full.
func (r *runner) enqueue(p *pool, a arrival) bool {
	select {
	case p.queue <- a:
	default:
		return false
	}
	if !r.growPool(p) && p.behind() {
		p.waited.Add(1)
	}
	return true
}

// behind says whether more arrivals are queued than workers are idle.
func (p *pool) behind() bool {
	return int64(len(p.queue)) > p.idle.Load()
}

// backlog is how many queued arrivals no idle worker will take, when the
// pool is at its ceiling: arrivals waiting for connections it has not
// opened.
func (p *pool) backlog() int64 {
	if p.workers.Load() < p.growth.ceiling.Load() {
		return 0
	}
	return max(int64(len(p.queue))-p.idle.Load(), 0)
}

// growPool starts a worker when a growing pool is behind and below its
// ceiling, and says whether it did. The pacer calls it for each arrival
// and every worker for each arrival it takes, so that a pool whose
// ceiling rose after the plan's last arrival still grows for the backlog
// (a running worker holds r.vus, so adding to it is safe while the test
// waits for the workers).
func (r *runner) growPool(p *pool) bool {
	if p.growth == nil || !p.behind() {
		return false
	}
	for {
		n := p.workers.Load()
		if n >= p.growth.ceiling.Load() {
			return false
		}
		if p.workers.CompareAndSwap(n, n+1) {
			r.vus.Add(1)
			go r.worker(p.ctx, p, nil)
			return true
		}
	}
}
