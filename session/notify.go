package session

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/alert/notify"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/scenario"
)

// DefaultRepostEvery is how often a firing alert is posted again to an
// Alertmanager: it ends an alert it has not heard of for its
// resolve_timeout (5 minutes by default), and its documentation asks
// clients to send firing alerts again every 30 s to 3 minutes.
const DefaultRepostEvery = time.Minute

// notifications turns the alerts' transitions into notifications and
// hands them to a poster, which sends them without holding up the test.
type notifications struct {
	targets     map[string]target // by notifier name
	trackers    map[string]*notify.Tracker
	specs       map[string]*scenario.Alert // the rules that notify, by name
	repostEvery time.Duration
	lastRepost  time.Time
	post        *poster
}

// target sends alerts to one notifier; resend marks an Alertmanager,
// whose firing alerts are posted again while they fire.
type target struct {
	send   func(context.Context, ...notify.Alert) error
	resend bool
}

// newNotifications is nil when no alert notifies.
func newNotifications(o Options) (*notifications, error) {
	targets := map[string]target{}
	for _, nf := range o.Alerts.Notifiers {
		if err := notify.CheckURL(nf.URL); err != nil {
			return nil, fmt.Errorf("notifier %q: %w", nf.Name, err)
		}
		switch nf.Type {
		case scenario.NotifierWebhook:
			wh := &notify.Webhook{URL: nf.URL, Receiver: nf.Name}
			targets[nf.Name] = target{send: wh.Send}
		case scenario.NotifierAlertmanager:
			am := &notify.Alertmanager{URL: nf.URL}
			targets[nf.Name] = target{send: am.Post, resend: true}
		default:
			return nil, fmt.Errorf("notifier %q: unknown type %q", nf.Name, nf.Type)
		}
	}
	n := &notifications{targets: targets, trackers: map[string]*notify.Tracker{},
		specs: map[string]*scenario.Alert{}, repostEvery: o.RepostEvery}
	if n.repostEvery <= 0 {
		n.repostEvery = DefaultRepostEvery
	}
	for i := range o.Alerts.Alerts {
		a := &o.Alerts.Alerts[i]
		for _, act := range a.Actions {
			if act.Kind != scenario.ActionNotify {
				continue
			}
			if _, ok := targets[act.Notifier]; !ok {
				return nil, fmt.Errorf("alert %q: notify: no notifier %q", a.Name, act.Notifier)
			}
			n.trackers[a.Name], n.specs[a.Name] = tracker(a), a
		}
	}
	if len(n.trackers) == 0 {
		return nil, nil
	}
	return n, nil
}

// tracker makes the alerts of one rule: alertname and its labels, and
// the rule as the summary.
func tracker(a *scenario.Alert) *notify.Tracker {
	labels := maps.Clone(a.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	labels["alertname"] = a.Name
	return &notify.Tracker{Labels: labels, Annotations: map[string]string{"summary": judge.DescribeAlert(a)}}
}

// transitions sends what the transitions fire or resolve, and posts the
// firing alerts again to Alertmanagers when it is time; now is the end
// of the snapshot's interval.
func (n *notifications) transitions(trs []judge.Transition, now time.Time) {
	for _, t := range trs {
		tr, ok := n.trackers[t.Alert.Name]
		if !ok {
			continue
		}
		if a, send := tr.Transition(t.Transition); send {
			n.send(t.Alert, a, false)
		}
	}
	if n.lastRepost.IsZero() {
		n.lastRepost = now
	}
	if now.Sub(n.lastRepost) >= n.repostEvery {
		n.lastRepost = now
		n.firing(func(spec *scenario.Alert, a notify.Alert) { n.send(spec, a, true) })
	}
}

// firing calls f with every alert that fires, in the order of the
// rules' names.
func (n *notifications) firing(f func(*scenario.Alert, notify.Alert)) {
	for _, name := range slices.Sorted(maps.Keys(n.trackers)) {
		if a, ok := n.trackers[name].Firing(); ok {
			f(n.specs[name], a)
		}
	}
}

// send posts a to the notifiers of spec (only Alertmanagers when
// resending).
func (n *notifications) send(spec *scenario.Alert, a notify.Alert, resending bool) {
	for _, act := range spec.Actions {
		if act.Kind != scenario.ActionNotify {
			continue
		}
		tg := n.targets[act.Notifier]
		if !resending || tg.resend {
			n.post.enqueue(act.Notifier, a, tg.send)
		}
	}
}

// finish resolves the alerts still firing when the run ended, waits for
// the posts and returns what to say about them.
func (n *notifications) finish(end time.Time) []string {
	n.firing(func(spec *scenario.Alert, a notify.Alert) {
		a.EndsAt = end
		a.Annotations = maps.Clone(a.Annotations)
		a.Annotations["resolution"] = fmt.Sprintf("the test ended with the alert in %v", alert.StateAlarm)
		n.send(spec, a, false)
	})
	return n.post.close()
}
