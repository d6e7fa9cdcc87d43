package distributed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/surge-dev/surge/coord/wire"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// DefaultWait is how long a coordinator waits for its workers, and a
// worker for its coordinator.
const DefaultWait = 60 * time.Second

// sendTimeout bounds one message to a peer that stopped reading; stall is
// how long a running peer may stay silent (a second arrives every second).
const (
	sendTimeout = 15 * time.Second
	stall       = 15 * time.Second
)

// Worker says how a worker joins its coordinator.
type Worker struct {
	Addr  string // the coordinator's address
	Token string // the shared token ("": none)
	// Wait bounds connecting (retried: the coordinator may start later)
	// and waiting for the start (0: DefaultWait).
	Wait time.Duration
	// Segment and Sequence ask for a share ("from:to" of the sequence);
	// empty: the coordinator assigns one.
	Segment, Sequence string
	Version           string

	conn net.Conn // the coordinator's own share: one end of a pipe
	// now reads this worker's clock (nil: time.Now); a test sets it to
	// play a machine whose clock is off.
	now func() time.Time
}

// clock reads the worker's clock, as it says instants to the coordinator.
func (w Worker) clock() time.Time {
	if w.now == nil {
		return time.Now()
	}
	return w.now()
}

// onThisMachine turns an instant of the worker's clock into one of the
// clock timers run on (the same, unless a test set now).
func (w Worker) onThisMachine(t time.Time) time.Time {
	if w.now == nil {
		return t
	}
	return time.Now().Add(t.Sub(w.now()))
}

// onWorkerClock turns an instant of this machine's clock into one of the
// worker's clock.
func (w Worker) onWorkerClock(t time.Time) time.Time {
	if w.now == nil {
		return t
	}
	return t.Add(time.Until(w.now()))
}

// Verdict is what the coordinator said at the end: the whole test's exit
// code and a message.
type Verdict struct {
	Code    int
	Message string
}

// Work joins the coordinator, runs t's share through session.Run with o
// at the start instant, streams its seconds, sends its results and
// returns them with the whole test's verdict. t.Segment is set to the
// share the coordinator gave.
func Work(ctx context.Context, w Worker, t *engine.Test, meta results.Test, o session.Options) (session.Result, Verdict, error) {
	w.Wait = orDefault(w.Wait, DefaultWait)
	c, err := w.dial(ctx)
	if err != nil {
		return session.Result{}, Verdict{}, err
	}
	defer c.Close()
	start, err := join(c, w, t)
	if err != nil {
		return session.Result{}, Verdict{}, err
	}
	return runShare(ctx, c, w, t, meta, o, start)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// dial connects to the coordinator, retrying until Wait has passed: in a
// Kubernetes Job the pods start in any order.
func (w Worker) dial(ctx context.Context) (*wire.Conn, error) {
	if w.conn != nil {
		return wire.New(w.conn), nil
	}
	ctx, cancel := context.WithTimeout(ctx, w.Wait)
	defer cancel()
	var d net.Dialer
	for {
		nc, err := d.DialContext(ctx, "tcp", w.Addr)
		if err == nil {
			c := wire.New(nc)
			c.Timeout = sendTimeout
			return c, nil
		}
		select {
		case <-ctx.Done():
			return nil, lost("no coordinator at %s after %s: %v", w.Addr, w.Wait, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// join says hello, takes the share given, says ready with the plan,
// answers the clock exchanges and returns the start instant.
func join(c *wire.Conn, w Worker, t *engine.Test) (time.Time, error) {
	if err := c.Send(wire.KindHello, wire.Hello{Token: w.Token, Segment: w.Segment, Sequence: w.Sequence, Version: w.Version}); err != nil {
		return time.Time{}, lost("coordinator %s: %v", w.Addr, err)
	}
	var welcome wire.Welcome
	if err := c.Expect(wire.KindWelcome, &welcome, w.Wait); err != nil {
		return time.Time{}, joinError(w, err)
	}
	seg, err := schedule.ParseSegment(welcome.Segment, welcome.Sequence)
	if err != nil {
		return time.Time{}, fmt.Errorf("coordinator %s gave the share %s of %s: %w", w.Addr, welcome.Segment, welcome.Sequence, err)
	}
	t.Segment = seg
	ready := wire.Ready{Plan: t.PlanHash(), Segment: seg.String(), Sequence: seg.Sequence().String(), Endpoints: t.Endpoints,
		Expect: expected(t)}
	if err := c.Send(wire.KindReady, ready); err != nil {
		return time.Time{}, lost("coordinator %s: %v", w.Addr, err)
	}
	return awaitStart(c, w)
}

// awaitStart answers pings until the start comes; the barrier may wait
// for the other workers up to the coordinator's own wait.
func awaitStart(c *wire.Conn, w Worker) (time.Time, error) {
	for {
		f, err := c.Receive(2*w.Wait, wire.KindPing, wire.KindStart, wire.KindRefused, wire.KindDone)
		if err != nil {
			return time.Time{}, joinError(w, err)
		}
		received := w.clock()
		switch f.Kind {
		case wire.KindPing:
			var p wire.Ping
			if err := f.Decode(&p); err != nil {
				return time.Time{}, err
			}
			if err := c.Send(wire.KindPong, wire.Pong{Sent: p.Sent, Received: received, Answered: w.clock()}); err != nil {
				return time.Time{}, lost("coordinator %s: %v", w.Addr, err)
			}
		case wire.KindStart:
			var s wire.Start
			return s.At, f.Decode(&s)
		case wire.KindRefused:
			var r wire.Refused
			_ = f.Decode(&r)
			return time.Time{}, refusal(r)
		case wire.KindDone: // the coordinator failed before the start
			var d wire.Done
			_ = f.Decode(&d)
			return time.Time{}, lost("the coordinator ended the test before its start: %s", d.Message)
		default:
			return time.Time{}, fmt.Errorf("coordinator %s: a %s before the start", w.Addr, f.Kind)
		}
	}
}

func joinError(w Worker, err error) error {
	var r *wire.RefusedError
	if errors.As(err, &r) {
		return refusal(r.Refused)
	}
	return lost("coordinator %s: %v", w.Addr, err)
}

// refusal is the coordinator's refusal as this side's error: a mismatch
// (exit 2) or a lost run (3).
func refusal(r wire.Refused) error {
	if r.Code == 2 {
		return &MismatchError{Reason: r.Reason}
	}
	return &LostError{Reason: "coordinator: " + r.Reason}
}

// runShare runs the share at start, streaming its seconds, then sends the
// results and waits for the verdict.
func runShare(ctx context.Context, c *wire.Conn, w Worker, t *engine.Test, meta results.Test, o session.Options, start time.Time) (session.Result, Verdict, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	abort := make(chan struct{})
	in := listen(c, cancel, abort, o.Abort)
	s := newStreamer(c, cancel)
	o.StartAt, o.Tap, o.Abort = w.onThisMachine(start), s.tap, abort
	res, err := session.Run(ctx, t, meta, o)
	s.close()
	final := wire.Final{Results: res.Results}
	if res.Results != nil {
		final.Started = w.onWorkerClock(res.Results.Test.Started)
	}
	if err != nil {
		final = wire.Final{Error: err.Error()}
	}
	if serr := c.Send(wire.KindFinal, final); serr != nil && err == nil {
		err = lost("lost the coordinator: %v", serr)
	}
	if cause := context.Cause(ctx); err == nil && errors.Is(cause, errLostCoordinator) {
		err = lost("%v", cause)
	}
	if err != nil {
		return res, Verdict{}, err
	}
	// The verdict follows the other shares' results, which may take up
	// to the coordinator's wait after their last second.
	v, err := in.verdict(2*orDefault(w.Wait, DefaultWait) + stall)
	return res, v, err
}

var errLostCoordinator = errors.New("lost the coordinator")

// inbox reads the coordinator's messages during the run: a stop ends the
// share (at once with abort), the verdict comes last.
type inbox struct {
	done chan wire.Done
	err  chan error
}

func listen(c *wire.Conn, cancel context.CancelCauseFunc, abort chan struct{}, outer <-chan struct{}) *inbox {
	in := &inbox{done: make(chan wire.Done, 1), err: make(chan error, 1)}
	var once sync.Once
	closeAbort := func() { once.Do(func() { close(abort) }) }
	if outer != nil {
		go func() { <-outer; closeAbort() }()
	}
	go func() {
		for {
			f, err := c.Receive(0, wire.KindStop, wire.KindDone)
			if err != nil {
				cancel(fmt.Errorf("%w: %v", errLostCoordinator, err))
				in.err <- lost("lost the coordinator: %v", err)
				return
			}
			switch f.Kind {
			case wire.KindStop:
				var s wire.Stop
				_ = f.Decode(&s)
				cancel(errors.New("stopped by the coordinator: " + s.Reason))
				if s.Abort {
					closeAbort()
				}
			case wire.KindDone:
				var d wire.Done
				err := f.Decode(&d)
				in.done <- d
				in.err <- err
				return
			}
		}
	}()
	return in
}

// verdict waits for the coordinator's verdict, at most timeout.
func (in *inbox) verdict(timeout time.Duration) (Verdict, error) {
	select {
	case d := <-in.done:
		return Verdict{Code: d.Code, Message: d.Message}, <-in.err
	case err := <-in.err:
		return Verdict{}, err
	case <-time.After(timeout):
		return Verdict{}, lost("no verdict from the coordinator %s after sending the results", timeout)
	}
}

// streamer sends each second to the coordinator from its own goroutine,
// so that a slow network never holds up the test; if the coordinator
// stops reading for longer than the queue holds, the share stops.
type streamer struct {
	c      *wire.Conn
	cancel context.CancelCauseFunc
	queue  chan wire.Tick
	done   chan struct{}
	once   sync.Once
}

// queued seconds before the share gives up on its coordinator.
const queued = 600

func newStreamer(c *wire.Conn, cancel context.CancelCauseFunc) *streamer {
	s := &streamer{c: c, cancel: cancel, queue: make(chan wire.Tick, queued), done: make(chan struct{})}
	go s.send()
	return s
}

func (s *streamer) tap(snap metrics.Snapshot, series map[string]float64) {
	iv, err := results.IntervalOf(snap.Interval, series)
	if err != nil {
		s.cancel(fmt.Errorf("encoding second %d: %w", snap.Interval.Index, err))
		return
	}
	select {
	case s.queue <- wire.Tick{Interval: iv, Last: snap.Final}:
	default:
		s.cancel(fmt.Errorf("%w: it read no second for %d seconds", errLostCoordinator, queued))
	}
}

func (s *streamer) send() {
	defer close(s.done)
	for t := range s.queue {
		if err := s.c.Send(wire.KindTick, t); err != nil {
			s.cancel(fmt.Errorf("%w: %v", errLostCoordinator, err))
			for range s.queue { // keep the test from blocking
			}
			return
		}
	}
}

// close waits until every queued second is sent.
func (s *streamer) close() {
	s.once.Do(func() { close(s.queue) })
	<-s.done
}

// expected is the test's statuses that are not failures, in the one
// spelling the coordinator compares.
func expected(t *engine.Test) string {
	return t.Expected().String()
}
