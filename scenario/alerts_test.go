package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/alert"
)

const alertsFile = `notifiers:
  oncall: {type: webhook, url: "http://127.0.0.1:9099/hook"}
  am:
    type: alertmanager
    url: http://127.0.0.1:9093
alerts:
  - name: items-p99
    metric: latency
    endpoint: GET /items
    statistic: p99
    period: 10s
    evaluationPeriods: 6
    datapointsToAlarm: 5
    comparison: GreaterThanThreshold
    threshold: 300ms
    treatMissingData: notBreaching
    evaluateLowSampleCountPercentile: ignore
    labels: {severity: page}
    actions:
      - print
      - abort
      - notify: oncall
  - name: throttles
    series: surge_lambda_throttles_total
    statistic: Sum
    period: 60s
    comparison: ">"
    threshold: 0
    actions: [fail, {notify: am}]
  - name: failures
    metric: failure_rate
    comparison: ">="
    threshold: 1%
`

func TestParseAlertsFile(t *testing.T) {
	got, err := ParseAlerts("alerts.yml", []byte(alertsFile))
	if err != nil {
		t.Fatal(err)
	}
	want := Alerts{
		Notifiers: []Notifier{
			{Pos: Pos{3, 3}, Name: "am", Type: NotifierAlertmanager, URL: "http://127.0.0.1:9093"},
			{Pos: Pos{2, 3}, Name: "oncall", Type: NotifierWebhook, URL: "http://127.0.0.1:9099/hook"},
		},
		Alerts: []Alert{
			{Pos: Pos{7, 5}, Name: "items-p99", Metric: alert.Metric{Name: alert.Latency, Endpoint: "GET /items"},
				Rule: alert.Rule{Period: 10 * time.Second, EvaluationPeriods: 6, DatapointsToAlarm: 5,
					Comparison: alert.GreaterThan, Threshold: 300, TreatMissing: alert.NotBreaching,
					Statistic: alert.Statistic{Kind: alert.Percentile, P: 99}, LowSample: alert.IgnoreLowSample, Unit: alert.Millis},
				Labels: map[string]string{"severity": "page"},
				Actions: []AlertAction{{Pos: Pos{20, 9}, Kind: ActionPrint}, {Pos: Pos{21, 9}, Kind: ActionAbort},
					{Pos: Pos{22, 9}, Kind: ActionNotify, Notifier: "oncall"}}},
			{Pos: Pos{23, 5}, Name: "throttles", Metric: alert.Metric{Name: "surge_lambda_throttles_total", Series: true},
				Rule: alert.Rule{Period: time.Minute, EvaluationPeriods: 1, Comparison: alert.GreaterThan,
					Statistic: alert.Statistic{Kind: alert.Sum}, Unit: alert.Raw},
				Actions: []AlertAction{{Pos: Pos{29, 15}, Kind: ActionFail}, {Pos: Pos{29, 21}, Kind: ActionNotify, Notifier: "am"}}},
			{Pos: Pos{30, 5}, Name: "failures", Metric: alert.Metric{Name: alert.FailureRate},
				Rule: alert.Rule{Period: time.Minute, EvaluationPeriods: 1, Comparison: alert.GreaterThanOrEqual,
					Threshold: 0.01, Statistic: alert.Statistic{Kind: alert.Average}, Unit: alert.Fraction},
				Actions: []AlertAction{{Kind: ActionPrint}}},
		},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("alerts (-want +got):\n%s", d)
	}
	path := filepath.Join(t.TempDir(), "alerts.yml")
	if err := os.WriteFile(path, []byte(alertsFile), 0o600); err != nil {
		t.Fatal(err)
	}
	if loaded, err := LoadAlerts(path); err != nil || len(loaded.Alerts) != 3 {
		t.Errorf("LoadAlerts: %v", err)
	}
}

func TestBrokenAlertsNamePosition(t *testing.T) {
	const base = "alerts:\n  - name: a\n    metric: latency\n    statistic: p99\n    comparison: \">\"\n    threshold: 300ms\n"
	for _, tt := range []struct{ name, file, want string }{
		{"unknown metric", strings.Replace(base, "metric: latency", "metric: latncy", 1),
			`a.yml:3:13: alerts[0].metric: unknown metric "latncy"; did you mean "latency"?`},
		{"metric and series", base + "    series: x_total\n", `a.yml:7:13: alerts[0]: metric and series both given`},
		{"no metric", strings.Replace(base, "    metric: latency\n", "", 1), `a.yml:2:5: alerts[0]: missing metric`},
		{"no statistic", strings.Replace(base, "    statistic: p99\n", "", 1), `a.yml:2:5: alerts[0]: metric latency: name a statistic`},
		{"bad statistic", strings.Replace(base, "p99", "p999%", 1), `a.yml:4:16: alerts[0].statistic: statistic "p999%"`},
		{"statistic of a rate", strings.Replace(strings.Replace(base, "latency", "failure_rate", 1), "300ms", "1%", 1),
			`a.yml:4:16: alerts[0]: metric failure_rate has no statistic p99 (it has: Average)`},
		{"rate without %", strings.Replace(strings.Replace(strings.Replace(base, "latency", "error_rate", 1), "    statistic: p99\n", "", 1), "300ms", "0.01", 1),
			`a.yml:5:16: alerts[0].threshold: "0.01": write a rate as a percentage`},
		{"bad threshold", strings.Replace(base, "300ms", "fast", 1), `a.yml:6:16: alerts[0].threshold: "fast": not a latency`},
		{"no comparison", strings.Replace(base, "    comparison: \">\"\n", "", 1), `a.yml:2:5: alerts[0]: missing comparison`},
		{"sample count as a latency", strings.Replace(base, "p99", "SampleCount", 1),
			`a.yml:6:16: alerts[0].threshold: "300ms": not a number`},
		{"bad comparison", strings.Replace(base, `">"`, "==", 1), `a.yml:5:17: alerts[0].comparison: unknown comparison "=="`},
		{"M above N", base + "    evaluationPeriods: 2\n    datapointsToAlarm: 3\n",
			`a.yml:2:5: alerts[0]: datapoints to alarm 3: must be from 1 to the evaluation periods (2)`},
		{"period not whole", base + "    period: 1500ms\n", `a.yml:7:13: alerts[0].period: expected whole seconds`},
		{"zero evaluations", base + "    evaluationPeriods: 0\n", `a.yml:7:24: alerts[0].evaluationPeriods: expected a whole number from 1`},
		{"missing treatment", base + "    treatMissingData: zero\n", `a.yml:7:23: alerts[0].treatMissingData: unknown treatment of missing data "zero"`},
		{"low sample on max", strings.Replace(base, "p99", "Maximum", 1) + "    evaluateLowSampleCountPercentile: ignore\n",
			`a.yml:2:5: alerts[0]: evaluateLowSampleCountPercentile: applies only to a percentile`},
		{"unknown action", base + "    actions: [page]\n", `a.yml:7:15: alerts[0].actions[0]: unknown action "page"`},
		{"bare notify", base + "    actions: [notify]\n", `a.yml:7:15: alerts[0].actions[0]: notify needs a notifier`},
		{"no actions", base + "    actions: []\n", `a.yml:7:14: alerts[0].actions: an empty list`},
		{"twice", base + "    actions: [abort, abort]\n", `a.yml:7:22: alerts[0].actions[1]: abort given twice`},
		{"unknown notifier", base + "    actions: [{notify: oncal}]\nnotifiers:\n  oncall: {type: webhook, url: http://127.0.0.1:1/}\n",
			`a.yml:7:15: alert "a": notify: no notifier "oncal" in notifiers; did you mean "oncall"?`},
		{"notifier type", base + "notifiers:\n  x: {type: slack, url: http://127.0.0.1:1/}\n", `a.yml:8:3: notifiers.x: unknown type "slack"`},
		{"notifier url", base + "notifiers:\n  x: {type: webhook, url: 127.0.0.1:9093}\n", `a.yml:8:3: notifiers.x: url: expected an http(s) URL`},
		{"bad label", base + "    labels: {alertname: x}\n", `a.yml:7:14: alerts[0].labels: "alertname" is not a label name`},
		{"duplicate name", base + "  - name: a\n    metric: vus\n    comparison: \">\"\n    threshold: 10\n", `a.yml:7:5: alerts[1]: a second alert named "a"`},
		{"unknown key", base + "    treshold: 5\n", `a.yml:7:5: alerts[0]: unknown field "treshold"; did you mean "threshold"?`},
		{"vus per endpoint", strings.Replace(strings.Replace(base, "latency", "vus", 1), "300ms", "10", 1) + "    endpoint: GET /\n",
			`a.yml:7:15: alerts[0].endpoint: metric vus: not measured per endpoint`},
		{"no alerts", "notifiers: {}\n", `a.yml:1:1: alerts file: no alerts`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAlerts("a.yml", []byte(tt.file))
			if err == nil {
				t.Fatal("parsed without error")
			}
			if _, ok := AsErrors(err); !ok {
				t.Fatalf("not a script error: %T %v", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestScriptAlerts(t *testing.T) {
	const script = `config:
  target: http://127.0.0.1:8080
  phases: [{duration: 10, arrivalRate: 1}]
  monitor:
    url: http://127.0.0.1:8080/metrics
    series: [surge_lambda_throttles_total]
  notifiers:
    hook: {type: webhook, url: http://127.0.0.1:9099/}
  alerts:
    - name: throttles
      series: surge_lambda_throttles_total{cause="concurrency",reason="ReservedFunctionConcurrentInvocationLimitExceeded"}
      statistic: Sum
      comparison: ">"
      threshold: 0
      actions: [{notify: hook}]
scenarios: [{flow: [{get: {url: /}}]}]
`
	s, err := Parse("s.yml", []byte(script))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Config.Alerts) != 1 || len(s.Config.Notifiers) != 1 || s.Config.Alerts[0].Actions[0].Notifier != "hook" {
		t.Errorf("config: %+v", s.Config)
	}
	unmonitored := strings.Replace(script, "series: [surge_lambda_throttles_total]", "series: [surge_lambda_errors_total]", 1)
	if _, err := Parse("s.yml", []byte(unmonitored)); err == nil || !strings.Contains(err.Error(), `s.yml:10:7: alert "throttles": series`) {
		t.Errorf("series the monitor does not keep: %v", err)
	}
	noMonitor := strings.Replace(script, "  monitor:\n    url: http://127.0.0.1:8080/metrics\n    series: [surge_lambda_throttles_total]\n", "", 1)
	s, err = Parse("s.yml", []byte(noMonitor))
	if err != nil || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0].Error(), "config.monitor is not set") {
		t.Errorf("no monitor: %v %v", err, s.Warnings)
	}
	badNotify := strings.Replace(script, "{notify: hook}", "{notify: hooks}", 1)
	if _, err := Parse("s.yml", []byte(badNotify)); err == nil || !strings.Contains(err.Error(), `no notifier "hooks" in config.notifiers; did you mean "hook"?`) {
		t.Errorf("unknown notifier: %v", err)
	}
}

// The example of docs/alerts.md stays a valid script.
func TestLambdaAlarmsExample(t *testing.T) {
	s, err := Load("../examples/lambda-alarms.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Config.Alerts) != 4 || len(s.Warnings) != 0 {
		t.Errorf("%d alerts, warnings %v", len(s.Config.Alerts), s.Warnings)
	}
}
