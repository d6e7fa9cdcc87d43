package scenario

import (
	"math"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
)

// FuzzParseDuration: no input panics; an accepted duration is not
// negative, a plain number is that many seconds, and the duration
// written as decimal seconds reads back as itself (to float64's
// precision). Its number is decimal: no 0x1p3, inf or nan.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"10", "1.5", "30s", "5m", "10min", "500ms", "1h", "2 hours", " 3 Days ", "1w", ".5s", "0",
		"", "abc", "5 parsecs", "-3s", "s", "-0", "1e3", "NaN", "Inf", "0x10", "1-2s", "1.2.3s",
		"9223372036.854775807", "9223372036.854775807s", "2562047.788015216h", "15250.284452471517weeks", "1e400",
		"0x1p3", "0x1p3s", "inf", "+Inf", "infinity", "nan", "0X1P-2", "1_0"} {
		f.Add(s)
	}
	near := func(a, b time.Duration) bool {
		return math.Abs(float64(a)-float64(b)) <= math.Max(1, 1e-12*math.Abs(float64(a)))
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("%q: accepted %v", s, d)
		}
		if lower := strings.ToLower(s); strings.ContainsAny(lower, "xp_") || strings.Contains(lower, "inf") || strings.Contains(lower, "nan") {
			t.Fatalf("%q: accepted %v, not written in decimal", s, d)
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil && !near(d, time.Duration(v*float64(time.Second))) {
			t.Fatalf("%q: %v, not %v seconds", s, d, v)
		}
		text := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
		if back, err := ParseDuration(text); err != nil || !near(back, d) {
			t.Fatalf("%q = %v written as %q reads back as %v, %v", s, d, text, back, err)
		}
		if back, err := ParseDuration(text + "s"); err != nil || !near(back, d) {
			t.Fatalf("%q = %v written as %qs reads back as %v, %v", s, d, text, back, err)
		}
	})
}

// FuzzParseAlerts: no input panics; an error is the package's Errors;
// accepted alerts are named (uniquely, printably), have rules that
// Validate with a finite threshold and at least one action, notify only
// notifiers the file defines, and those notifiers are http(s) URLs with
// a host, of a known type.
func FuzzParseAlerts(f *testing.F) {
	f.Add([]byte(alertsFile))
	f.Add([]byte("alerts: [{name: a, metric: vus, comparison: '>', threshold: 5}]"))
	f.Add([]byte("alerts: [{name: a, metric: latency, statistic: p99.9, period: 1m, evaluationPeriods: 1440, comparison: <=, threshold: 1e308s}]"))
	f.Add([]byte("alerts: [{name: a, metric: rps, comparison: '<', threshold: 10/s, actions: [{notify: x}]}]\nnotifiers: {x: {type: webhook, url: 'http://h/'}}"))
	f.Add([]byte("alerts: [{name: a, series: 'x{a=\"b\"}', comparison: '>', threshold: -1, period: 9223372036.854775807}]"))
	f.Add([]byte("alerts: []"))
	f.Add([]byte("{}"))
	f.Add([]byte("alerts: [&a {name: a}, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ParseAlerts("fuzz.yml", data)
		if err != nil {
			if _, ok := AsErrors(err); !ok {
				t.Fatalf("error of unexpected type %T: %v", err, err)
			}
			return
		}
		notifiers := map[string]bool{}
		for _, n := range as.Notifiers {
			u, err := url.Parse(n.URL)
			if (n.Type != NotifierWebhook && n.Type != NotifierAlertmanager) || err != nil ||
				(u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("accepted notifier %+v", n)
			}
			notifiers[n.Name] = true
		}
		names := map[string]bool{}
		for _, a := range as.Alerts {
			if a.Name == "" || len(a.Name) > 256 || names[a.Name] || strings.ContainsFunc(a.Name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
				t.Fatalf("accepted alert name %q", a.Name)
			}
			names[a.Name] = true
			if err := a.Rule.Validate(); err != nil || math.IsInf(a.Rule.Threshold, 0) || math.IsNaN(a.Rule.Threshold) {
				t.Fatalf("alert %q: accepted rule %+v: %v", a.Name, a.Rule, err)
			}
			if u, err := a.Metric.Unit(); err != nil || u != a.Rule.Unit {
				t.Fatalf("alert %q: metric %v, unit %v, rule's %v", a.Name, a.Metric, u, a.Rule.Unit)
			}
			if _, err := a.Metric.Statistic(a.Rule.Statistic); err != nil {
				t.Fatalf("alert %q: %v", a.Name, err)
			}
			if len(a.Actions) == 0 {
				t.Fatalf("alert %q: no actions", a.Name)
			}
			for _, act := range a.Actions {
				switch act.Kind {
				case ActionPrint, ActionFail, ActionAbort:
				case ActionNotify:
					if !notifiers[act.Notifier] {
						t.Fatalf("alert %q: notifies %q, which is not defined", a.Name, act.Notifier)
					}
				default:
					t.Fatalf("alert %q: action %+v", a.Name, act)
				}
			}
			if a.Rule.Statistic.Kind == alert.Percentile && !(a.Rule.Statistic.P >= 0 && a.Rule.Statistic.P <= 100) {
				t.Fatalf("alert %q: statistic %v", a.Name, a.Rule.Statistic)
			}
		}
	})
}
