package scenario

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/internal/fileinput"
	yaml "go.yaml.in/yaml/v4"
)

// Alert is one entry of config.alerts: an alarm on one of Surge's
// metrics or a series of the monitored target, with CloudWatch's
// semantics (package alert), and what to do when its state changes.
type Alert struct {
	Pos     Pos
	Name    string
	Metric  alert.Metric
	Rule    alert.Rule
	Actions []AlertAction
	Labels  map[string]string // added to the alert's notifications
}

// The actions an alert can take when it enters ALARM.
const (
	ActionPrint  = "print"  // say so in the terminal (every change of state)
	ActionFail   = "fail"   // mark the run failed; it goes on
	ActionAbort  = "abort"  // stop the run
	ActionNotify = "notify" // tell a notifier (firing, and resolved when it leaves ALARM)
)

// AlertAction is one action; Notifier names the notifier of a notify.
type AlertAction struct {
	Pos      Pos
	Kind     string
	Notifier string
}

// The kinds of notifier.
const (
	NotifierWebhook      = "webhook"      // Alertmanager's webhook payload, posted to a receiver
	NotifierAlertmanager = "alertmanager" // alerts posted to an Alertmanager's API
)

// Notifier is one entry of config.notifiers.
type Notifier struct {
	Pos  Pos
	Name string
	Type string
	URL  string
}

// Alerts is a set of alerts with the notifiers they use: a script's
// config.alerts and config.notifiers, or an alerts file.
type Alerts struct {
	Alerts    []Alert
	Notifiers []Notifier
}

// LoadAlerts reads an alerts file: YAML (or JSON) with the keys alerts
// and notifiers, as config.alerts and config.notifiers take them.
func LoadAlerts(path string) (Alerts, error) {
	data, err := fileinput.Read(path, MaxScriptBytes, fileinput.Streams)
	if err != nil {
		return Alerts{}, &Error{File: path, Msg: fmt.Sprintf("cannot read alerts file: %v", err)}
	}
	return ParseAlerts(path, data)
}

// ParseAlerts parses an alerts file's text; file names it in errors.
func ParseAlerts(file string, data []byte) (Alerts, error) {
	root, err := parseYAML(file, data)
	if err != nil {
		return Alerts{}, err
	}
	d := &decoder{file: file, origin: map[*yaml.Node]string{}}
	var out Alerts
	var alertsNode *yaml.Node
	d.mapping(root, "alerts file", map[string]field{
		"alerts":    func(_, v *yaml.Node) { alertsNode = v; out.Alerts = d.alerts(v, "alerts") },
		"notifiers": func(_, v *yaml.Node) { out.Notifiers = d.notifiers(v, "notifiers") },
	})
	if alertsNode == nil && len(d.errs) == 0 {
		d.errorf(root, "alerts file: no alerts (expected a list under the key alerts)")
	}
	d.checkNotifiers(out, "notifiers")
	if len(d.errs) > 0 {
		return Alerts{}, d.errs
	}
	return out, nil
}

// alerts reads a list of alerts.
func (d *decoder) alerts(n *yaml.Node, what string) []Alert {
	var out []Alert
	names := map[string]bool{}
	d.sequence(n, what, func(i int, item *yaml.Node) {
		a := d.alert(item, fmt.Sprintf("%s[%d]", what, i))
		if a.Name != "" && names[a.Name] {
			d.errorf(item, "%s[%d]: a second alert named %q", what, i, a.Name)
		}
		names[a.Name] = true
		out = append(out, a)
	})
	return out
}

// alertFields holds what an alert's keys say before they are checked
// together.
type alertFields struct {
	metric, series, endpoint, statistic, threshold *yaml.Node
	comparison, treat, lowSample                   *yaml.Node
}

func (d *decoder) alert(n *yaml.Node, what string) Alert {
	a := Alert{Pos: posOf(n), Actions: []AlertAction{{Kind: ActionPrint}}}
	a.Rule.EvaluationPeriods = 1
	a.Rule.Period = time.Minute
	var f alertFields
	before := len(d.errs)
	d.mapping(n, what, map[string]field{
		"name":      func(_, v *yaml.Node) { a.Name = d.alertName(v, what+".name") },
		"metric":    func(_, v *yaml.Node) { f.metric = v },
		"series":    func(_, v *yaml.Node) { f.series = v },
		"endpoint":  func(_, v *yaml.Node) { f.endpoint, a.Metric.Endpoint = v, d.str(v, what+".endpoint") },
		"statistic": func(_, v *yaml.Node) { f.statistic = v },
		"period":    func(_, v *yaml.Node) { a.Rule.Period = d.period(v, what+".period") },
		"evaluationPeriods": func(_, v *yaml.Node) {
			a.Rule.EvaluationPeriods = d.count(v, what+".evaluationPeriods")
		},
		"datapointsToAlarm": func(_, v *yaml.Node) {
			a.Rule.DatapointsToAlarm = d.count(v, what+".datapointsToAlarm")
		},
		"evaluationRange":                  func(_, v *yaml.Node) { a.Rule.EvaluationRange = d.count(v, what+".evaluationRange") },
		"threshold":                        func(_, v *yaml.Node) { f.threshold = v },
		"comparison":                       func(_, v *yaml.Node) { f.comparison = v },
		"treatMissingData":                 func(_, v *yaml.Node) { f.treat = v },
		"evaluateLowSampleCountPercentile": func(_, v *yaml.Node) { f.lowSample = v },
		"actions":                          func(_, v *yaml.Node) { a.Actions = d.alertActions(v, what+".actions") },
		"labels":                           func(_, v *yaml.Node) { a.Labels = d.labels(v, what+".labels") },
	})
	if a.Name == "" {
		d.errorf(n, "%s: missing name", what)
	}
	d.alertMetric(n, what, &a, f)
	d.alertRule(n, what, &a, f)
	if len(d.errs) == before {
		if err := a.Rule.Validate(); err != nil {
			d.errorf(n, "%s: %v", what, err)
		}
	}
	return a
}

// alertName is a name that can label an alert: printable, not too long.
func (d *decoder) alertName(n *yaml.Node, what string) string {
	s := d.scalarText(n, what)
	if s == "" || len(s) > 256 || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		d.errorf(n, "%s: expected a name of 1 to 256 printable characters", what)
	}
	return s
}

// count is a whole number of at least 1.
func (d *decoder) count(n *yaml.Node, what string) int {
	v := d.integer(n, what)
	if v < 1 || v > 100000 {
		d.errorf(n, "%s: expected a whole number from 1 to 100000, got %s", what, n.Value)
		return 1
	}
	return int(v)
}

// period is a duration of whole seconds.
func (d *decoder) period(n *yaml.Node, what string) time.Duration {
	v := d.duration(n, what)
	if v < time.Second || v%time.Second != 0 {
		d.errorf(n, "%s: expected whole seconds, at least 1s (Surge measures each second), got %s", what, n.Value)
		return time.Second
	}
	return v
}

// alertMetric reads metric or series, and the statistic.
func (d *decoder) alertMetric(n *yaml.Node, what string, a *Alert, f alertFields) {
	switch {
	case f.metric != nil && f.series != nil:
		d.errorf(f.series, "%s: metric and series both given: an alert watches one", what)
		return
	case f.metric != nil:
		a.Metric.Name = d.str(f.metric, what+".metric")
		if _, err := (alert.Metric{Name: a.Metric.Name}).Unit(); err != nil {
			d.metricError(f.metric, what+".metric", a.Metric.Name, err)
			return
		}
	case f.series != nil:
		a.Metric.Name, a.Metric.Series = d.str(f.series, what+".series"), true
	default:
		d.errorf(n, "%s: missing metric (one of %s) or series (a series of the monitored target)",
			what, strings.Join(alert.MetricNames(), ", "))
		return
	}
	if _, err := a.Metric.Unit(); err != nil { // only the endpoint can be wrong now
		d.errorf(f.endpoint, "%s.endpoint: %v", what, err)
		return
	}
	at := n
	var st alert.Statistic
	if f.statistic != nil {
		at = f.statistic
		var err error
		if st, err = alert.ParseStatistic(d.str(f.statistic, what+".statistic")); err != nil {
			d.errorf(f.statistic, "%s: %v", what+".statistic", err)
			return
		}
	}
	st, err := a.Metric.Statistic(st)
	if err != nil {
		d.errorf(at, "%s: %v", what, err)
	}
	a.Rule.Statistic = st
}

func (d *decoder) metricError(n *yaml.Node, what, name string, err error) {
	if s := Suggest(name, alert.MetricNames()); s != "" && s != name {
		d.errorf(n, "%s: unknown metric %q; did you mean %q? (a target's series goes under series)", what, name, s)
		return
	}
	d.errorf(n, "%s: %v", what, err)
}

// alertRule reads the threshold, the comparison and the treatments.
func (d *decoder) alertRule(n *yaml.Node, what string, a *Alert, f alertFields) {
	r := &a.Rule
	if f.comparison == nil {
		d.errorf(n, "%s: missing comparison (GreaterThanThreshold or >, GreaterThanOrEqualToThreshold or >=, LessThanThreshold or <, LessThanOrEqualToThreshold or <=)", what)
	} else if c, err := alert.ParseComparison(d.str(f.comparison, what+".comparison")); err != nil {
		d.errorf(f.comparison, "%s.comparison: %v", what, err)
	} else {
		r.Comparison = c
	}
	if f.threshold == nil {
		d.errorf(n, "%s: missing threshold", what)
	} else if unit, err := a.Metric.UnitOf(r.Statistic); err == nil {
		r.Unit = unit
		v, err := alert.ParseValue(unit, d.scalarText(f.threshold, what+".threshold"))
		if err != nil {
			d.errorf(f.threshold, "%s.threshold: %v", what, err)
		}
		r.Threshold = v
	}
	if f.treat != nil {
		var err error
		if r.TreatMissing, err = alert.ParseMissingData(d.str(f.treat, what+".treatMissingData")); err != nil {
			d.errorf(f.treat, "%s.treatMissingData: %v", what, err)
		}
	}
	if f.lowSample != nil {
		var err error
		if r.LowSample, err = alert.ParseLowSample(d.str(f.lowSample, what+".evaluateLowSampleCountPercentile")); err != nil {
			d.errorf(f.lowSample, "%s.evaluateLowSampleCountPercentile: %v", what, err)
		}
	}
}

// alertActions reads a list of print, fail, abort and {notify: name}.
func (d *decoder) alertActions(n *yaml.Node, what string) []AlertAction {
	var out []AlertAction
	seen := map[string]bool{}
	d.sequence(n, what, func(i int, item *yaml.Node) {
		at := fmt.Sprintf("%s[%d]", what, i)
		act := AlertAction{Pos: posOf(item)}
		if item.Kind == yaml.MappingNode {
			d.mapping(item, at, map[string]field{
				"notify": func(_, v *yaml.Node) { act.Kind, act.Notifier = ActionNotify, d.str(v, at+".notify") },
			})
		} else {
			act.Kind = d.str(item, at)
			switch act.Kind {
			case ActionPrint, ActionFail, ActionAbort:
			case ActionNotify:
				d.errorf(item, "%s: notify needs a notifier: write notify: <name of config.notifiers>", at)
			default:
				d.errorf(item, "%s: unknown action %q (known: print, fail, abort, notify: <notifier>)", at, act.Kind)
			}
		}
		if key := act.Kind + " " + act.Notifier; seen[key] {
			d.errorf(item, "%s: %s given twice", at, strings.TrimSpace(key))
		} else {
			seen[key] = true
		}
		out = append(out, act)
	})
	if len(out) == 0 {
		d.errorf(n, "%s: an empty list: the alert would do nothing (leave actions out to print)", what)
	}
	return out
}

// labels reads a mapping of label names to values.
func (d *decoder) labels(n *yaml.Node, what string) map[string]string {
	out := map[string]string{}
	d.mapping(n, what, map[string]field{otherKeys: func(k, v *yaml.Node) {
		if !validLabelName(k.Value) || k.Value == "alertname" || strings.HasPrefix(k.Value, "__") {
			d.errorf(k, "%s: %q is not a label name Surge can set (letters, digits and _, not starting with a digit "+
				"or __; not alertname, which is the alert's name)", what, k.Value)
		}
		out[k.Value] = d.scalarText(v, what+"."+k.Value)
	}})
	return out
}

// validLabelName is Prometheus' label name syntax.
func validLabelName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// notifiers reads a mapping of notifier names to their settings.
func (d *decoder) notifiers(n *yaml.Node, what string) []Notifier {
	var out []Notifier
	d.mapping(n, what, map[string]field{otherKeys: func(k, v *yaml.Node) {
		nf := Notifier{Pos: posOf(k), Name: k.Value}
		at := what + "." + k.Value
		d.mapping(v, at, map[string]field{
			"type": func(_, t *yaml.Node) { nf.Type = d.str(t, at+".type") },
			"url":  func(_, u *yaml.Node) { nf.URL = d.str(u, at+".url") },
		})
		switch nf.Type {
		case NotifierWebhook, NotifierAlertmanager:
		case "":
			d.errorf(k, "%s: missing type (webhook or alertmanager)", at)
		default:
			d.errorf(k, "%s: unknown type %q (known: webhook, alertmanager)", at, nf.Type)
		}
		if u, err := url.Parse(nf.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			d.errorf(k, "%s: url: expected an http(s) URL with a host, got %q", at, nf.URL)
		}
		out = append(out, nf)
	}})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// checkNotifiers reports notify actions naming no notifier.
func (d *decoder) checkNotifiers(a Alerts, what string) {
	names := make([]string, len(a.Notifiers))
	for i, nf := range a.Notifiers {
		names[i] = nf.Name
	}
	for _, al := range a.Alerts {
		for _, act := range al.Actions {
			if act.Kind != ActionNotify || act.Notifier == "" || contains(names, act.Notifier) {
				continue
			}
			hint := ""
			if s := Suggest(act.Notifier, names); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			d.errs = append(d.errs, &Error{File: d.file, Pos: act.Pos,
				Msg: fmt.Sprintf("alert %q: notify: no notifier %q in %s%s", al.Name, act.Notifier, what, hint)})
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkSeries reports an alert on a target series the script's monitor
// will not keep, or without a monitor at all (then the flag --monitor may
// still bring one: a warning).
func (d *decoder) checkSeries(c *Config) {
	for _, a := range c.Alerts {
		if !a.Metric.Series {
			continue
		}
		if c.Monitor.URL == "" {
			d.warns = append(d.warns, &Error{File: d.file, Pos: a.Pos, Msg: fmt.Sprintf(
				"warning: alert %q watches the target's series %q, and config.monitor is not set: "+
					"without --monitor it will have no data", a.Name, a.Metric.Name)})
			continue
		}
		if len(c.Monitor.Series) > 0 && !monitorKeeps(c.Monitor.Series, a.Metric.Name) {
			d.errs = append(d.errs, &Error{File: d.file, Pos: a.Pos, Msg: fmt.Sprintf(
				"alert %q: series %q is not among config.monitor.series (%s)", a.Name, a.Metric.Name,
				strings.Join(c.Monitor.Series, ", "))})
		}
	}
}

// monitorKeeps mirrors monitor.Select: a selector keeps its exact series,
// its labelled series and their sum under the bare name.
func monitorKeeps(selectors []string, series string) bool {
	for _, sel := range selectors {
		if series == sel || strings.HasPrefix(series, sel+"{") {
			return true
		}
	}
	return false
}
