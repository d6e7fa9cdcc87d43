package session

import (
	"context"
	"fmt"
	"sync"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/series"
)

// ruleWatch judges a running test's thresholds and alerts on each
// snapshot and carries out what they ask: a line for every change, the
// events for the results and the dashboard, notifications, and the stop.
type ruleWatch struct {
	judge  *judge.Judge
	live   series.Live
	notify *notifications // nil: no alert notifies
	// outer is the caller's context: a rule that fires once it is done
	// (Ctrl-C came first) does not claim the stop.
	outer context.Context
	stop  context.CancelFunc

	mu      sync.Mutex // the dashboard reads verdicts from its own goroutines
	events  []results.AlertEvent
	stopped *judge.Abort // the rule that stopped the test
	err     error        // the first error judging (a second out of order)
}

// newRuleWatch checks the rules before any load, against the endpoints
// the test records under; nil without rules.
func newRuleWatch(o Options, endpoints []string) (*ruleWatch, error) {
	rules := judge.Rules{Thresholds: o.Thresholds, Alerts: o.Alerts.Alerts}
	if rules.Empty() {
		return nil, nil
	}
	j, err := judge.New(rules)
	if err != nil {
		return nil, inputError(err)
	}
	if err := rules.CheckEndpoints(endpoints); err != nil {
		return nil, inputError(err)
	}
	n, err := newNotifications(o)
	if err != nil {
		return nil, inputError(err)
	}
	w := &ruleWatch{judge: j, notify: n}
	w.live.Latency, w.live.LatencyOK = j.LatencyEndpoints(), j.LatencyOKEndpoints()
	return w, nil
}

// begin ties the watch to the run (stop ends the test gracefully) and
// starts sending notifications. A nil watch does nothing.
func (w *ruleWatch) begin(outer context.Context, stop context.CancelFunc) {
	if w == nil {
		return
	}
	w.outer, w.stop = outer, stop
	if w.notify != nil {
		w.notify.post = newPoster()
	}
}

// abandon stops sending notifications of a test that could not run.
func (w *ruleWatch) abandon() {
	if w != nil && w.notify != nil && w.notify.post != nil {
		w.notify.post.close()
	}
}

// snapshot judges one second and returns the lines to print and the
// events for the dashboard.
func (w *ruleWatch) snapshot(s *metrics.Snapshot, monitor map[string]float64) ([]string, []results.AlertEvent) {
	sec := w.live.Second(s, monitor)
	w.mu.Lock()
	step, err := w.judge.Add(sec)
	if err != nil && w.err == nil {
		w.err = err
	}
	events := alertEvents(step.Transitions)
	w.events = append(w.events, events...)
	stopping := step.Abort != nil && w.outer.Err() == nil && w.stopped == nil
	if stopping {
		w.stopped = step.Abort
	}
	w.mu.Unlock()
	lines := judge.StepLines(step)
	if w.notify != nil {
		w.notify.transitions(step.Transitions, s.Start.Add(s.Elapsed))
		lines = append(lines, w.notify.post.drain()...)
	}
	if stopping {
		lines = append(lines, fmt.Sprintf("stopping the test: %s (%s)", step.Abort.By, step.Abort.Reason))
		w.stop()
	}
	return lines, events
}

// alertEvents are transitions as the results file keeps them.
func alertEvents(trs []judge.Transition) []results.AlertEvent {
	var out []results.AlertEvent
	for _, t := range trs {
		ev := results.AlertEvent{At: t.At, T: t.Elapsed.Seconds(), Alert: t.Alert.Name,
			From: t.From.String(), To: t.To.String(), Reason: t.Reason}
		if t.HasValue {
			v := t.Value
			if t.Alert.Rule.Unit == alert.Fraction {
				v *= 100 // rates are percentages in the results
			}
			ev.Value, ev.Unit = &v, unitNames[t.Alert.Rule.Unit]
		}
		out = append(out, ev)
	}
	return out
}

// unitNames write alert units in the results.
var unitNames = map[alert.Unit]string{alert.Millis: "ms", alert.Fraction: "%", alert.PerSecond: "/s"}

// finish resolves what still fires and completes the results with the
// rules' events; the outcome is the rules' verdict, the lines what to say
// about the notifications.
func (w *ruleWatch) finish(r *results.Results) (judge.Outcome, []string, error) {
	var lines []string
	if w.notify != nil {
		lines = w.notify.finish(r.Test.Ended)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return judge.Outcome{}, lines, w.err
	}
	r.Alerts = w.events
	if w.stopped != nil {
		r.Test.AbortedBy = w.stopped.By
	}
	o, err := w.judge.Outcome()
	o.Abort = w.stopped
	return o, lines, err
}

// verdicts are the rules' verdicts so far, for the report and the
// dashboard.
func (w *ruleWatch) verdicts() []report.Verdict {
	w.mu.Lock()
	o, err := w.judge.Outcome()
	w.mu.Unlock()
	if err != nil {
		return nil
	}
	return reportVerdicts(o)
}
