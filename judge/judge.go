package judge

import (
	"fmt"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/series"
	"github.com/surge-dev/surge/threshold"
)

// Rules are what a run is judged by.
type Rules struct {
	Thresholds []threshold.Threshold
	Alerts     []scenario.Alert
}

// Empty reports whether there is nothing to judge.
func (r Rules) Empty() bool { return len(r.Thresholds) == 0 && len(r.Alerts) == 0 }

// Judge follows one run's rules. Feed it the run's seconds in order.
type Judge struct {
	rules      Rules
	thresholds []*thresholdState
	alerts     []*alertState
	started    bool // the watches count periods from the run's start
	abort      *Abort
	reset      int // the first second after the last reset of the statistics; 0 without one
}

type thresholdState struct {
	t      threshold.Threshold
	eval   *threshold.Evaluator
	failed bool // an evaluation has failed
}

// New checks every rule (a statistic the metric lacks, say) and returns
// a judge of them.
func New(r Rules) (*Judge, error) {
	names := map[string]bool{}
	for _, a := range r.Alerts {
		if names[a.Name] {
			return nil, fmt.Errorf("two alerts named %q", a.Name)
		}
		names[a.Name] = true
	}
	j := &Judge{rules: r}
	if err := j.start(time.Time{}); err != nil {
		return nil, err
	}
	j.started = false
	return j, nil
}

// start builds the evaluators and the watches, whose periods begin at
// origin, the start of the run.
func (j *Judge) start(origin time.Time) error {
	j.thresholds, j.alerts = nil, nil
	for _, t := range j.rules.Thresholds {
		j.thresholds = append(j.thresholds, &thresholdState{t: t, eval: threshold.NewEvaluator(t)})
	}
	for i := range j.rules.Alerts {
		a := &j.rules.Alerts[i]
		w, err := series.NewWatch(a.Rule, a.Metric, origin)
		if err != nil {
			return fmt.Errorf("alert %q: %w", a.Name, err)
		}
		j.alerts = append(j.alerts, &alertState{spec: a, watch: w, origin: origin})
	}
	j.started = true
	return nil
}

// LatencyEndpoints names the endpoints whose latency a rule reads each
// second (series.Live.Latency): none when no rule looks at one endpoint's
// latency, which spares a pass over every endpoint's histogram a second.
func (j *Judge) LatencyEndpoints() map[string]bool { return j.endpointsOf(alert.Latency) }

// LatencyOKEndpoints is LatencyEndpoints for the latency of the requests
// that did not fail (series.Live.LatencyOK).
func (j *Judge) LatencyOKEndpoints() map[string]bool { return j.endpointsOf(alert.LatencyOK) }

// endpointsOf names the endpoints whose metric a rule reads.
func (j *Judge) endpointsOf(metric string) map[string]bool {
	out := map[string]bool{}
	for _, t := range j.rules.Thresholds {
		if t.Metric.Name == metric && t.Metric.Endpoint != "" {
			out[t.Metric.Endpoint] = true
		}
	}
	for _, a := range j.rules.Alerts {
		if a.Metric.Name == metric && !a.Metric.Series && a.Metric.Endpoint != "" {
			out[a.Metric.Endpoint] = true
		}
	}
	return out
}

// Step is what one second changed.
type Step struct {
	Transitions []Transition
	// Failing are thresholds whose evaluation failed for the first time.
	Failing []ThresholdFailure
	// Abort is set the first time a rule asks to stop the run.
	Abort *Abort
}

// ThresholdFailure is a threshold's first failed evaluation.
type ThresholdFailure struct {
	Threshold threshold.Threshold
	Check     threshold.Check
}

// Abort says which rule stopped the run, and why.
type Abort struct {
	By      string        // `alert "items-p99"`, `threshold "p(99)<300ms abortOnFail"`
	Reason  string        // the transition's reason, or the failed evaluation
	Elapsed time.Duration // when, since the start of the run
}

// Add takes the run's next second. Periods are counted from the start of
// the run: the first second's start less its index. A second marked Reset
// starts the run the thresholds judge again (see threshold.Evaluator);
// the alerts go on as they were, and count towards the verdict only what
// they do from it on, with an alarm in ALARM at the reset (see
// AlertOutcome).
func (j *Judge) Add(s series.Second) (Step, error) {
	if !j.started {
		if err := j.start(s.Start.Add(-time.Duration(s.Index) * time.Second)); err != nil {
			return Step{}, err
		}
	}
	if s.Reset {
		j.restart(s.Index)
	}
	var step Step
	if err := j.addThresholds(s, &step); err != nil {
		return step, err
	}
	if err := j.addAlerts(s, &step); err != nil {
		return step, err
	}
	if step.Abort != nil {
		if j.abort != nil {
			step.Abort = nil // asked already
		} else {
			j.abort = step.Abort
		}
	}
	return step, nil
}

// restart begins the span of a reset of the statistics at second index:
// a threshold's first failure in it is reported again, and an alert's
// alarms in it are counted from the one in progress, if any.
func (j *Judge) restart(index int) {
	j.reset = index
	for _, ts := range j.thresholds {
		ts.failed = false
	}
	for _, as := range j.alerts {
		as.alarms, as.firstAlarm = 0, nil
		if as.watch.Alarm().State() == alert.StateAlarm && as.lastAlarm != nil {
			as.alarms, as.firstAlarm = 1, as.lastAlarm
		}
	}
}

func (j *Judge) addThresholds(s series.Second, step *Step) error {
	for _, ts := range j.thresholds {
		c, ok, err := ts.eval.Add(s)
		if err != nil {
			return err
		}
		if !ok || !c.Data || c.Holds {
			continue
		}
		t := ts.t
		if !ts.failed {
			ts.failed = true
			step.Failing = append(step.Failing, ThresholdFailure{Threshold: t, Check: c})
		}
		if ts.eval.Abort() && step.Abort == nil {
			step.Abort = &Abort{By: fmt.Sprintf("threshold %q", t.Source), Reason: DescribeCheck(t, c),
				Elapsed: time.Duration(c.To+1) * time.Second}
		}
	}
	return nil
}
