package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// outputOptions are the flags every load-generating command shares.
type outputOptions struct {
	output        string
	quiet         bool
	monitor       string   // Prometheus endpoint of the target, scraped each second
	monitorSeries []string // which series to keep (default: all but go_/process_)
	report        string   // write the HTML report to this file ("": none)
	dashboard     string   // serve the live dashboard on this address ("" : none)
	token         string   // dashboard token (required off loopback)
	allowHosts    []string // host names the dashboard answers to without a token
	// verdicts evaluates the script's thresholds, for the report and the
	// dashboard (nil: none).
	verdicts func(*results.Results) []report.Verdict
}

func addDashboardFlags(f *pflag.FlagSet, o *outputOptions) {
	f.StringVar(&o.report, "report", o.report, "write the self-contained HTML report to this file")
	f.StringVar(&o.dashboard, "dashboard", "", "serve the live dashboard while the test runs (default address "+defaultDashboardAddr+")")
	f.Lookup("dashboard").NoOptDefVal = defaultDashboardAddr
	f.StringVar(&o.token, "dashboard-token", os.Getenv("SURGE_DASHBOARD_TOKEN"), "token the dashboard requires off loopback, at least 16 characters (default: $SURGE_DASHBOARD_TOKEN or a random one)")
	addAllowHostFlag(f, &o.allowHosts)
}

func addMonitorFlags(f *pflag.FlagSet, o *outputOptions) {
	f.StringVar(&o.monitor, "monitor", "", "scrape this Prometheus endpoint of the target every second (e.g. http://127.0.0.1:8080/metrics)")
	f.StringArrayVar(&o.monitorSeries, "monitor-series", nil, "series to keep from --monitor (metric name or exact series; repeatable)")
}

// startMonitor scrapes the target's metrics for the length of the run.
func startMonitor(ctx context.Context, out outputOptions) (*monitor.Monitor, func(), error) {
	if out.monitor == "" {
		return nil, func() {}, nil
	}
	m, err := monitor.New(monitor.Config{URL: out.monitor, Series: out.monitorSeries})
	if err != nil {
		return nil, nil, usageError("%v", err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	return m, func() { cancel(); <-done }, nil
}

// execute runs a test with live progress, then prints the summary and
// writes the results file (and report). Interrupted runs still do both.
func execute(ctx context.Context, io IO, t *engine.Test, meta results.Test, out outputOptions) (*results.Results, error) {
	if err := checkOutputs(out); err != nil {
		return nil, err
	}
	plan, err := schedule.New(t.Phases)
	if err != nil {
		return nil, usageError("%v", err)
	}
	mon, stopMonitor, err := startMonitor(ctx, out)
	if err != nil {
		return nil, err
	}
	ctx, board, stopBoard, err := attachDashboard(ctx, io, t, meta, out)
	if err != nil {
		stopMonitor()
		return nil, err
	}
	defer stopBoard()
	b := &results.Builder{Test: meta, Version: Version, Spool: true} // flat memory however long the test
	defer b.Close()
	progress := &console.Progress{W: io.Stderr, TTY: isTTY(io.Stderr), Total: plan.Length()}
	t.OnSnapshot = consumer(b, mon, board, progress, out.quiet)
	t.Abort = abortOf(ctx) // a second Ctrl-C
	res, err := engine.Run(ctx, *t)
	stopMonitor()
	monitorNotices(progress, mon, true)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return finish(io, b, res, out)
}

// consumer fans each snapshot out to the results, the dashboard and the
// terminal, with the target-side series scraped meanwhile.
func consumer(b *results.Builder, mon *monitor.Monitor, board *dashboard.Server, progress *console.Progress,
	quiet bool) func(metrics.Snapshot) {
	return func(s metrics.Snapshot) {
		var series map[string]float64
		if mon != nil {
			series = mon.Latest()
		}
		monitorNotices(progress, mon, false)
		b.AddWithMonitor(s, series)
		if board != nil {
			board.Publish(s, series)
		}
		if !quiet {
			progress.Update(s)
		}
	}
}

// monitorNotices prints what went wrong with --monitor since the last
// call (the first failed scrape, the recovery, series cut), above the
// progress line; at the end, how many scrapes failed in all.
func monitorNotices(progress *console.Progress, mon *monitor.Monitor, end bool) {
	if mon == nil {
		return
	}
	notices := mon.Notices()
	if n, last := mon.Errors(); end && n > 0 {
		notices = append(notices, fmt.Sprintf("monitor: %d scrapes failed in all (the last: %s)", n,
			strings.TrimPrefix(last.Error(), "monitor: ")))
	}
	if len(notices) == 0 {
		return
	}
	progress.Done()
	for _, n := range notices {
		fmt.Fprintln(progress.W, n)
	}
}

// finish prints the summary and writes the results and report.
func finish(io IO, b *results.Builder, res engine.Result, out outputOptions) (*results.Results, error) {
	switch {
	case res.Aborted:
		fmt.Fprintln(io.Stderr, "interrupted: stopped arrivals and cancelled requests in flight")
	case res.Interrupted:
		fmt.Fprintln(io.Stderr, "interrupted: stopped arrivals and waited for requests in flight")
	}
	r, err := b.Results()
	if err != nil {
		return nil, runError(err)
	}
	r.Test.Interrupted = res.Interrupted
	if !out.quiet {
		console.Summary(io.Stdout, r)
		console.Monitor(io.Stdout, r)
	}
	if err := writeResults(io.Stdout, out, r); err != nil {
		return r, err
	}
	var verdicts []report.Verdict
	if out.verdicts != nil {
		verdicts = out.verdicts(r)
	}
	if err := writeReport(io, out, r, verdicts); err != nil {
		return r, err
	}
	if res.Interrupted {
		return r, silentExit(ExitInterrupted)
	}
	return r, nil
}

// attachDashboard serves the dashboard for a test run from the command
// line: it shows the test and can steer or stop it. The returned context
// is cancelled by the dashboard's stop button.
func attachDashboard(ctx context.Context, io IO, t *engine.Test, meta results.Test, out outputOptions) (
	context.Context, *dashboard.Server, func(), error) {
	if out.dashboard == "" {
		return ctx, nil, func() {}, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	sess := &session{build: func(dashboard.StartRequest) (*engine.Test, dashboard.State, error) {
		return nil, dashboard.State{}, errors.New("this dashboard shows the test started by surge run; use surge ui to start tests from the page")
	}}
	stop, err := serveDashboard(ctx, io, out.dashboard, out.token, func(token string) http.Handler {
		sess.board = dashboard.New(dashboard.Config{Token: token, AllowedHosts: out.allowHosts, Target: meta.Target,
			Title: meta.Script, Version: Version, Verdicts: out.verdicts}, sess)
		return sess.board.Handler()
	})
	if err != nil {
		cancel()
		return ctx, nil, nil, err
	}
	sess.attach(t, describe(dashboard.State{Host: meta.Target, Script: meta.Script}, t.Phases), cancel)
	return ctx, sess.board, func() { sess.detach("finished"); stop(); cancel() }, nil
}

func writeResults(w io.Writer, out outputOptions, r *results.Results) error {
	if out.output == "" {
		return nil
	}
	if err := results.WriteFile(out.output, r); err != nil {
		return runError(err)
	}
	if !out.quiet {
		fmt.Fprintf(w, "results: %s\n", out.output)
	}
	return nil
}
