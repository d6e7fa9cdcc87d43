package alert

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Datapoint is one period's statistic.
type Datapoint struct {
	Time    time.Time // any instant inside the period it summarises (its start, usually)
	Value   float64
	Samples int64 // how many values the statistic summarised (the low-sample rule of percentiles)
}

// Transition is a change of state, the only thing CloudWatch acts on.
type Transition struct {
	At       time.Time // the end of the period whose evaluation changed the state
	From, To State
	Reason   string
	Decision Decision
}

// Alarm applies a rule at every period boundary. Periods are counted
// from an origin (the start of the test), and only datapoints after it
// exist: an alarm starts as CloudWatch's does on a metric with no
// history, in INSUFFICIENT_DATA with every earlier period missing.
type Alarm struct {
	rule   Rule
	origin time.Time
	state  State
	points map[int64]Datapoint // by period index, only inside a range still to be evaluated
	next   int64               // the period whose end is the next evaluation
	last   Decision
}

// NewAlarm returns an alarm in INSUFFICIENT_DATA whose first period
// starts at origin.
func NewAlarm(r Rule, origin time.Time) (*Alarm, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &Alarm{rule: r, origin: origin, points: map[int64]Datapoint{}}, nil
}

// Rule is the alarm's rule.
func (a *Alarm) Rule() Rule { return a.rule }

// State is the alarm's current state.
func (a *Alarm) State() State { return a.state }

// Last is the decision of the latest evaluation.
func (a *Alarm) Last() Decision { return a.last }

// Add records the datapoint of the period that contains p.Time,
// replacing any earlier one for that period. A datapoint may arrive late:
// later evaluations include it while its period is within their range, as
// CloudWatch's do; one too old for any is dropped.
func (a *Alarm) Add(p Datapoint) error {
	if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
		return fmt.Errorf("datapoint at %v: value %v is not a finite number", p.Time, p.Value)
	}
	if p.Time.Before(a.origin) {
		return errors.New("datapoint before the alarm's origin")
	}
	i := int64(p.Time.Sub(a.origin) / a.rule.Period)
	if i > a.next-int64(a.rule.Range()) {
		a.points[i] = p
	}
	return nil
}

// Advance evaluates the alarm at every period boundary up to now that it
// has not evaluated yet, oldest first, and returns the changes of state.
// Add a period's datapoint before advancing past its end.
func (a *Alarm) Advance(now time.Time) []Transition {
	var out []Transition
	for !a.end(a.next).After(now) {
		if t, changed := a.evaluate(a.next); changed {
			out = append(out, t)
		}
		a.next++
		delete(a.points, a.next-int64(a.rule.Range()))
	}
	return out
}

func (a *Alarm) end(i int64) time.Time {
	return a.origin.Add(time.Duration(i+1) * a.rule.Period)
}

// evaluate decides at the end of period i.
func (a *Alarm) evaluate(i int64) (Transition, bool) {
	rng := int64(a.rule.Range())
	points := make([]Point, rng)
	values := make([]string, rng)
	for k := range rng {
		p, ok := a.points[i-rng+1+k]
		points[k], values[k] = NoData, "-"
		if ok {
			points[k], values[k] = Within, FormatValue(a.rule.Unit, p.Value)
			if a.rule.Comparison.Breaches(p.Value, a.rule.Threshold) {
				points[k] = Breach
			}
		}
	}
	d := a.rule.Evaluate(points, a.state)
	if newest, ok := a.points[i]; ok && a.lowSample(newest) {
		d = Decision{State: a.state, Kept: true, LowSample: true}
	}
	a.last = d
	if d.State == a.state {
		return Transition{}, false
	}
	t := Transition{At: a.end(i), From: a.state, To: d.State, Decision: d, Reason: a.reason(d, values)}
	a.state = d.State
	return t, true
}

// lowSample reports a percentile datapoint the rule ignores for its
// sample size.
func (a *Alarm) lowSample(p Datapoint) bool {
	return a.rule.LowSample == IgnoreLowSample && p.Samples < a.rule.Statistic.MinSamples()
}

// reason says why the state changed, in the manner of CloudWatch's
// StateReason: the datapoints, the count and the rule.
func (a *Alarm) reason(d Decision, values []string) string {
	r := a.rule
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d datapoints evaluated were %s %s (%d of %d to alarm)",
		d.Breaching, d.Evaluated, r.Comparison.describe(), FormatValue(r.Unit, r.Threshold), r.M(), r.EvaluationPeriods)
	if d.Filled > 0 {
		fmt.Fprintf(&b, ", %d missing treated as %v", d.Filled, r.TreatMissing)
	}
	switch {
	case d.Premature:
		b.WriteString(", the oldest real datapoint breaching and none since within the threshold")
	case d.State == StateInsufficientData && d.Evaluated == 0:
		b.WriteString(", no datapoint in the evaluation range")
	case d.State == StateInsufficientData:
		b.WriteString(", too few datapoints to decide")
	}
	fmt.Fprintf(&b, "; last %d periods of %v, oldest first: [%s]", len(values), r.Period, strings.Join(values, " "))
	return b.String()
}
