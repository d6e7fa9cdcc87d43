package judge

import (
	"strconv"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/series"
)

// Transition is a change of state of one alert.
type Transition struct {
	Alert *scenario.Alert
	alert.Transition
	Elapsed time.Duration // At, since the start of the run
	// Value is the datapoint of the period that just ended, in the
	// metric's unit (see alert.Unit); HasValue is false when that period
	// had none.
	Value    float64
	HasValue bool
}

type alertState struct {
	spec       *scenario.Alert
	watch      *series.Watch
	origin     time.Time
	alarms     int         // times it entered ALARM (since the last reset: see Judge.restart)
	firstAlarm *Transition // the first time it did
	lastAlarm  *Transition // the last time it did
}

func (j *Judge) addAlerts(s series.Second, step *Step) error {
	for _, as := range j.alerts {
		trs, err := as.watch.Add(s)
		if err != nil {
			return err
		}
		for _, tr := range trs {
			t := as.transition(tr)
			step.Transitions = append(step.Transitions, t)
			if t.To == alert.StateAlarm && Has(as.spec, scenario.ActionAbort) && step.Abort == nil {
				step.Abort = &Abort{By: "alert " + strconv.Quote(as.spec.Name), Reason: t.Reason, Elapsed: t.Elapsed}
			}
		}
	}
	return nil
}

// transition completes and records one change of state.
func (as *alertState) transition(tr alert.Transition) Transition {
	t := Transition{Alert: as.spec, Transition: tr, Elapsed: tr.At.Sub(as.origin)}
	// The datapoint belongs to this transition if its period ends then (a
	// skipped second can close two periods at once).
	if d, ok := as.watch.Last(); ok && d.Time.Add(as.spec.Rule.Period).Equal(tr.At) {
		t.Value, t.HasValue = d.Value, true
	}
	if tr.To == alert.StateAlarm {
		as.alarms++
		entered := t
		as.lastAlarm = &entered
		if as.firstAlarm == nil {
			as.firstAlarm = &entered
		}
	}
	return t
}

// Has reports whether an alert takes an action of kind.
func Has(a *scenario.Alert, kind string) bool {
	for _, act := range a.Actions {
		if act.Kind == kind {
			return true
		}
	}
	return false
}

// Fails reports whether an alert in ALARM fails the run: it aborts it or
// marks it failed.
func Fails(a *scenario.Alert) bool {
	return Has(a, scenario.ActionFail) || Has(a, scenario.ActionAbort)
}
