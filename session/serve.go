package session

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// shutdownGrace bounds how long a closing dashboard waits for answers
// (a download, say) still being written.
const shutdownGrace = 2 * time.Second

// attachDashboard serves a dashboard showing t, which Run runs: the page
// can steer it, and its stop button cancels the returned context.
func attachDashboard(ctx context.Context, t *engine.Test, meta results.Test, o Options) (
	context.Context, *Live, func(), error) {
	if o.Dashboard.Addr == "" {
		return ctx, nil, func() {}, nil
	}
	token, err := dashboardToken(o.Dashboard.Addr, o.Dashboard.Token)
	if err != nil {
		return ctx, nil, nil, err
	}
	live := NewLive(LiveConfig{Dashboard: dashboard.Config{Token: token, AllowedHosts: o.Dashboard.AllowedHosts,
		Target: meta.Target, Title: meta.Script, Version: o.Version, Verdicts: o.Verdicts}})
	ctx, cancel := context.WithCancel(ctx)
	// Attached before the page is served: a stop sent as soon as the
	// address is printed must reach the test, not a dashboard without one.
	live.attach(t, describe(dashboard.State{Host: meta.Target, Script: meta.Script}, t.Phases), cancel)
	stop, err := serve(ctx, o.Dashboard.Addr, token, live.Handler(), orDiscard(o.Notices))
	if err != nil {
		cancel()
		return ctx, nil, nil, err
	}
	return ctx, live, func() { live.detach("finished"); stop(); cancel() }, nil
}

// dashboardToken is the token a dashboard on addr requires: off loopback
// one is made up if none was given, and one given must be long enough
// not to be guessed.
func dashboardToken(addr, token string) (string, error) {
	if !dashboard.IsLoopback(addr) && token == "" {
		token = dashboard.NewToken()
	}
	if err := dashboard.CheckToken(addr, token); err != nil {
		return "", inputError(err)
	}
	return token, nil
}

// serve listens on addr and serves h until ctx ends or stop is called,
// and says on notices where (with the token, to open the page in one
// click).
func serve(ctx context.Context, addr, token string, h http.Handler, notices io.Writer) (stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dashboard: listen on %s: %w", addr, err)
	}
	// Event streams end with base, so that shutting down waits only for
	// the answers being written (the stop button's among them).
	base, endStreams := context.WithCancel(context.Background())
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return base }}
	go srv.Serve(l)
	url := "http://" + l.Addr().String() + "/"
	if token != "" {
		url += "?token=" + token
	}
	fmt.Fprintf(notices, "dashboard: %s\n", url)
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
