package series

import (
	"fmt"
	"time"

	"github.com/surge-dev/surge/alert"
)

// Watch is an alarm on a metric of a run: it cuts the run's seconds into
// the rule's periods, computes the rule's statistic over each period and
// feeds the datapoint to an [alert.Alarm], which it advances at each
// period's end. Periods are counted in whole seconds from the start of
// the run (Second.Index), so their boundaries do not drift with the
// moment each second was closed.
type Watch struct {
	metric  alert.Metric
	alarm   *alert.Alarm
	origin  time.Time
	perSecs int
	period  int // index of the period being accumulated
	acc     *Acc
	last    *alert.Datapoint // the datapoint of the period closed last, if it had one
}

// NewWatch returns a watch whose first period starts at origin, the start
// of the run. The rule's statistic must be one the metric has.
func NewWatch(rule alert.Rule, m alert.Metric, origin time.Time) (*Watch, error) {
	st, err := m.Statistic(rule.Statistic)
	if err != nil {
		return nil, err
	}
	rule.Statistic = st
	if rule.Unit, err = m.UnitOf(st); err != nil {
		return nil, err
	}
	a, err := alert.NewAlarm(rule, origin)
	if err != nil {
		return nil, err
	}
	return &Watch{metric: m, alarm: a, origin: origin, perSecs: int(rule.Period / time.Second), acc: NewAcc(m)}, nil
}

// Alarm is the alarm the watch feeds.
func (w *Watch) Alarm() *alert.Alarm { return w.alarm }

// Last is the datapoint of the period closed last; false when that
// period had none (no request in it, say) or none has closed yet.
func (w *Watch) Last() (alert.Datapoint, bool) {
	if w.last == nil {
		return alert.Datapoint{}, false
	}
	return *w.last, true
}

// Add takes the run's next second and returns the transitions of the
// periods it completed. Seconds must come in order; one may be skipped
// (its period then has fewer seconds, or none, and no datapoint). A
// period whose last second is not whole (the run ended in it) stays open:
// the run did not complete it.
func (w *Watch) Add(s Second) ([]alert.Transition, error) {
	p := s.Index / w.perSecs
	if s.Index < 0 || p < w.period {
		return nil, fmt.Errorf("second %d: out of order (period %d already evaluated)", s.Index, p)
	}
	var out []alert.Transition
	if p > w.period { // a period ended without its last second
		out = append(out, w.close()...)
		w.period = p
	}
	if err := w.acc.Add(s); err != nil {
		return out, err
	}
	if (s.Index+1)%w.perSecs == 0 && s.Whole() {
		out = append(out, w.close()...)
		w.period = p + 1
	}
	return out, nil
}

// close computes the datapoint of the period being accumulated, if it
// has one, and evaluates the alarm at the period's end.
func (w *Watch) close() []alert.Transition {
	start := w.origin.Add(time.Duration(w.period*w.perSecs) * time.Second)
	w.last = nil
	if v, n, ok := w.acc.Value(w.alarm.Rule().Statistic); ok {
		w.last = &alert.Datapoint{Time: start, Value: v, Samples: n}
		// Add only fails for NaN (no Acc value is) or a time before the
		// origin (start is after it).
		_ = w.alarm.Add(*w.last)
	}
	w.acc = NewAcc(w.metric)
	return w.alarm.Advance(start.Add(time.Duration(w.perSecs) * time.Second))
}
