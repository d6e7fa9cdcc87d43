package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/results"
)

// Builder makes the test a dashboard Start asks for, and the state the
// page shows for it. Live sets the test's Control, Abort and OnSnapshot.
type Builder func(req dashboard.StartRequest) (*engine.Test, dashboard.State, error)

// LiveConfig sets up a Live.
type LiveConfig struct {
	// Dashboard is the page's configuration: token, host names, target
	// policy, title, verdicts.
	Dashboard dashboard.Config
	// Build makes the tests started from the page (nil: the page cannot
	// start one; the dashboard shows a test that Run started).
	Build Builder
	// Monitor gives the target-side series shown beside tests started
	// from the page (nil: none).
	Monitor *monitor.Monitor
	// ErrorLog receives, once per endpoint and kind, the first full
	// message of an error, which the page never shows (nil: nowhere).
	ErrorLog io.Writer
	// Abort, when closed, cancels a running test's requests at once.
	Abort <-chan struct{}
}

// Live is the dashboard's controller: it runs tests started from the
// page, one at a time, or steers the one test Run attached it to. It
// implements dashboard.Controller; its methods may be called concurrently.
type Live struct {
	build   Builder
	board   *dashboard.Server
	monitor *monitor.Monitor
	errLog  *errorLog
	abort   <-chan struct{}

	mu     sync.Mutex
	st     dashboard.State
	ctl    *engine.Control
	cancel context.CancelFunc
	done   chan struct{} // closed when the test started from the page ends
	// changes are the current test's load changes from the page, oldest
	// first, for its results (T not set: see results.SinceStart).
	changes []results.LoadChange
}

// errAttached answers a Start on a dashboard that shows a test started
// elsewhere.
var errAttached = errors.New("this dashboard shows the test started by surge run; use surge ui to start tests from the page")

// NewLive returns a controller with its dashboard; serve Handler.
func NewLive(c LiveConfig) *Live {
	l := &Live{build: c.Build, monitor: c.Monitor, abort: c.Abort}
	if c.ErrorLog != nil {
		l.errLog = newErrorLog(c.ErrorLog)
	}
	l.board = dashboard.New(c.Dashboard, l)
	return l
}

// Handler serves the dashboard.
func (l *Live) Handler() http.Handler { return l.board.Handler() }

// Start implements dashboard.Controller.
func (l *Live) Start(req dashboard.StartRequest) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st.Running {
		return errors.New("a test is already running: stop it first")
	}
	if l.build == nil {
		return errAttached
	}
	t, st, err := l.build(req)
	if err != nil {
		return err
	}
	l.launch(t, st)
	return nil
}

// launch starts t in the background; the caller holds l.mu.
func (l *Live) launch(t *engine.Test, st dashboard.State) {
	ctx, cancel := context.WithCancel(context.Background())
	l.ctl, l.cancel, l.done = engine.NewControl(), cancel, make(chan struct{})
	l.changes = nil
	st.Running, st.Started = true, time.Now()
	l.st = st
	t.Control, t.Abort, t.OnSnapshot = l.ctl, l.abort, l.pageSnapshot
	l.board.BeginRun(resultsTest(st))
	go l.runTest(ctx, *t, l.done)
}

// pageSnapshot shows a snapshot of a test started from the page.
func (l *Live) pageSnapshot(s metrics.Snapshot) {
	l.publish(s, targetSeries(l.monitor, s.Final))
	l.logErrors()
}

// alerts shows alerts' changes of state from the next frame on.
func (l *Live) alerts(evs []results.AlertEvent) { l.board.AddAlerts(evs) }

// publish shows one snapshot with the target-side series.
func (l *Live) publish(s metrics.Snapshot, series map[string]float64) { l.board.Publish(s, series) }

// attach shows a test that someone else runs (Run with a dashboard): the
// page can steer and stop it (cancel) but not start another.
func (l *Live) attach(t *engine.Test, st dashboard.State, cancel context.CancelFunc) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ctl, l.cancel = engine.NewControl(), cancel
	l.changes = nil
	st.Running, st.Started = true, time.Now()
	l.st = st
	t.Control = l.ctl
	l.board.BeginRun(resultsTest(st))
}

// follow shows a test that runs elsewhere (a coordinator's merged
// shares): the page can stop it (cancel) but neither steer nor reset it.
func (l *Live) follow(st dashboard.State, cancel context.CancelFunc) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cancel = cancel
	st.Running, st.Started = true, time.Now()
	l.st = st
	l.board.BeginRun(resultsTest(st))
}

// errFollowing answers a load change on a dashboard that follows a test
// run by several processes.
var errFollowing = errors.New("this dashboard shows the merged shares of a distributed test: their load cannot be changed from here (a worker's own dashboard steers its share)")

// detach marks the attached test as ended.
func (l *Live) detach(message string) {
	l.mu.Lock()
	l.st.Running, l.st.Message = false, message
	l.mu.Unlock()
	l.board.PublishState()
}

func resultsTest(st dashboard.State) results.Test {
	return results.Test{Name: "dashboard", Script: st.Script, Target: st.Host}
}

func (l *Live) runTest(ctx context.Context, t engine.Test, done chan struct{}) {
	defer close(done)
	res, err := engine.Run(ctx, t)
	l.mu.Lock()
	l.st.Running = false
	switch {
	case err != nil:
		l.st.Message = "could not run: " + err.Error()
	case res.Interrupted:
		l.st.Message = "stopped"
	default:
		l.st.Message = "finished"
	}
	l.mu.Unlock()
	l.board.PublishState()
}

// Stop implements dashboard.Controller.
func (l *Live) Stop() {
	l.mu.Lock()
	cancel := l.cancel
	l.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// SetLoad implements dashboard.Controller. A rate switches the test to
// the open model and a number of users to the closed one, whichever the
// test ran before (the engine stops the one and starts the other); a
// spawn rate alone changes the closed model's pace. The state then says
// what the engine runs.
//
// The change goes to the test's results and the dashboard's downloads
// (results.LoadChange); the dashboard is told once l.mu is released, as
// its frames read the state under its own lock.
func (l *Live) SetLoad(req dashboard.LoadRequest) error {
	change, err := l.setLoad(req)
	if err != nil {
		return err
	}
	l.board.AddLoadChange(change)
	return nil
}

func (l *Live) setLoad(req dashboard.LoadRequest) (results.LoadChange, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.st.Running {
		return results.LoadChange{}, errors.New("no test is running")
	}
	if l.ctl == nil {
		return results.LoadChange{}, errFollowing
	}
	var err error
	switch {
	case req.Rate == nil && req.Users == nil && req.SpawnRate == nil:
		return results.LoadChange{}, errors.New("no load given: set an arrival rate, users or a spawn rate")
	case req.Rate != nil && (req.Users != nil || req.SpawnRate != nil):
		return results.LoadChange{}, errors.New("set an arrival rate (open model) or users (closed model), not both")
	case req.Rate != nil:
		err = l.ctl.SetRate(*req.Rate)
	case req.Users != nil:
		err = l.ctl.SetUsers(*req.Users, ptrOr(req.SpawnRate, l.st.SpawnRate))
	case req.SpawnRate != nil && l.st.Model != engine.ModelClosed.String():
		return results.LoadChange{}, errors.New("the test runs the open model: set users to switch it to the closed one")
	case req.SpawnRate != nil:
		err = l.ctl.SetUsers(l.st.Users, *req.SpawnRate)
	}
	if err != nil {
		return results.LoadChange{}, err
	}
	load := l.ctl.Load()
	l.showLoad(load)
	change := results.LoadChange{At: time.Now(), By: "dashboard", Model: load.Model.String()}
	if load.Model == engine.ModelOpen {
		change.Rate = load.Rate
	} else {
		change.Users, change.SpawnRate = load.Users, load.SpawnRate
	}
	l.changes = append(l.changes, change)
	return change, nil
}

// loadChanges are the current test's load changes from the page, timed
// from its start.
func (l *Live) loadChanges(started time.Time) []results.LoadChange {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.changes) == 0 {
		return nil
	}
	return results.SinceStart(l.changes, started)
}

// showLoad puts the load the engine runs into the state.
func (l *Live) showLoad(load engine.Load) {
	switch load.Model {
	case engine.ModelOpen:
		l.st.Model, l.st.Rate = load.Model.String(), load.Rate
	case engine.ModelClosed:
		l.st.Model, l.st.Users, l.st.SpawnRate = load.Model.String(), load.Users, load.SpawnRate
	}
}

func ptrOr[T any](p *T, or T) T {
	if p != nil {
		return *p
	}
	return or
}

// ResetStats implements dashboard.Controller.
func (l *Live) ResetStats() {
	l.mu.Lock()
	ctl := l.ctl
	l.mu.Unlock()
	if ctl != nil {
		ctl.ResetStats()
	}
}

// State implements dashboard.Controller.
func (l *Live) State() dashboard.State {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st
}

// logErrors hands the running test's recent errors to the error log.
func (l *Live) logErrors() {
	l.mu.Lock()
	ctl, log := l.ctl, l.errLog
	l.mu.Unlock()
	if ctl != nil && log != nil {
		log.note(ctl.Errors())
	}
}

// Wait blocks until the test started from the page (if any) has ended.
func (l *Live) Wait() {
	l.mu.Lock()
	done := l.done
	l.mu.Unlock()
	if done != nil {
		<-done
	}
}
