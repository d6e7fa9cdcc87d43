package engine

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// Result is how a test ended.
type Result struct {
	Final       metrics.Snapshot
	Interrupted bool // stopped by its context (or Test.Abort) before the plan finished
	Aborted     bool // requests in flight were cancelled by Test.Abort
	// StoppedBy is what a scenario gave VU.StopTest, when one ended the
	// test before its plan did ("" otherwise).
	StoppedBy string
	Endpoints []string
}

// runner is the state of one Run.
type runner struct {
	test    *Test
	plan    *schedule.Plan
	rec     *metrics.Recorder
	pauser  *pauser // the collector's, between the steps of a flush
	start   time.Time
	hard    context.Context          // cancelled only after the grace period
	shared  *http.Client             // Shared mode; every VU's client, as it is the same for all
	perVU   func() http.RoundTripper // PerVU mode: a fresh one for every VU
	sem     chan struct{}            // Shared mode with a bounded pool
	weights []int                    // cumulative scenario weights
	seg     *schedule.Segment        // the share of the plan this run sends
	caps    []int64                  // per phase: the share's maxVusers (noCap: none)
	steered int64                    // global index of the next arrival a Control paces
	expect  metrics.StatusSet        // statuses that are not failures
	pool    *pool                    // open model with a bounded pool: queued arrivals
	budget  *budget                  // Test.MaxRequests (nil: no limit)
	watch   *watch                   // the generator's watch on itself
	resent  atomic.Int64             // requests sent again (transport.Config.Resent), not yet counted
	strain  strainState              // the watch's last second, for the pool's growth
	nextID  atomic.Uint64
	vus     sync.WaitGroup
	// stopLoad ends the load as the plan's end would (VU.StopTest);
	// stoppedBy is the first reason given.
	stopLoad  context.CancelFunc
	stoppedBy atomic.Pointer[string]
}

// Run executes the test and returns when every VU has finished; no
// goroutine of it is left running. Cancelling ctx stops new arrivals and
// tells running VUs to stop; requests in flight get the test's grace
// period before they are cancelled, or less if Test.Abort is closed
// meanwhile. The final snapshot is always returned, also when
// interrupted.
func Run(ctx context.Context, t Test) (Result, error) {
	if err := t.Validate(); err != nil {
		return Result{}, err
	}
	plan, err := schedule.New(t.Phases)
	if err != nil {
		return Result{}, err
	}
	hard, hardCancel := context.WithCancel(context.WithoutCancel(ctx))
	defer hardCancel()
	soft, softCancel := context.WithCancel(ctx)
	defer softCancel()
	aborted, stopWatch := watchAbort(t.Abort, softCancel, hardCancel)
	defer stopWatch()
	r := newRunner(&t, plan, hard)
	defer r.watch.close()
	if t.Control != nil {
		t.Control.mu.Lock()
		t.Control.reset = r.rec.Reset
		t.Control.mu.Unlock()
	}
	stoppable, stopLoad := context.WithCancel(soft)
	defer stopLoad()
	r.stopLoad = stopLoad
	load, b := newBudget(stoppable, t.MaxRequests)
	defer b.close()
	r.budget = b
	if t.Conns == Shared && (plan.Arrivals() > 0 || t.Control != nil) {
		r.pool = r.startPool(load)
		r.watch.conns = r.pool.workers.Load
	}
	if err := r.prepare(load, soft); err != nil {
		return Result{}, err
	}
	defer r.pauser.close()
	stopCollector := r.collect() // after the pool: it reads r.pool
	r.drive(load)
	if r.pool != nil {
		close(r.pool.queue)
	}
	r.wait(soft, hardCancel)
	stopCollector()
	final := r.flush(time.Now(), true)
	if t.OnSnapshot != nil {
		t.OnSnapshot(final)
	}
	r.closeIdle()
	return Result{Final: final, Interrupted: soft.Err() != nil, Aborted: aborted(), StoppedBy: r.stopped(),
		Endpoints: t.Endpoints}, nil
}

// stopTest ends the load from a scenario (VU.StopTest), keeping the first
// reason.
func (r *runner) stopTest(by string) {
	if by == "" {
		by = "a virtual user"
	}
	r.stoppedBy.CompareAndSwap(nil, &by)
	r.stopLoad()
}

// stopped is the reason a scenario stopped the test with, "" if none did.
func (r *runner) stopped() string {
	if by := r.stoppedBy.Load(); by != nil {
		return *by
	}
	return ""
}

// watchAbort stops the test and cancels requests in flight at once when
// abort is closed. aborted reports whether it was; stop ends the watch.
func watchAbort(abort <-chan struct{}, softCancel, hardCancel context.CancelFunc) (aborted func() bool, stop func()) {
	if abort == nil {
		return func() bool { return false }, func() {}
	}
	var fired atomic.Bool
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		select {
		case <-abort:
			fired.Store(true)
			softCancel()
			hardCancel()
		case <-quit:
		}
	}()
	return fired.Load, func() { close(quit); <-done }
}

func newRunner(t *Test, plan *schedule.Plan, hard context.Context) *runner {
	watch := startWatch()
	start := time.Now()
	if len(t.Endpoints) == 0 {
		t.Endpoints = []string{"default"}
	}
	r := &runner{test: t, plan: plan, hard: hard, start: start, expect: t.Expected(),
		rec: metrics.NewRecorder(t.Endpoints, 0, start), seg: t.segment(), steered: plan.Arrivals(),
		watch: watch}
	for _, ph := range plan.Phases() {
		limit, capped := r.seg.MaxVUsers(ph)
		if !capped {
			limit = noCap
		}
		r.caps = append(r.caps, limit)
	}
	for _, s := range t.Scenarios {
		last := 0
		if len(r.weights) > 0 {
			last = r.weights[len(r.weights)-1]
		}
		r.weights = append(r.weights, last+max(s.Weight, 1))
	}
	if t.Conns == Shared {
		cfg := t.HTTP
		cfg.MaxConns, cfg.Dials, cfg.Resent = t.Connections, &r.watch.dials, &r.resent
		r.shared = &http.Client{Transport: transport.NewRoundTripper(cfg), CheckRedirect: noFollow}
		if t.Connections > 0 {
			r.sem = make(chan struct{}, t.Connections)
		}
	} else {
		cfg := t.HTTP
		cfg.MaxConns, cfg.Dials, cfg.Resent = 1, &r.watch.dials, &r.resent
		r.perVU = transport.PerVU(cfg)
	}
	return r
}

// wait blocks until all VUs are done. If ctx is cancelled meanwhile, VUs
// have the grace period to finish before in-flight requests are cancelled.
func (r *runner) wait(ctx context.Context, hardCancel context.CancelFunc) {
	done := make(chan struct{})
	go func() { r.vus.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	grace := time.NewTimer(r.test.grace())
	defer grace.Stop()
	select {
	case <-done:
	case <-grace.C:
		hardCancel()
		<-done
	}
}

// collect starts the goroutine that flushes a snapshot every interval,
// aligned to the start of the test. The returned function stops it.
func (r *runner) collect() (stop func()) {
	quit, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		step := r.test.interval()
		next := r.start.Add(step)
		t := time.NewTimer(step)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			snap := r.flush(next, false)
			if r.test.OnSnapshot != nil {
				r.test.OnSnapshot(snap)
			}
			next = next.Add(step)
			t.Reset(time.Until(next))
		}
	}()
	return func() { close(quit); <-stopped }
}

// noCap is the limit of a phase without maxVusers.
const noCap = math.MaxInt64

func (r *runner) acquireConn(vu *VU) error {
	if r.sem == nil || vu.pooled {
		return nil
	}
	select { // a free slot needs no select over the context: cheaper per request
	case r.sem <- struct{}{}:
		return nil
	default:
	}
	ctx := vu.soft
	select {
	case r.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *runner) releaseConn(vu *VU) {
	if r.sem != nil && !vu.pooled {
		<-r.sem
	}
}

func (r *runner) closeIdle() {
	if r.shared != nil {
		r.shared.CloseIdleConnections()
	}
}

// newVU builds a VU whose requests go through the test's connection mode.
func (r *runner) newVU(soft context.Context, intended time.Time) *VU {
	id := r.nextID.Add(1)
	vu := &VU{ID: id, run: r, soft: soft, next: intended}
	if r.shared != nil {
		vu.client = r.shared
	} else {
		vu.client = &http.Client{Transport: r.perVU(), CheckRedirect: noFollow}
	}
	return vu
}

// runVU runs one scenario iteration. A VU that failed because of
// something other than being stopped returns the error (a panic of the
// scenario's code as a *PanicError); nil otherwise, or ErrStopUser when
// the scenario ended its user.
func (r *runner) runVU(vu *VU, sc *Scenario) error {
	vu.Scenario = sc.Name
	return vu.failure(runScenario(vu, sc))
}

// failure is err as a reason to fail the VU: nil when there is none, or
// when the VU was told to stop and err says only that.
func (vu *VU) failure(err error) error {
	if err == nil || (vu.soft.Err() != nil && (errors.Is(err, ErrStopped) || errors.Is(err, context.Canceled))) {
		return nil
	}
	return err
}

// ended is why a VU that ran its last scenario run failed (nil if it did
// not: ErrStopUser ends a VU that did not fail), once its OnStop function
// has run. The function runs under the run's hard context, so that its
// requests are sent although the VU was told to stop.
func (r *runner) ended(vu *VU, err error) error {
	if errors.Is(err, ErrStopUser) {
		err = nil
	}
	stop := vu.onStop
	if stop == nil {
		return err
	}
	vu.onStop = nil
	soft := vu.soft
	vu.soft, vu.next = r.hard, time.Time{}
	defer func() { vu.soft = soft }()
	serr := runStop(stop)
	if errors.Is(serr, ErrStopped) || errors.Is(serr, context.Canceled) || errors.Is(serr, ErrStopUser) {
		serr = nil // refused by a spent MaxRequests, or cut by the end of the grace period
	}
	if err == nil {
		err = serr
	}
	return err
}

// runStop runs a VU's OnStop function, a panic in it recovered as its
// error.
func runStop(fn func() error) (err error) {
	defer Recover(&err)
	return fn()
}

// runScenario runs sc's code, a panic in it recovered as its error.
func runScenario(vu *VU, sc *Scenario) (err error) {
	defer Recover(&err)
	return sc.Run(vu.soft, vu)
}

// Reasoner is implemented by errors that name their own failure reason
// with a short code (a script step's EINVALIDURL, a failed capture, …).
type Reasoner interface {
	FailureReason() string
}

// failureReason names why a VU failed, for the count by reason: the error
// kind of a request that got no response, an error's own code, or
// EOTHER. A nil error is no failure: "".
func failureReason(err error) (reason, message string) {
	if err == nil {
		return "", ""
	}
	var re *RequestError
	var c Reasoner
	switch {
	case errors.As(err, &re):
		reason = re.Kind.String()
	case errors.As(err, &c) && c.FailureReason() != "":
		reason = c.FailureReason()
	default:
		reason = metrics.ErrOther.String()
	}
	return reason, errorText(err)
}

// vuFinished records the end of a VU, with why it failed if it did.
func (r *runner) vuFinished(vu *VU, err error) {
	reason, message := failureReason(err)
	r.rec.VUFinished(vu.ID, vu.span, reason, message)
}

// finishVU releases the VU's own connection.
func (r *runner) finishVU(vu *VU) {
	if r.shared == nil {
		vu.client.CloseIdleConnections()
	}
}
