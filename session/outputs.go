package session

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// outputs are the consumers of one run's snapshots.
type outputs struct {
	opts     Options
	progress *console.Progress // nil: no progress line
	notices  io.Writer
	monitor  *monitor.Monitor // nil: no monitor
	live     *Live            // nil: no dashboard
	rules    *ruleWatch       // nil: no thresholds or alerts
	results  *results.Builder
	plan     *results.Plan // the test's plan and share, written into the results
	stream   *streamOut    // nil: no stream
	prom     *promOut      // nil: no Prometheus export
	gen      generatorWatch
}

func newOutputs(o Options, meta results.Test, length time.Duration, mon *monitor.Monitor, live *Live, rules *ruleWatch) *outputs {
	out := &outputs{opts: o, notices: orDiscard(o.Notices), monitor: mon, live: live, rules: rules,
		// Spooled: memory stays flat however long the test.
		results: &results.Builder{Test: meta, Version: o.Version, Spool: true}}
	if o.Progress != nil {
		out.progress = &console.Progress{W: o.Progress, TTY: o.Terminal, Total: length}
	}
	return out
}

// setStream sends each interval to the stream as the results take it.
func (o *outputs) setStream(s *streamOut) {
	if s == nil {
		return
	}
	o.stream, s.notice = s, o.notice
	o.results.OnInterval = s.interval
}

func orDiscard(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return w
}

// snapshot fans a snapshot out to the results, the rules, the dashboard
// and the progress line, with the target-side series scraped meanwhile.
func (o *outputs) snapshot(s metrics.Snapshot) {
	series := targetSeries(o.monitor, s.Final)
	o.monitorNotices(false)
	o.snapshotWith(s, series)
}

// snapshotWith fans a snapshot out with the target's series given.
func (o *outputs) snapshotWith(s metrics.Snapshot, series map[string]float64) {
	if o.prom != nil {
		o.notice(o.prom.snapshot(&s)...)
	}
	if o.results != nil {
		o.results.AddWithMonitor(s, series)
	}
	if !s.Final {
		o.notice(o.gen.snapshot(&s)...)
	}
	if o.rules != nil {
		lines, events := o.rules.snapshot(&s, series)
		o.notice(lines...)
		if o.live != nil {
			o.live.alerts(events)
		}
	}
	if o.live != nil {
		o.live.publish(s, series)
	}
	if o.progress != nil {
		o.progress.Update(s)
	}
	if o.opts.Tap != nil {
		o.opts.Tap(s, series)
	}
}

// setPrometheus feeds the exporter each snapshot and says what goes
// wrong below the progress line.
func (o *outputs) setPrometheus(p *promOut) {
	if p != nil {
		o.prom, p.say = p, o.notice
	}
}

// monitorNotices says what went wrong with the monitor since the last
// call (the first failed scrape, the recovery, series cut), below the
// progress line; at the end, how many scrapes failed in all.
func (o *outputs) monitorNotices(end bool) {
	if o.monitor == nil {
		return
	}
	notices := o.monitor.Notices()
	if n, last := o.monitor.Errors(); end && n > 0 {
		notices = append(notices, fmt.Sprintf("monitor: %d scrapes failed in all (the last: %s)", n,
			strings.TrimPrefix(last.Error(), "monitor: ")))
	}
	o.notice(notices...)
}

// notice prints lines below the progress line.
func (o *outputs) notice(lines ...string) {
	if len(lines) == 0 {
		return
	}
	if o.progress != nil {
		o.progress.Done()
	}
	for _, l := range lines {
		fmt.Fprintln(o.notices, l)
	}
}

// finish says how the run ended, judges it, prints the summary and
// writes the results and report.
func (o *outputs) finish(res engine.Result) (Result, error) {
	r, err := o.results.Results()
	if err != nil {
		return Result{}, err
	}
	r.Test.Interrupted = res.Interrupted
	r.Test.StoppedBy = res.StoppedBy
	r.Plan = o.plan
	if o.live != nil {
		r.LoadChanges = o.live.loadChanges(r.Test.Started)
	}
	return o.finishDoc(Result{Results: r, Interrupted: res.Interrupted, Aborted: res.Aborted})
}

// finishDoc judges the document of a run that ended as done says,
// prints the summary and writes the results and report.
func (o *outputs) finishDoc(done Result) (Result, error) {
	r := done.Results
	var err error
	if o.rules != nil {
		var lines []string
		done.Rules, lines, err = o.rules.finish(r)
		o.notice(lines...)
		if err != nil {
			return done, err
		}
	}
	o.noticeEnd(done)
	if done.Rules.Abort != nil {
		done.Interrupted = false // stopped by a rule, not from outside
	}
	if w := o.opts.Summary; w != nil {
		console.Summary(w, r)
		console.Monitor(w, r)
	}
	var streamErr error
	if o.stream != nil {
		streamErr = o.stream.end(r)
	}
	if err := o.writeResults(r); err != nil {
		return done, err
	}
	if err := o.writeReport(r); err != nil {
		return done, err
	}
	return done, streamErr
}

// noticeEnd says how a test that did not run to its end stopped.
func (o *outputs) noticeEnd(done Result) {
	how := "waited for requests in flight"
	if done.Aborted {
		how = "cancelled requests in flight"
	}
	switch {
	case done.Rules.Abort != nil:
		o.notice(fmt.Sprintf("stopped by %s at %s: stopped arrivals and %s", done.Rules.Abort.By,
			done.Rules.Abort.Elapsed, how))
	case done.Interrupted:
		o.notice("interrupted: stopped arrivals and " + how)
	case done.Results.Test.StoppedBy != "":
		o.notice("stopped by " + done.Results.Test.StoppedBy + ": stopped arrivals and waited for requests in flight")
	}
}

func (o *outputs) writeResults(r *results.Results) error {
	if o.opts.ResultsFile == "" {
		return nil
	}
	if err := results.WriteFile(o.opts.ResultsFile, r); err != nil {
		return err
	}
	if o.opts.Summary != nil {
		fmt.Fprintf(o.opts.Summary, "results: %s\n", o.opts.ResultsFile)
	}
	return nil
}

func (o *outputs) writeReport(r *results.Results) error {
	if o.opts.ReportFile == "" {
		return nil
	}
	var verdicts []report.Verdict
	if o.opts.Verdicts != nil {
		verdicts = o.opts.Verdicts(r)
	}
	if err := report.WriteFile(o.opts.ReportFile, r, report.Options{Verdicts: verdicts}); err != nil {
		return err
	}
	if o.opts.Summary != nil {
		fmt.Fprintf(o.opts.Summary, "report: %s\n", o.opts.ReportFile)
	}
	return nil
}

// targetSeries is what the monitor read of the target for a snapshot
// (nil without a monitor): for the final one it scrapes once more, so the
// target's counts run to the end of the test, not to the last tick.
func targetSeries(m *monitor.Monitor, final bool) map[string]float64 {
	switch {
	case m == nil:
		return nil
	case final:
		return m.Final(context.Background())
	}
	return m.Latest()
}
