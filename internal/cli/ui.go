package cli

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// untilStopped is how long a dashboard test without a duration may run.
const untilStopped = 24 * time.Hour

type uiOptions struct {
	addr, token, target string
	allowHosts          []string
	allowAnyTarget      bool
	monitor             string
	monitorSeries       []string
}

func newUICmd(io IO) *cobra.Command {
	var o uiOptions
	cmd := &cobra.Command{
		Use:   "ui [SCRIPT]",
		Short: "Serve the web dashboard and start, steer and stop tests from it (like Locust)",
		Long: `Serve the live dashboard (default http://127.0.0.1:8089). Start a test from the page with
a number of users and a spawn rate (closed model) or an arrival rate (open model), change
the load while it runs, reset statistics, stop it, and download the results (JSON, CSV,
HTML report). With SCRIPT, its scenarios are run (and its phases, unless the page sets a
load); without, the host given on the page is requested with GET.

The page sends load only to the target named on the command line (-t, or the script's
target); it may change the path but not the host. To let the page choose any host, pass
--allow-any-target; without a target, one of the two is required.

Bound to any address other than loopback, the dashboard requires a token of at least 16
characters: --token, SURGE_DASHBOARD_TOKEN, or one made up and printed at start. Without a
token it answers only to loopback host names (localhost, 127.x, [::1]) and those named
with --dashboard-allow-host, so that a web page cannot reach it by DNS rebinding.`,
		Example: `  surge ui load.yml
  surge ui -t http://127.0.0.1:8080
  surge ui --allow-any-target
  surge ui --addr 0.0.0.0:8089 -t http://127.0.0.1:8080`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runUI(cmd.Context(), io, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", defaultDashboardAddr, "address the dashboard listens on")
	f.StringVar(&o.token, "token", os.Getenv("SURGE_DASHBOARD_TOKEN"), "token required off loopback, at least 16 characters (default: $SURGE_DASHBOARD_TOKEN or a random one)")
	f.StringVarP(&o.target, "target", "t", "", "host (base URL) of the tests started from the page; the page may not choose another")
	f.BoolVar(&o.allowAnyTarget, "allow-any-target", false, "let the page send load to any host it names, not only the target")
	addAllowHostFlag(f, &o.allowHosts)
	f.StringVar(&o.monitor, "monitor", "", "scrape this Prometheus endpoint of the target every second")
	f.StringArrayVar(&o.monitorSeries, "monitor-series", nil, "series to keep from --monitor (repeatable)")
	return cmd
}

func runUI(ctx context.Context, io IO, args []string, o uiOptions) error {
	// Tests started from the page print from their own goroutines.
	io.Stderr = &lockedWriter{w: io.Stderr}
	script, target, err := uiScript(args, o)
	if err != nil {
		return err
	}
	mon, stopMonitor, err := startMonitor(ctx, outputOptions{monitor: o.monitor, monitorSeries: o.monitorSeries})
	if err != nil {
		return err
	}
	defer stopMonitor()
	// A second Ctrl-C cuts a running test's grace short.
	sess := &session{errLog: newErrorLog(io.Stderr), abort: abortOf(ctx)}
	sess.build = uiBuilder(script, o.target, func(s metrics.Snapshot) {
		publish(sess.board, mon, s)
		sess.logErrors()
	})
	title := "ad-hoc"
	if script != nil {
		title = script.File
	}
	stop, err := serveDashboard(ctx, io, o.addr, o.token, func(token string) http.Handler {
		sess.board = dashboard.New(dashboard.Config{Token: token, AllowedHosts: o.allowHosts, Target: target,
			AllowAnyTarget: o.allowAnyTarget, Title: title, Version: Version}, sess)
		return sess.board.Handler()
	})
	if err != nil {
		return err
	}
	defer stop()
	<-ctx.Done()
	sess.Stop()
	sess.wait()
	return nil
}

// uiScript loads the script, if any, and finds the target the page's
// tests go to: -t, else the script's. Without one the page may choose
// only if the user said so.
func uiScript(args []string, o uiOptions) (script *scenario.Script, target string, err error) {
	if len(args) == 1 {
		if script, err = scenario.Load(args[0]); err != nil {
			return nil, "", err
		}
	}
	target = o.target
	if target == "" && script != nil {
		target = script.Config.Target
	}
	if target == "" && !o.allowAnyTarget {
		return nil, "", usageError("surge ui needs a target: -t URL (or a script with config.target), " +
			"or --allow-any-target to let the page send load to any host it names")
	}
	return script, target, nil
}

func publish(board *dashboard.Server, mon *monitor.Monitor, s metrics.Snapshot) {
	var series map[string]float64
	if mon != nil {
		series = mon.Latest()
	}
	board.Publish(s, series)
}

// uiBuilder makes the test for a Start request: the script's scenarios (or
// a GET of the host), under the load the page asked for.
func uiBuilder(script *scenario.Script, defaultHost string, onSnapshot func(metrics.Snapshot)) builder {
	return func(req dashboard.StartRequest) (*engine.Test, dashboard.State, error) {
		host := req.Host
		if host == "" {
			host = defaultHost
		}
		t, st, err := uiTest(script, host)
		if err != nil {
			return nil, st, err
		}
		if err := applyStartLoad(t, req); err != nil {
			return nil, st, err
		}
		t.OnSnapshot = onSnapshot
		return t, describe(st, t.Phases), nil
	}
}

func uiTest(script *scenario.Script, host string) (*engine.Test, dashboard.State, error) {
	st := dashboard.State{Host: host}
	if script == nil {
		u, err := url.Parse(host)
		if host == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, st, errors.New("set the host to an http(s) URL")
		}
		t := &engine.Test{Conns: engine.Shared}
		ep := t.Endpoint("GET " + cmp.Or(u.Path, "/"))
		t.Scenarios = []engine.Scenario{quickScenario("GET", u, http.Header{"User-Agent": {flow.UserAgent}}, nil, ep)}
		return t, st, nil
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
