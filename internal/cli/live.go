package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// defaultDashboardAddr is Locust's port, on loopback.
const defaultDashboardAddr = "127.0.0.1:8089"

// builder makes the test a dashboard Start asks for.
type builder func(req dashboard.StartRequest) (*engine.Test, dashboard.State, error)

// session runs tests for the dashboard, one at a time, and implements
// dashboard.Controller.
type session struct {
	build  builder
	board  *dashboard.Server
	onEnd  func(engine.Result) // optional: what to do when a test ends
	errLog *errorLog           // optional: first error messages for the terminal
	abort  <-chan struct{}     // closed to cancel a running test's requests at once

	mu     sync.Mutex
	st     dashboard.State
	ctl    *engine.Control
	cancel context.CancelFunc
	done   chan struct{}
}

// Start implements dashboard.Controller.
func (s *session) Start(req dashboard.StartRequest) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Running {
		return errors.New("a test is already running: stop it first")
	}
	t, st, err := s.build(req)
	if err != nil {
		return err
	}
	s.launch(t, st)
	return nil
}

// launch starts t in the background; the caller holds s.mu.
func (s *session) launch(t *engine.Test, st dashboard.State) {
	ctx, cancel := context.WithCancel(context.Background())
	s.ctl, s.cancel, s.done = engine.NewControl(), cancel, make(chan struct{})
	st.Running, st.Started = true, time.Now()
	s.st = st
	t.Control, t.Abort = s.ctl, s.abort
	s.board.BeginRun(resultsTest(st))
	go s.runTest(ctx, *t, s.done)
}

// attach shows a test that someone else runs (surge run --dashboard):
// the dashboard can steer and stop it but not start another.
func (s *session) attach(t *engine.Test, st dashboard.State, cancel context.CancelFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctl, s.cancel = engine.NewControl(), cancel
	st.Running, st.Started = true, time.Now()
	s.st = st
	t.Control = s.ctl
	s.board.BeginRun(resultsTest(st))
}

// detach marks the attached test as ended.
func (s *session) detach(message string) {
	s.mu.Lock()
	s.st.Running, s.st.Message = false, message
	s.mu.Unlock()
	s.board.PublishState()
}

func resultsTest(st dashboard.State) results.Test {
	return results.Test{Name: "dashboard", Script: st.Script, Target: st.Host}
}

func (s *session) runTest(ctx context.Context, t engine.Test, done chan struct{}) {
	defer close(done)
	res, err := engine.Run(ctx, t)
	s.mu.Lock()
	s.st.Running = false
	switch {
	case err != nil:
		s.st.Message = "could not run: " + err.Error()
	case res.Interrupted:
		s.st.Message = "stopped"
	default:
		s.st.Message = "finished"
	}
	s.mu.Unlock()
	s.board.PublishState()
	if s.onEnd != nil && err == nil {
		s.onEnd(res)
	}
}

// Stop implements dashboard.Controller.
func (s *session) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// SetLoad implements dashboard.Controller. A rate switches the test to
// the open model and a number of users to the closed one, whichever the
// test ran before (the engine stops the one and starts the other); a
// spawn rate alone changes the closed model's pace. The state then says
// what the engine runs.
func (s *session) SetLoad(req dashboard.LoadRequest) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.Running {
		return errors.New("no test is running")
	}
	var err error
	switch {
	case req.Rate != nil && (req.Users != nil || req.SpawnRate != nil):
		return errors.New("set an arrival rate (open model) or users (closed model), not both")
	case req.Rate != nil:
		err = s.ctl.SetRate(*req.Rate)
	case req.Users != nil:
		err = s.ctl.SetUsers(*req.Users, ptrOr(req.SpawnRate, s.st.SpawnRate))
	case req.SpawnRate != nil && s.st.Model != engine.ModelClosed.String():
		return errors.New("the test runs the open model: set users to switch it to the closed one")
	case req.SpawnRate != nil:
		err = s.ctl.SetUsers(s.st.Users, *req.SpawnRate)
	}
	if err != nil {
		return err
	}
	s.showLoad(s.ctl.Load())
	return nil
}

// showLoad puts the load the engine runs into the state.
func (s *session) showLoad(l engine.Load) {
	switch l.Model {
	case engine.ModelOpen:
		s.st.Model, s.st.Rate = l.Model.String(), l.Rate
	case engine.ModelClosed:
		s.st.Model, s.st.Users, s.st.SpawnRate = l.Model.String(), l.Users, l.SpawnRate
	}
}

func ptrOr[T any](p *T, or T) T {
	if p != nil {
		return *p
	}
	return or
}

// ResetStats implements dashboard.Controller.
func (s *session) ResetStats() {
	s.mu.Lock()
	ctl := s.ctl
	s.mu.Unlock()
	if ctl != nil {
		ctl.ResetStats()
	}
}

// State implements dashboard.Controller.
func (s *session) State() dashboard.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

// errorLog prints to the terminal, once per endpoint and kind, the first
// full message of an error: the dashboard shows only kinds, counts and
// fixed descriptions, never text the target sent.
type errorLog struct {
	w    io.Writer
	mu   sync.Mutex
	seen map[[2]string]bool
}

// maxLoggedKinds bounds the terminal lines (and the memory) of errorLog.
const maxLoggedKinds = 200

// maxLoggedMessage bounds one printed message.
const maxLoggedMessage = 300

func newErrorLog(w io.Writer) *errorLog { return &errorLog{w: w, seen: map[[2]string]bool{}} }

// note prints the messages whose endpoint and kind were not seen before.
func (l *errorLog) note(msgs []engine.ErrorMessage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range msgs {
		key := [2]string{m.Endpoint, m.Kind}
		if l.seen[key] || len(l.seen) >= maxLoggedKinds {
			continue
		}
		l.seen[key] = true
		fmt.Fprintf(l.w, "dashboard: first %s error on %s: %s\n", m.Kind, m.Endpoint, printable(m.Message))
	}
}

// printable cuts a message that may quote the target and replaces
// control characters, so that it cannot steer the terminal.
func printable(s string) string {
	if len(s) > maxLoggedMessage {
		s = s[:maxLoggedMessage] + "…"
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// logErrors hands the running test's recent errors to the terminal log.
func (s *session) logErrors() {
	s.mu.Lock()
	ctl, log := s.ctl, s.errLog
	s.mu.Unlock()
	if ctl != nil && log != nil {
		log.note(ctl.Errors())
	}
}

// wait blocks until the running test (if any) has ended.
func (s *session) wait() {
	s.mu.Lock()
	done := s.done
	s.mu.Unlock()
	if done != nil {
		<-done
	}
}

// describe fills the model fields of a state from a test's phases.
func describe(st dashboard.State, phases []schedule.Phase) dashboard.State {
	for _, ph := range phases {
		switch ph.Kind {
		case schedule.Users:
			st.Model, st.Users, st.SpawnRate = "closed", ph.Users, ph.SpawnRate
			return st
		case schedule.Constant, schedule.Ramp:
			st.Model, st.Rate = "open", ph.ArrivalRate
			return st
		}
	}
	st.Model = "open"
	return st
}

// addAllowHostFlag is the one flag, on every command that serves the
// dashboard, that names the host names it answers to without a token.
func addAllowHostFlag(f *pflag.FlagSet, hosts *[]string) {
	f.StringArrayVar(hosts, "dashboard-allow-host", nil, "another host name than localhost, 127.x or [::1] that the "+
		"tokenless dashboard answers to (repeatable; others get 403, against DNS rebinding)")
}

// serveDashboard listens on addr and serves the dashboard until ctx ends.
// Off loopback a token is required; one is made up if none was given, and
// one given must be long enough not to be guessed.
func serveDashboard(ctx context.Context, io IO, addr, token string, board func(token string) http.Handler) (stop func(), err error) {
	if !dashboard.IsLoopback(addr) && token == "" {
		token = dashboard.NewToken()
	}
	if err := dashboard.CheckToken(addr, token); err != nil {
		return nil, usageError("%v", err)
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, runError(fmt.Errorf("dashboard: listen on %s: %w", addr, err))
	}
	// Event streams end with base, so that shutting down waits only for
	// the answers being written (the stop button's among them).
	base, endStreams := context.WithCancel(context.Background())
	srv := &http.Server{Handler: board(token), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return base }}
	go srv.Serve(l)
	url := "http://" + l.Addr().String() + "/"
	if token != "" {
		url += "?token=" + token
	}
	fmt.Fprintf(io.Stderr, "dashboard: %s\n", url)
	var once sync.Once
	stop = func() {
		once.Do(func() {
			endStreams()
			ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			srv.Shutdown(ctx)
			srv.Close()
		})
	}
	go func() { <-ctx.Done(); stop() }()
	return stop, nil
}

// shutdownGrace bounds how long a closing dashboard waits for answers
// (a download, say) still being written.
const shutdownGrace = 2 * time.Second
