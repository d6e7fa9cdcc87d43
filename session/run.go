package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/threshold"
)

// Options say what a run produces besides its results document. The zero
// value runs the test and shows nothing.
type Options struct {
	// Progress receives a line a second while the test runs (nil: none);
	// Terminal redraws that line in place instead of printing a new one
	// every few seconds.
	Progress io.Writer
	Terminal bool
	// Summary receives the summary, the target's series and the names of
	// the files written (nil: none).
	Summary io.Writer
	// Notices receives what should be said whatever else is shown: how an
	// interrupted run ended, what went wrong with the monitor, the
	// dashboard's address (nil: none).
	Notices io.Writer
	// ResultsFile is where the results document is written ("": nowhere).
	ResultsFile string
	// ReportFile is where the HTML report is written ("": nowhere).
	ReportFile string
	// Monitor scrapes the target's Prometheus endpoint while the test
	// runs; its series go into the results and the dashboard (URL "":
	// none).
	Monitor monitor.Config
	// Dashboard serves the live dashboard while the test runs; it shows
	// the test and can steer or stop it (Addr "": none).
	Dashboard Dashboard
	// Verdicts evaluates the test's checks (ensure) for the report and the
	// dashboard (nil: none); the verdicts of Thresholds and Alerts follow.
	Verdicts func(*results.Results) []report.Verdict
	// Thresholds are judged every second while the test runs (package
	// threshold); one with abortOnFail stops the test.
	Thresholds []threshold.Threshold
	// Alerts are alarms judged at the end of each of their periods, and
	// the notifiers their notify actions post to. Their changes of state
	// go to Notices (print), the results, the dashboard and the report;
	// fail marks the run failed, abort stops the test gracefully.
	Alerts scenario.Alerts
	// RepostEvery is how often an alert that fires is posted again to an
	// Alertmanager (0: DefaultRepostEvery).
	RepostEvery time.Duration
	// Abort, when closed, stops the test and cancels its requests in
	// flight at once (the CLI closes it on a second Ctrl-C).
	Abort <-chan struct{}
	// Version is written into the results and the dashboard's downloads.
	Version string
	// StartAt is when the test starts (zero: at once): Run sets up its
	// outputs and the engine readies its pool first (engine.Test.StartAt),
	// then the clock starts then, so that the shares of a distributed test
	// start together.
	StartAt time.Time
	// Tap receives every snapshot after the outputs, with the target's
	// series scraped meanwhile (nil: none); a worker streams them to its
	// coordinator. It is called from the test's snapshot goroutine and
	// must return quickly.
	Tap func(metrics.Snapshot, map[string]float64)
	// Stream receives the results as the test goes (package results'
	// StreamWriter: a header before any load, a line per second, the
	// document at the end), each line in one Write (nil: none). Give it
	// the file itself, not a buffer, so that a killed run loses at most
	// its last second; results.CreateStream opens one safely.
	Stream io.Writer
	// OpenStream, when set, opens the stream in place of Stream, once
	// every other output that can fail before the load is up (the
	// dashboard's and Prometheus's listeners, the monitor), so that a run
	// that fails there leaves the file as it was; the caller closes it.
	// A wait it makes (results.OpenStream's for a FIFO's reader) must end
	// when ctx does: Run then returns a *StoppedError.
	OpenStream func(ctx context.Context) (io.Writer, error)
	// Prometheus serves the test's metrics for scraping and pushes them
	// with remote write (zero: neither).
	Prometheus Prometheus
}

// Dashboard says where and to whom a dashboard answers.
type Dashboard struct {
	// Addr is the address it listens on ("": no dashboard).
	Addr string
	// Token is required on every request; off loopback one is required,
	// and made up (and printed to Notices) when empty.
	Token string
	// AllowedHosts are host names besides loopback ones it answers to
	// without a token (see dashboard.Config).
	AllowedHosts []string
}

// Result is a finished run: its results document and how it ended.
type Result struct {
	Results *results.Results
	// Interrupted: the context was cancelled (Ctrl-C, the dashboard's
	// stop button) or Abort closed before the plan finished.
	Interrupted bool
	// Aborted: requests in flight were cancelled at once through Abort.
	Aborted bool
	// Rules is the verdict of the thresholds and alerts; Rules.Abort names
	// the rule that stopped the test (then Interrupted is false).
	Rules judge.Outcome
}

// InputError is a test or an option that cannot run, found before any
// load was sent.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputError(err error) error { return &InputError{Err: err} }

// StoppedError is a run interrupted (its context ended) while it was
// still setting up, before any load: waiting for the stream's reader.
type StoppedError struct{ Err error }

func (e *StoppedError) Error() string { return e.Err.Error() + " (no load was sent)" }
func (e *StoppedError) Unwrap() error { return e.Err }

// Run runs t with the outputs o asks for and returns its results. It sets
// t's OnSnapshot and Abort (and its Control with a dashboard). An
// interrupted run (ctx cancelled) still produces its summary, results
// file and report; Result says how it ended. The error is an *InputError
// when nothing was sent; otherwise the test ran and an output failed, and
// Result holds what was measured when it can.
func Run(ctx context.Context, t *engine.Test, meta results.Test, o Options) (Result, error) {
	if err := o.check(); err != nil {
		return Result{}, err
	}
	if meta.ExpectStatus == "" { // every view names the definition of a failure
		meta.ExpectStatus = t.Expected().String()
	}
	plan, err := schedule.New(t.Phases)
	if err != nil {
		return Result{}, inputError(err)
	}
	rules, err := newRuleWatch(o, recordedEndpoints(t))
	if err != nil {
		return Result{}, err
	}
	planInfo := planOf(t, plan)
	prom, err := startExports(meta, o)
	if err != nil {
		return Result{}, err
	}
	defer prom.stop(ctx) // last, after the results are written: it may wait for a scrape
	mon, stopMonitor, err := startMonitor(ctx, o.Monitor)
	if err != nil {
		return Result{}, err
	}
	o.Verdicts = verdictsFunc(o, rules)
	ctx, live, stopBoard, err := attachDashboard(ctx, t, meta, o)
	if err != nil {
		stopMonitor()
		return Result{}, err
	}
	defer stopBoard()
	stream, err := startStream(ctx, recordedEndpoints(t), meta, planInfo, o) // last: nothing else can fail before the load
	if err != nil {
		stopMonitor()
		return Result{}, err
	}
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	rules.begin(ctx, stopRun)
	out := newOutputs(o, meta, plannedLength(t, plan), mon, live, rules)
	out.plan = planInfo
	out.setStream(stream)
	out.setPrometheus(prom)
	defer out.results.Close()
	t.OnSnapshot, t.Abort, t.StartAt = out.snapshot, o.Abort, o.StartAt
	res, err := engine.Run(runCtx, *t)
	if errors.Is(err, engine.ErrNotStarted) {
		stopMonitor()
		rules.abandon()
		return Result{}, err
	}
	prom.ran(ctx)
	stopMonitor()
	out.monitorNotices(true)
	if err != nil {
		rules.abandon()
		return Result{}, inputError(err)
	}
	return out.finish(res)
}

// plannedLength is the length the progress line counts down to: none
// when a request budget (MaxRequests) may end the test before its plan.
func plannedLength(t *engine.Test, plan *schedule.Plan) time.Duration {
	if t.MaxRequests > 0 {
		return 0
	}
	return plan.Length()
}

// startExports starts serving and pushing to Prometheus, before any load
// (and before the stream is opened: a port taken leaves it untouched).
func startExports(meta results.Test, o Options) (*promOut, error) {
	prom, err := startPrometheus(meta, o)
	if err != nil {
		return nil, err
	}
	if a := prom.Addr(); a != "" {
		fmt.Fprintf(orDiscard(o.Notices), "prometheus: metrics at http://%s/metrics\n", a)
	}
	return prom, nil
}

// planOf identifies the test's plan and share in its results, for
// surge merge.
func planOf(t *engine.Test, plan *schedule.Plan) *results.Plan {
	seg := t.Segment
	if seg == nil {
		seg = schedule.Whole()
	}
	return &results.Plan{SHA256: t.PlanHash(), Arrivals: plan.Arrivals(), Sequence: seg.Sequence().String(),
		Segment: seg.String(), Seed: t.Seed}
}

// check refuses, before any load, a monitor URL that is not one and an
// output file that cannot be written (rather than failing at the end and
// losing what was measured).
func (o Options) check() error {
	if o.Monitor.URL != "" {
		if _, err := monitor.New(o.Monitor); err != nil {
			return inputError(err)
		}
	}
	if err := checkPrometheus(o.Prometheus); err != nil {
		return err
	}
	for _, out := range []struct{ what, path string }{{"results file", o.ResultsFile}, {"report", o.ReportFile}} {
		if out.path == "" {
			continue
		}
		if err := results.CheckWritable(out.path); err != nil {
			return inputError(fmt.Errorf("%s: %w", out.what, err))
		}
	}
	return nil
}

// startMonitor scrapes the target's metrics for the length of the run.
func startMonitor(ctx context.Context, cfg monitor.Config) (*monitor.Monitor, func(), error) {
	if cfg.URL == "" {
		return nil, func() {}, nil
	}
	m, err := monitor.New(cfg)
	if err != nil {
		return nil, nil, inputError(err)
	}
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	return m, func() { cancel(); <-done }, nil
}
