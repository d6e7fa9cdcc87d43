package judge

import (
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/series"
	"github.com/surge-dev/surge/threshold"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)

// second is second i of a run: n requests that took ms each, failed of
// them failed.
func second(i int, n, failed int64, ms float64) series.Second {
	h := metrics.NewHistogram()
	_ = h.RecordValues(int64(ms*1000), n)
	smp := series.Sample{Requests: n, Failures: failed, Latency: h}
	return series.Second{Index: i, Start: t0.Add(time.Duration(i) * time.Second), Duration: time.Second,
		Total: smp, Endpoints: map[string]series.Sample{"GET /": smp}}
}

func alerts(t *testing.T, yaml string) []scenario.Alert {
	t.Helper()
	a, err := scenario.ParseAlerts("alerts.yml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return a.Alerts
}

func thresholds(t *testing.T, exprs ...string) []threshold.Threshold {
	t.Helper()
	var out []threshold.Threshold
	for _, e := range exprs {
		th, err := threshold.Parse(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, th)
	}
	return out
}

// feed gives j the seconds and collects the steps.
func feed(t *testing.T, j *Judge, secs []series.Second) []Step {
	t.Helper()
	var out []Step
	for _, s := range secs {
		st, err := j.Add(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, st)
	}
	return out
}

const p99Abort = `alerts:
  - name: p99
    metric: latency
    statistic: p99
    period: 2s
    comparison: ">"
    threshold: 100ms
    actions: [print, abort]
`

// The k6 #2379 case, judged: five fast seconds, then slow ones. The
// alert stops the run at the end of the first period holding slow
// requests; a cumulative k6 threshold with abortOnFail on the median
// would not fire for as long again, and passes over what ran.
func TestAlertAbortsWhereTheCumulativeThresholdDoesNot(t *testing.T) {
	j, err := New(Rules{Alerts: alerts(t, p99Abort), Thresholds: thresholds(t, "http_req_duration: med<100 abortOnFail")})
	if err != nil {
		t.Fatal(err)
	}
	var secs []series.Second
	for i := range 12 {
		ms := 5.0
		if i >= 5 {
			ms = 250
		}
		secs = append(secs, second(i, 100, 0, ms))
	}
	var abort *Abort
	var at int
	for i, st := range feed(t, j, secs) {
		if st.Abort != nil && abort == nil {
			abort, at = st.Abort, i
		} else if st.Abort != nil {
			t.Errorf("second %d: asked to abort again", i)
		}
		if len(st.Failing) > 0 && i < 10 {
			t.Errorf("second %d: the cumulative threshold failed: %+v", i, st.Failing)
		}
	}
	if abort == nil || abort.By != `alert "p99"` || abort.Elapsed != 6*time.Second || at != 5 {
		t.Fatalf("abort %+v at second %d, want the alert at 6s (end of the period 4s-6s), fed second 5", abort, at)
	}
	if !strings.Contains(abort.Reason, "greater than 100ms") {
		t.Errorf("reason %q", abort.Reason)
	}
	// Judged over what ran until the abort, the threshold passes.
	j2, _ := New(Rules{Alerts: alerts(t, p99Abort), Thresholds: thresholds(t, "http_req_duration: med<100 abortOnFail")})
	feed(t, j2, secs[:6])
	o, err := j2.Outcome()
	if err != nil {
		t.Fatal(err)
	}
	if !o.Thresholds[0].Passed || o.Alerts[0].Alarms != 1 || !o.Alerts[0].Failed() || !o.Failed() || o.Abort == nil {
		t.Fatalf("outcome %+v", o)
	}
	first := o.Alerts[0].FirstAlarm
	if first == nil || !first.HasValue || first.Value < 250 || first.Value > 251 || first.Elapsed != 6*time.Second {
		t.Fatalf("first alarm %+v: want the period's p99, 250 ms, at 6s", first)
	}
}

// A windowed threshold with abortOnFail stops the run at its first
// failed window; its first failure is reported once.
func TestThresholdAbortsAndReportsItsFirstFailureOnce(t *testing.T) {
	j, err := New(Rules{Thresholds: thresholds(t, "failure_rate<10% over 3s abortOnFail", "failure_rate<10%")})
	if err != nil {
		t.Fatal(err)
	}
	var secs []series.Second
	for i := range 10 {
		failed := int64(0)
		if i >= 4 {
			failed = 100
		}
		secs = append(secs, second(i, 100, failed, 5))
	}
	steps := feed(t, j, secs)
	var failing []string
	for i, st := range steps {
		for _, f := range st.Failing {
			failing = append(failing, f.Threshold.Source)
		}
		if st.Abort != nil && i != 4 {
			t.Errorf("abort at second %d, want 4 (window 2s..5s: 33%% failed)", i)
		}
	}
	if len(failing) != 2 {
		t.Errorf("first failures %v, want each threshold once", failing)
	}
	if steps[4].Abort == nil || steps[4].Abort.By != `threshold "failure_rate<10% over 3s abortOnFail"` ||
		!strings.Contains(steps[4].Abort.Reason, "failure_rate=33.3333% over 2s..5s (limit <10%)") {
		t.Fatalf("abort %+v", steps[4].Abort)
	}
}

// An alert that only prints does not fail the run; one with fail does,
// without stopping it.
func TestOnlyFailAndAbortFailTheRun(t *testing.T) {
	rules := `alerts:
  - {name: printed, metric: latency, statistic: Maximum, period: 1s, comparison: ">", threshold: 100ms}
  - {name: failing, metric: latency, statistic: Maximum, period: 1s, comparison: ">", threshold: 100ms, actions: [fail]}
`
	for _, tt := range []struct {
		only   int
		failed bool
	}{{0, false}, {1, true}} {
		al := alerts(t, rules)
		j, err := New(Rules{Alerts: al[tt.only : tt.only+1]})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range feed(t, j, []series.Second{second(0, 10, 0, 5), second(1, 10, 0, 500), second(2, 10, 0, 5)}) {
			if st.Abort != nil {
				t.Errorf("%s: aborted", al[tt.only].Name)
			}
		}
		o, _ := j.Outcome()
		if o.Failed() != tt.failed || o.Alerts[0].Alarms != 1 || o.Alerts[0].State != alert.StateOK {
			t.Errorf("%s: failed %v, outcome %+v", al[tt.only].Name, o.Failed(), o.Alerts[0])
		}
	}
}

func TestNewRefusesWhatCannotBeJudged(t *testing.T) {
	a := alerts(t, p99Abort)
	if _, err := New(Rules{Alerts: append(a, a...)}); err == nil || !strings.Contains(err.Error(), `two alerts named "p99"`) {
		t.Errorf("duplicate names: %v", err)
	}
	bad := a[0]
	bad.Metric = alert.Metric{Name: alert.VUs}
	if _, err := New(Rules{Alerts: []scenario.Alert{bad}}); err == nil || !strings.Contains(err.Error(), `alert "p99"`) {
		t.Errorf("a statistic the metric lacks: %v", err)
	}
}

func TestLatencyEndpointsAreThoseRulesRead(t *testing.T) {
	al := alerts(t, `alerts:
  - {name: a, metric: latency, endpoint: GET /a, statistic: p99, comparison: ">", threshold: 1}
  - {name: b, metric: failure_rate, endpoint: GET /b, comparison: ">", threshold: 1%}
  - {name: e, metric: latency_ok, endpoint: GET /e, statistic: p99, comparison: ">", threshold: 1}
`)
	j, err := New(Rules{Alerts: al, Thresholds: thresholds(t, "GET /c: p(95)<100ms", "GET /d: failure_rate<1%", "p(99)<1s",
		"http_req_duration{name:GET /f,expected_response:true}: p(95)<100", "ok_p(99)<1s")})
	if err != nil {
		t.Fatal(err)
	}
	got := j.LatencyEndpoints()
	if len(got) != 2 || !got["GET /a"] || !got["GET /c"] {
		t.Errorf("latency endpoints %v, want GET /a and GET /c", got)
	}
	got = j.LatencyOKEndpoints()
	if len(got) != 2 || !got["GET /e"] || !got["GET /f"] {
		t.Errorf("latency_ok endpoints %v, want GET /e and GET /f", got)
	}
}

// After a reset of the statistics the rules judge the run since the
// reset. A threshold's verdict and its line say so, and its first failure
// after the reset is reported again. An alert keeps its state and its
// periods (no transition comes of the reset), but the verdict counts only
// the alarms since the reset: one in ALARM at the reset counts, one that
// ended before it does not.
func TestAResetStartsTheRunTheRulesJudge(t *testing.T) {
	rules := `alerts:
  - {name: cleared, metric: failure_rate, statistic: Average, period: 1s, comparison: ">", threshold: 10%, actions: [fail]}
  - {name: ongoing, metric: latency, statistic: Maximum, period: 1s, comparison: ">", threshold: 100ms, actions: [fail]}
`
	j, err := New(Rules{Alerts: alerts(t, rules), Thresholds: thresholds(t, "failure_rate<1%", "failure_rate<1% over 2s", "count>1000")})
	if err != nil {
		t.Fatal(err)
	}
	// Seconds 0-1 fail every request (a warm-up); the latency is slow
	// from second 3 to the end. The reset takes effect at second 4.
	var secs []series.Second
	for i := range 8 {
		failed, ms := int64(0), 5.0
		if i < 2 {
			failed = 10
		}
		if i >= 3 {
			ms = 500
		}
		s := second(i, 10, failed, ms)
		s.Reset = i == 4
		secs = append(secs, s)
	}
	steps := feed(t, j, secs)
	for i, st := range steps[4:] {
		if len(st.Transitions) > 0 {
			t.Errorf("second %d: transitions after the reset %+v: the alerts' state goes on", i+4, st.Transitions)
		}
	}
	o, err := j.Outcome()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(Lines(o), "\n")
	for _, want := range []string{
		"ok: failure_rate<1%: failure_rate=0% since the reset at 0:04 (limit <1%)",
		"ok: failure_rate<1% over 2s: failure_rate=0% in the last window; held in all 3 windows since the reset at 0:04 (limit <1%)",
		"fail: count>1000: count=40 since the reset at 0:04 (limit >1000)",
		`ok: alert "cleared": since the reset at 0:04: never in ALARM; ends in OK`,
		`fail: alert "ongoing": since the reset at 0:04: ALARM 1 time, first at 4s (500.223ms); ends in ALARM`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("verdicts lack %q:\n%s", want, got)
		}
	}
	// A failure after the reset is reported, though the threshold failed
	// before it.
	j2, _ := New(Rules{Thresholds: thresholds(t, "failure_rate<1%")})
	steps = feed(t, j2, []series.Second{second(0, 10, 10, 5), second(1, 10, 0, 5), func() series.Second {
		s := second(2, 10, 10, 5)
		s.Reset = true
		return s
	}()})
	if len(steps[0].Failing) != 1 || len(steps[1].Failing) != 0 || len(steps[2].Failing) != 1 {
		t.Errorf("first failures per second %d %d %d, want 1 0 1", len(steps[0].Failing), len(steps[1].Failing), len(steps[2].Failing))
	}
}
