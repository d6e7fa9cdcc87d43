package session

import (
	"context"
	"time"

	"github.com/surge-dev/surge/dashboard"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// Follower shows and judges a test whose snapshots come from elsewhere:
// a coordinator's merged seconds of shares run by other processes. It
// drives the same outputs as Run (progress line, dashboard, thresholds
// and alerts with their actions, stream, summary, results file, report);
// the results document is the caller's (the exact merge of the shares').
// The test's own metrics are not exported here: each share's process
// exports its own (Options.Prometheus there), as each pod of a job would,
// and Prometheus sums them.
type Follower struct {
	out       *outputs
	stopBoard func()
}

// Followed is a test run elsewhere, as Follow shows it.
type Followed struct {
	Phases []schedule.Phase
	Meta   results.Test
	// Endpoints are the names the seconds' per-endpoint counts follow,
	// and Plan the test's plan, both for the stream's header.
	Endpoints []string
	Plan      *results.Plan
}

// Follow sets up o's outputs for a test that runs elsewhere, writing the
// stream's header (o.Stream, or o.OpenStream's) before any load, once the
// dashboard is up. stop is called when a rule
// (abort, abortOnFail) or the dashboard's stop button asks the test to
// stop; the caller stops the processes that run it. o.Monitor is not
// scraped (the processes scrape it), o.Prometheus is not served (see
// Follower), o.StartAt and o.Tap are not used. The error is an
// *InputError when an option is wrong.
func Follow(ctx context.Context, test Followed, o Options, stop func()) (*Follower, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	plan, err := schedule.New(test.Phases)
	if err != nil {
		return nil, inputError(err)
	}
	rules, err := newRuleWatch(o, test.Endpoints)
	if err != nil {
		return nil, err
	}
	o.Verdicts = verdictsFunc(o, rules)
	live, stopBoard, err := followDashboard(ctx, test.Phases, test.Meta, o, stop)
	if err != nil {
		return nil, err
	}
	stream, err := startStream(ctx, test.Endpoints, test.Meta, test.Plan, o) // last: a port taken leaves it untouched
	if err != nil {
		stopBoard()
		return nil, err
	}
	rules.begin(ctx, stop)
	out := newOutputs(o, test.Meta, plan.Length(), nil, live, rules)
	out.results.Close()
	out.results = nil // the caller merges the document
	if stream != nil {
		out.stream, stream.notice = stream, out.notice
	}
	return &Follower{out: out, stopBoard: stopBoard}, nil
}

// Snapshot shows and judges the test at the end of one more second: s for
// the live outputs, iv the same second as the results document holds it,
// for the stream, with the target's series. A followed test's statistics
// are never reset (its dashboard has no test to reset, and the merge
// refuses a share reset on its own), so no line carries a reset.
func (f *Follower) Snapshot(s metrics.Snapshot, iv results.Interval) {
	if f.out.stream != nil {
		f.out.stream.interval(iv, time.Time{})
	}
	f.out.snapshotWith(s, iv.Monitor)
}

// Finish judges the test's document r (whose Test.Interrupted says
// whether it was stopped from outside), completes it with the rules'
// events, prints the summary and writes the results and report.
func (f *Follower) Finish(r *results.Results) (Result, error) {
	defer f.stopBoard()
	return f.out.finishDoc(Result{Results: r, Interrupted: r.Test.Interrupted})
}

// Abandon ends a followed test that produced no document.
func (f *Follower) Abandon() {
	f.out.rules.abandon()
	f.stopBoard()
}

// followDashboard serves a dashboard that shows the followed test; its
// stop button calls stop.
func followDashboard(ctx context.Context, phases []schedule.Phase, meta results.Test, o Options, stop func()) (*Live, func(), error) {
	if o.Dashboard.Addr == "" {
		return nil, func() {}, nil
	}
	token, err := dashboardToken(o.Dashboard.Addr, o.Dashboard.Token)
	if err != nil {
		return nil, nil, err
	}
	live := NewLive(LiveConfig{Dashboard: dashboard.Config{Token: token, AllowedHosts: o.Dashboard.AllowedHosts,
		Target: meta.Target, Title: meta.Script, Version: o.Version, Verdicts: o.Verdicts}})
	ctx, cancel := context.WithCancel(ctx)
	// Followed before the page is served, as attachDashboard does: a stop
	// sent as soon as the address is printed must reach the test.
	live.follow(describe(dashboard.State{Host: meta.Target, Script: meta.Script}, phases), func() { stop() })
	end, err := serve(ctx, o.Dashboard.Addr, token, live.Handler(), orDiscard(o.Notices))
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return live, func() { live.detach("finished"); end(); cancel() }, nil
}
