package notify

import (
	"maps"
	"time"

	"github.com/prometheus/common/model"
	"github.com/surge-dev/surge/alert"
)

// Alert is one alert as Alertmanager models it.
type Alert struct {
	Labels       map[string]string // identify the alert; alertname names it
	Annotations  map[string]string // say what happened: summary, description
	StartsAt     time.Time
	EndsAt       time.Time // zero while firing: the end is not known
	GeneratorURL string    // where to look (the live dashboard)
}

// Firing reports whether the alert has not ended.
func (a Alert) Firing() bool { return a.EndsAt.IsZero() }

// Status is "firing" or "resolved", as Alertmanager writes it.
func (a Alert) Status() string {
	if a.Firing() {
		return "firing"
	}
	return "resolved"
}

// Fingerprint is Alertmanager's identity of the alert: a hash of its
// labels, in hexadecimal.
func (a Alert) Fingerprint() string {
	return labelSet(a.Labels).Fingerprint().String()
}

func labelSet(m map[string]string) model.LabelSet {
	ls := make(model.LabelSet, len(m))
	for k, v := range m {
		ls[model.LabelName(k)] = model.LabelValue(v)
	}
	return ls
}

// Tracker turns an alarm's transitions into alerts: entering ALARM fires
// one, leaving it (to OK or INSUFFICIENT_DATA) resolves it at the
// transition's time. Labels and annotations are the alarm's; the reason
// of the transition goes into the description.
type Tracker struct {
	Labels       map[string]string // alertname and the rest; copied into each alert
	Annotations  map[string]string
	GeneratorURL string
	firing       *Alert
}

// Transition returns the alert to send for t, if any.
func (tr *Tracker) Transition(t alert.Transition) (Alert, bool) {
	switch {
	case t.To == alert.StateAlarm && tr.firing == nil:
		a := Alert{Labels: maps.Clone(tr.Labels), Annotations: maps.Clone(tr.Annotations),
			StartsAt: t.At, GeneratorURL: tr.GeneratorURL}
		if a.Annotations == nil {
			a.Annotations = map[string]string{}
		}
		a.Annotations["description"] = t.Reason
		tr.firing = &a
		return a, true
	case t.To != alert.StateAlarm && tr.firing != nil:
		a := *tr.firing
		a.Annotations = maps.Clone(a.Annotations)
		a.Annotations["resolution"] = t.To.String() + ": " + t.Reason
		a.EndsAt = t.At
		tr.firing = nil
		return a, true
	}
	return Alert{}, false
}

// Firing is the alert that is firing now, if any: Alertmanager's API
// wants it sent again while it lasts, and resolved when the run ends.
func (tr *Tracker) Firing() (Alert, bool) {
	if tr.firing == nil {
		return Alert{}, false
	}
	return *tr.firing, true
}
