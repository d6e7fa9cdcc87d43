package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

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
	build builder
	board *dashboard.Server
	onEnd func(engine.Result) // optional: what to do when a test ends

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
	t.Control = s.ctl
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

// SetLoad implements dashboard.Controller.
func (s *session) SetLoad(req dashboard.LoadRequest) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.st.Running {
		return errors.New("no test is running")
	}
	if req.Rate != nil {
		if err := s.ctl.SetRate(*req.Rate); err != nil {
			return err
		}
		s.st.Rate, s.st.Model = *req.Rate, "open"
	}
	if req.Users != nil || req.SpawnRate != nil {
		users, spawn := s.st.Users, s.st.SpawnRate
		if req.Users != nil {
			users = *req.Users
		}
		if req.SpawnRate != nil {
			spawn = *req.SpawnRate
		}
		if err := s.ctl.SetUsers(users, spawn); err != nil {
			return err
		}
		s.st.Users, s.st.SpawnRate, s.st.Model = users, spawn, "closed"
	}
	return nil
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

// Errors implements dashboard.Controller.
func (s *session) Errors() []dashboard.ErrorMessage {
	s.mu.Lock()
	ctl := s.ctl
	s.mu.Unlock()
	if ctl == nil {
		return nil
	}
	var out []dashboard.ErrorMessage
	for _, e := range ctl.Errors() {
		out = append(out, dashboard.ErrorMessage(e))
	}
	return out
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
	f.StringArrayVar(hosts, "dashboard-allow-host", nil, "host name (besides localhost, 127.x and [::1]) the dashboard answers to "+
		"when it has no token, e.g. a name in /etc/hosts; others are refused against DNS rebinding (repeatable)")
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
