package ci

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/compare"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/series"
	"github.com/surge-dev/surge/threshold"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// judged runs real rules over six seconds, fast then slow: the p99 alert
// stops the run at 4 s, the p(99) threshold fails, the failure rate
// holds, and the endpoint threshold has no data.
func judged(t *testing.T) (judge.Outcome, []results.AlertEvent) {
	t.Helper()
	al, err := scenario.ParseAlerts("a.yml", []byte(`alerts:
  - {name: p99, metric: latency, statistic: p99, period: 2s, comparison: ">", threshold: 100ms, actions: [abort]}
  - {name: quiet, metric: errors, period: 2s, comparison: ">", threshold: 5, actions: [print]}
`))
	if err != nil {
		t.Fatal(err)
	}
	var ths []threshold.Threshold
	for _, e := range []string{"p(99)<100ms", "failure_rate<1%", "GET /x: p(95)<1s"} {
		th, err := threshold.Parse(e)
		if err != nil {
			t.Fatal(err)
		}
		ths = append(ths, th)
	}
	j, err := judge.New(judge.Rules{Thresholds: ths, Alerts: al.Alerts})
	if err != nil {
		t.Fatal(err)
	}
	var evs []results.AlertEvent
	var abort *judge.Abort
	for i := range 4 {
		h := metrics.NewHistogram()
		ms := 5.0
		if i >= 2 {
			ms = 300
		}
		_ = h.RecordValues(int64(ms*1000), 100)
		step, err := j.Add(series.Second{Index: i, Start: t0.Add(time.Duration(i) * time.Second), Duration: time.Second,
			Total: series.Sample{Requests: 100, Latency: h}})
		if err != nil {
			t.Fatal(err)
		}
		if step.Abort != nil {
			abort = step.Abort
		}
		for _, tr := range step.Transitions {
			evs = append(evs, results.AlertEvent{T: tr.Elapsed.Seconds(), Alert: tr.Alert.Name, From: tr.From.String(),
				To: tr.To.String(), Reason: tr.Reason})
		}
	}
	o, err := j.Outcome()
	if err != nil || abort == nil {
		t.Fatalf("outcome %v, abort %v", err, abort)
	}
	return o, evs
}

func sampleRun(t *testing.T) Run {
	o, evs := judged(t)
	r := &results.Results{Version: "test", Alerts: evs, Test: results.Test{Script: "load.yml", Target: "http://127.0.0.1:1",
		Started: t0, DurationS: 4.2, Interrupted: true, AbortedBy: o.Abort.By}}
	r.Aggregate.Requests = 400
	return Run{Name: "surge run load.yml", Results: r, Rules: o, Ensure: []ensure.Verdict{
		{Name: "http.response_time.p95 < 200", Threshold: "200", Actual: "183", Pass: true, Strict: true},
		{Name: "http.requests < 10", Threshold: "10", Actual: "400", Strict: true},
		{Name: "vusers.failed == 0", Threshold: "vusers.failed == 0", Actual: "", Strict: false},
	}}
}

// The run's JUnit report has the documented shape element by element,
// one case per threshold, alert and ensure check, and the failures are
// exactly the checks that fail the run, each with its measured value and
// limit.
func TestRunReportIsJUnitWithAValueAndALimitPerCase(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, RunReport(sampleRun(t))); err != nil {
		t.Fatal(err)
	}
	root := parse(t, b.Bytes())
	if root.name != "testsuites" {
		t.Fatalf("root %q", root.name)
	}
	checkShape(t, root, "/testsuites")
	if root.attrs["tests"] != "8" || root.attrs["failures"] != "3" || root.attrs["skipped"] != "1" ||
		root.attrs["timestamp"] != "2026-03-04T05:06:07" || root.attrs["time"] != "4.200" {
		t.Errorf("testsuites: %v", root.attrs)
	}
	want := map[string]struct{ result, typ, message string }{
		"p(99)<100ms":                  {"failure", "ThresholdFailed", "p(99)=300.031ms over the run (limit <100ms)"},
		"failure_rate<1%":              {"", "", "failure_rate=0% over the run (limit <1%)"},
		"GET /x: p(95)<1s":             {"skipped", "", "no data"},
		"p99":                          {"failure", "AbortedByAlert", "ALARM 1 time, first at 4s (300.031ms); ends in ALARM; rule: latency p99 > 100ms"},
		"quiet":                        {"", "", "never in ALARM; ends in OK"},
		"http.response_time.p95 < 200": {"", "", "measured 183; limit 200"},
		"http.requests < 10":           {"failure", "EnsureFailed", "measured 400; limit 10"},
		"vusers.failed == 0":           {"", "", "limit vusers.failed == 0"},
	}
	got := cases(root)
	for name, w := range want {
		c := got[name]
		if c == nil {
			t.Errorf("no test case %q", name)
			continue
		}
		message := c.text
		if r := c.child(w.result); w.result != "" && r == nil {
			t.Errorf("%s: no %s", name, w.result)
		} else if r != nil {
			message = r.attrs["message"]
			if r.attrs["type"] != w.typ {
				t.Errorf("%s: type %q, want %q", name, r.attrs["type"], w.typ)
			}
		}
		if w.result == "" {
			if resultCount(c) != 0 {
				t.Errorf("%s: a result element in a passing case", name)
			}
			message = c.child("system-out").text
		}
		if !strings.Contains(message, w.message) {
			t.Errorf("%s: message %q lacks %q", name, message, w.message)
		}
	}
	if d := got["p99"].child("failure").text; !strings.Contains(d, "2s INSUFFICIENT_DATA -> OK") || !strings.Contains(d, "4s OK -> ALARM") {
		t.Errorf("alert detail %q: want its changes of state", d)
	}
}

func TestCompareReportFailsWhatFailsTheExitCode(t *testing.T) {
	rows := []compare.Row{
		{Scope: "all", Metric: compare.P99, Base: 30, Head: 40, Ratio: 1.33, Lo: 1.2, Hi: 1.4, PAdjusted: 0.001, MarginWidth: 0.05, Verdict: compare.Regressed},
		{Scope: "all", Metric: compare.P50, Base: 10, Head: 10, Ratio: 1, Lo: 0.99, Hi: 1.01, PAdjusted: 1, MarginWidth: 0.05, Verdict: compare.NoChange},
		{Scope: "all", Metric: compare.OKP99, Base: 50, Head: 40, Ratio: 0.8, Lo: 0.7, Hi: 0.9, PAdjusted: 0.001, MarginWidth: 0.05, Verdict: compare.Improved},
		{Scope: "GET /v1.2/<x>.json", Metric: compare.P95, Base: 20, Head: 22, Ratio: 1.1, Lo: 0.9, Hi: 1.3, PAdjusted: 0.3, MarginWidth: 0.05, Verdict: compare.Inconclusive, MDE: 0.2},
	}
	rep := &compare.Report{Base: compare.RunInfo{Label: "main"}, Head: compare.RunInfo{Label: "pr"}, Rows: rows}
	for _, tt := range []struct {
		failOn            string
		failures, skipped string
	}{{"regression", "1", "1"}, {"inconclusive", "2", "0"}, {"none", "0", "1"}} {
		var b bytes.Buffer
		if err := WriteJUnit(&b, CompareReport([]*compare.Report{rep}, tt.failOn)); err != nil {
			t.Fatal(err)
		}
		root := parse(t, b.Bytes())
		checkShape(t, root, "/testsuites")
		if root.attrs["tests"] != "4" || root.attrs["failures"] != tt.failures || root.attrs["skipped"] != tt.skipped {
			t.Errorf("--fail-on %s: %v", tt.failOn, root.attrs)
		}
		c := cases(root)["all p99"]
		if c == nil || c.attrs["classname"] != "surge.compare.all" {
			t.Fatalf("--fail-on %s: cases %v", tt.failOn, cases(root))
		}
		// A row of the requests that did not fail is a case like any other.
		if ok := cases(root)["all ok_p99"]; ok == nil || !strings.Contains(ok.text+ok.child("system-out").textOr(), "ok_p99 50.0ms → 40.0ms: -20.0%") {
			t.Errorf("--fail-on %s: ok_p99 case %+v", tt.failOn, ok)
		}
		// Jenkins splits a class name at its last dot: an endpoint's dots
		// must not make a package of its path. The name keeps them.
		if e := cases(root)["GET /v1.2/<x>.json p95"]; e == nil || e.attrs["classname"] != "surge.compare.GET /v1_2/<x>_json" {
			t.Errorf("--fail-on %s: endpoint case %+v", tt.failOn, e)
		}
		text := c.text + c.child("system-out").textOr() + c.child("failure").attrOr("message")
		if !strings.Contains(text, "p99 30.0ms → 40.0ms: +33.0% [+20.0%, +40.0%], p=0.001, margin ±5%: regressed") {
			t.Errorf("--fail-on %s: message %q", tt.failOn, text)
		}
	}
}

func (n *node) textOr() string {
	if n == nil {
		return ""
	}
	return n.text
}

func (n *node) attrOr(a string) string {
	if n == nil {
		return ""
	}
	return n.attrs[a]
}

func TestRunMarkdownAndTheStepSummary(t *testing.T) {
	md := RunMarkdown(sampleRun(t), 111)
	for _, want := range []string{`### ⛔ surge run load.yml: stopped at 4s by alert "p99" (exit 111)`,
		"| ❌ | p(99)&lt;100ms | p(99)=300.031ms | &lt;100ms |", "| ➖ | GET /x: p(95)&lt;1s | no data |",
		`| ❌ | alert "p99" | ALARM 1 time, first at 4s (300.031ms); ends in ALARM | latency p99 &gt; 100ms, 1 of 1 periods of 2s |`,
		"| ⚠️ | vusers.failed == 0 |", "<summary>3 alert changes of state</summary>", "| 4s | p99 | OK → ALARM |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(path, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AppendStepSummary(path, md); err != nil {
		t.Fatal(err)
	}
	if err := AppendStepSummary(path, strings.Repeat("x", 2<<20)); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "earlier step\n### ⛔") || len(b) > len(md)+MaxStepSummary+200 ||
		!strings.HasSuffix(string(b), "longer than GitHub shows)*\n\n") {
		t.Errorf("step summary: %d bytes, starts %.40q, ends %q", len(b), b, b[max(0, len(b)-40):])
	}
}
