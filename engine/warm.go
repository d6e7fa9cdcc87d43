package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/surge-dev/surge/transport/h1"
)

// Before its clock starts, an open-model test readies its pool: the
// workers it starts with are running and waiting, and the connections
// its first second needs are open. Without that, a fast open model's
// first arrivals each found no idle connection and dialled at once: at
// 50,000 req/s on one core the generator spent its first ten
// milliseconds starting workers and dialling 64 connections while
// arrivals fell due, and the first of them reached the server about 20
// ms late. wrk connects before it measures for the same reason.
const (
	// warmPerConn is how many arrivals of the plan's first second call
	// for one connection opened before the clock.
	warmPerConn = 1000
	// warmFor bounds the warm-up: a target that does not accept in that
	// time is met by the test itself, which counts what fails.
	warmFor = time.Second
)

// warmConns is how many connections the pool opens, and workers it has
// waiting, before the clock starts: one per warmPerConn arrivals of the
// share in the plan's first second (none if the first second has none:
// a pool for a rate the dashboard may set later), up to the pool's
// bound (Test.Connections, or a growing pool's first ceiling).
func (r *runner) warmConns() int64 {
	bound := int64(r.test.Connections)
	if r.pool.growth != nil {
		bound = r.pool.growth.ceiling.Load()
	}
	first := r.seg.Count(r.plan.ArrivalsBefore(time.Second))
	return min((first+warmPerConn-1)/warmPerConn, bound)
}

// warm readies the open model's pool: its workers waiting (a growing
// pool starts those warmConns asks for) and, for the host of each of the
// test's Targets that the lean client carries, warmConns connections
// open. It returns once both are done or warmFor has passed.
func (r *runner) warm(ctx context.Context) {
	if r.pool == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, warmFor)
	defer cancel()
	n := r.warmConns()
	r.pool.startWorkers(r, n)
	if lean, ok := r.shared.Transport.(*h1.Transport); ok {
		for _, p := range r.test.Targets {
			if p.wire != nil {
				lean.Warm(ctx, p.wire, int(n))
			}
		}
	}
	r.pool.waitReady(ctx)
}

// startWorkers starts workers until a growing pool has n (a fixed pool
// started all of its own).
func (p *pool) startWorkers(r *runner, n int64) {
	for p.growth != nil && p.workers.Load() < n {
		p.workers.Add(1)
		r.vus.Add(1)
		p.ready.Add(1)
		go r.worker(p.ctx, p, p.ready.Done)
	}
}

// waitReady waits until the workers started so far wait for arrivals, or
// ctx ends.
func (p *pool) waitReady(ctx context.Context) {
	ready := make(chan struct{})
	go func() { p.ready.Wait(); close(ready) }()
	select {
	case <-ready:
	case <-ctx.Done():
	}
}

// ErrNotStarted ends a Run whose context ended before Test.StartAt: no
// load was sent.
var ErrNotStarted = errors.New("stopped before the start")

// waitStart waits, once the pool is ready, for the test's StartAt (if it
// has one; on this machine's wall clock, since a coordinator gave it) or
// the end of ctx.
func (r *runner) waitStart(ctx context.Context) error {
	at := r.test.StartAt
	if at.IsZero() {
		return nil
	}
	t := time.NewTimer(time.Until(at.Round(0)))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrNotStarted, context.Cause(ctx))
	}
}

// abandon stops a test that never started: the pool's workers end and
// the connections the warm-up opened close.
func (r *runner) abandon() {
	if r.pool != nil {
		close(r.pool.queue)
	}
	r.vus.Wait()
	r.closeIdle()
}

// prepare readies the pool (warm), waits for StartAt and starts the
// clock, with the collector's pauser in place; the caller closes it. An
// error means the test never started (ErrNotStarted).
func (r *runner) prepare(load, soft context.Context) error {
	r.warm(load)
	if err := r.waitStart(soft); err != nil {
		r.abandon()
		return err
	}
	r.pauser = newPauser()
	r.rec.SetPause(r.pauser.pause)
	r.begin(time.Now())
	return nil
}

// begin starts the test's clock at now: the plan's arrivals, the
// intervals and the pool's last start all count from it.
func (r *runner) begin(now time.Time) {
	if r.test.clockStarting != nil {
		r.test.clockStarting()
	}
	r.start = now
	r.rec.Restart(now)
	if r.pool != nil {
		r.pool.last = r.lastStart()
	}
}
