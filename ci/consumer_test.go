package ci

import (
	"bytes"
	"testing"

	junit "github.com/joshdk/go-junit"
)

// A real consumer's JUnit parser (go-junit, which CI dashboards built in
// Go use) reads the run's report back: the suites, every case with its
// status, and the failures' messages carrying the measured value and the
// limit.
func TestAJUnitConsumerReadsTheRunReport(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJUnit(&b, RunReport(sampleRun(t))); err != nil {
		t.Fatal(err)
	}
	suites, err := junit.Ingest(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var total junit.Totals
	status := map[string]junit.Status{}
	messages := map[string]string{}
	for _, s := range suites {
		total.Tests += s.Totals.Tests
		total.Failed += s.Totals.Failed
		total.Skipped += s.Totals.Skipped
		for _, c := range s.Tests {
			status[c.Name] = c.Status
			if c.Error != nil {
				messages[c.Name] = c.Error.Error()
			}
		}
	}
	if len(suites) != 3 || total.Tests != 8 || total.Failed != 3 || total.Skipped != 1 {
		t.Fatalf("%d suites, totals %+v: want 3 suites, 8 tests, 3 failed, 1 skipped", len(suites), total)
	}
	want := map[string]junit.Status{"p(99)<100ms": junit.StatusFailed, "failure_rate<1%": junit.StatusPassed,
		"GET /x: p(95)<1s": junit.StatusSkipped, "p99": junit.StatusFailed, "http.requests < 10": junit.StatusFailed}
	for name, w := range want {
		if status[name] != w {
			t.Errorf("%s: %s, want %s", name, status[name], w)
		}
	}
	if m := messages["p(99)<100ms"]; m != "p(99)=300.031ms over the run (limit <100ms)" {
		t.Errorf("the consumer reads the failure as %q", m)
	}
}
