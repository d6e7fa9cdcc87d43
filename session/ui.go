package session

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// untilStopped is how long a test started from the page without a
// duration may run.
const untilStopped = 24 * time.Hour

// UI is a dashboard that starts, steers and stops tests from the page,
// as Locust's does (surge ui).
type UI struct {
	Dashboard Dashboard
	// Target is the base URL of the tests started from the page ("": the
	// script's config.target). The page may change the path but not the
	// host, unless AllowAnyTarget; one of the two is required.
	Target         string
	AllowAnyTarget bool
	// Form pre-fills the page's start form (surge ui's -u, --spawn-rate,
	// -r and -d); the page sends what the form holds.
	Form dashboard.StartRequest
	// Script is what the page's tests run: its scenarios, and its phases
	// unless the page sets a load (nil: a GET of the host).
	Script *scenario.Script
	// Monitor scrapes the target's Prometheus endpoint for as long as the
	// dashboard serves (URL "": none).
	Monitor monitor.Config
	// Notices receives the dashboard's address and the first message of
	// each kind of error the tests meet (nil: none).
	Notices io.Writer
	// Abort, when closed, cancels a running test's requests at once.
	Abort <-chan struct{}
	// Version is written into the dashboard's downloads.
	Version string
}

// ServeUI serves the dashboard until ctx ends, then stops the test
// running (if any) and waits for it.
func ServeUI(ctx context.Context, u UI) error {
	target, err := pageTarget(u)
	if err != nil {
		return err
	}
	notices := &lockedWriter{w: orDiscard(u.Notices)} // tests started from the page print from their goroutines
	mon, stopMonitor, err := startMonitor(ctx, u.Monitor)
	if err != nil {
		return err
	}
	defer stopMonitor()
	token, err := dashboardToken(u.Dashboard.Addr, u.Dashboard.Token)
	if err != nil {
		return err
	}
	live := NewLive(LiveConfig{Dashboard: dashboard.Config{Token: token, AllowedHosts: u.Dashboard.AllowedHosts,
		Target: target, AllowAnyTarget: u.AllowAnyTarget, Title: title(u.Script), Version: u.Version, Form: u.Form},
		Build: scriptBuilder(u.Script, u.Target), Monitor: mon, ErrorLog: notices, Abort: u.Abort})
	stop, err := serve(ctx, u.Dashboard.Addr, token, live.Handler(), notices)
	if err != nil {
		return err
	}
	defer stop()
	<-ctx.Done()
	live.Stop()
	live.Wait()
	return nil
}

// pageTarget is the host the page's tests go to: Target, else the
// script's. Without one the page may choose only if allowed to.
func pageTarget(u UI) (string, error) {
	target := u.Target
	if target == "" && u.Script != nil {
		target = u.Script.Config.Target
	}
	if target == "" && !u.AllowAnyTarget {
		return "", inputError(errors.New("a dashboard that starts tests needs a target (or AllowAnyTarget)"))
	}
	return target, nil
}

func title(script *scenario.Script) string {
	if script == nil {
		return "ad-hoc"
	}
	return script.File
}

// scriptBuilder makes the test for a Start request: the script's
// scenarios (or a GET of the host), under the load the page asked for.
func scriptBuilder(script *scenario.Script, defaultHost string) Builder {
	return func(req dashboard.StartRequest) (*engine.Test, dashboard.State, error) {
		host := req.Host
		if host == "" {
			host = defaultHost
		}
		t, st, err := pageTest(script, host)
		if err != nil {
			return nil, st, err
		}
		if err := applyStartLoad(t, req); err != nil {
			return nil, st, err
		}
		return t, describe(st, t.Phases), nil
	}
}

// pageTest is the script compiled against host, or without a script a
// GET of host.
func pageTest(script *scenario.Script, host string) (*engine.Test, dashboard.State, error) {
	st := dashboard.State{Host: host}
	if script == nil {
		u, err := url.Parse(host)
		if host == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, st, errors.New("set the host to an http(s) URL")
		}
		t, err := OneRequest(http.MethodGet, host, http.Header{"User-Agent": {flow.UserAgent}}, nil)
		return t, st, err
	}
	st.Script = script.File
	if st.Host == "" {
		st.Host = script.Config.Target
	}
	t, err := flow.Compile(script, flow.Options{Target: host})
	return t, st, err
}

// applyStartLoad replaces the phases by the load asked for on the page.
func applyStartLoad(t *engine.Test, req dashboard.StartRequest) error {
	d, err := req.Length()
	if err != nil {
		return err
	}
	if d == 0 {
		d = untilStopped
	}
	switch {
	case req.Users > 0 && req.Rate > 0:
		return errors.New("set users (closed model) or an arrival rate (open model), not both")
	case req.Users > 0:
		t.Phases = []schedule.Phase{{Kind: schedule.Users, Users: req.Users, SpawnRate: req.SpawnRate, Duration: d}}
	case req.Rate > 0:
		t.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: req.Rate, Duration: d}}
	case len(t.Phases) == 0:
		t.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 10, Duration: d}}
	}
	return nil
}
