package judge

import (
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/threshold"
)

// Outcome is what the rules say of the run once it is over.
type Outcome struct {
	Thresholds []threshold.Verdict
	Alerts     []AlertOutcome
	// Abort is the rule that stopped the run, if one did.
	Abort *Abort
}

// AlertOutcome is one alert over the run.
type AlertOutcome struct {
	Alert *scenario.Alert
	State alert.State // at the end
	// Alarms counts the times it entered ALARM; FirstAlarm is the first.
	Alarms     int
	FirstAlarm *Transition
	// Last is the newest datapoint, in the metric's unit; HasLast is
	// false when the last period had none or no period ended.
	Last    float64
	HasLast bool
	// Reset says the statistics were reset during the run, Since (from
	// the start) when the last reset took effect. The alert's state and
	// periods go on across a reset, but Alarms and FirstAlarm count from
	// it, as every other figure of the run does: an alarm in ALARM at the
	// reset counts (it is the first, though it began before), one that
	// began and ended before the reset does not.
	Reset bool
	Since time.Duration
}

// Failed reports whether the alert failed the run: it entered ALARM and
// marks the run failed or aborts it.
func (a AlertOutcome) Failed() bool { return a.Alarms > 0 && Fails(a.Alert) }

// Outcome judges the run as fed so far.
func (j *Judge) Outcome() (Outcome, error) {
	out := Outcome{Abort: j.abort}
	for _, ts := range j.thresholds {
		v, err := ts.eval.Verdict()
		if err != nil {
			return Outcome{}, err
		}
		out.Thresholds = append(out.Thresholds, v)
	}
	for _, as := range j.alerts {
		o := AlertOutcome{Alert: as.spec, State: as.watch.Alarm().State(), Alarms: as.alarms, FirstAlarm: as.firstAlarm,
			Reset: j.reset > 0, Since: time.Duration(j.reset) * time.Second}
		if d, ok := as.watch.Last(); ok {
			o.Last, o.HasLast = d.Value, true
		}
		out.Alerts = append(out.Alerts, o)
	}
	return out, nil
}

// Failed reports whether the rules fail the run: a threshold failed, an
// alert that fails the run entered ALARM, or a rule stopped it.
func (o Outcome) Failed() bool {
	if o.Abort != nil {
		return true
	}
	for _, v := range o.Thresholds {
		if !v.Passed && !v.NoData {
			return true
		}
	}
	for _, a := range o.Alerts {
		if a.Failed() {
			return true
		}
	}
	return false
}
