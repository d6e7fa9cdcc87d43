package report

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// A run in which Surge itself was the bottleneck says so at the top of
// the report, in its facts, and shades those seconds on the charts.
func TestReportShowsWhenTheGeneratorWasTheBottleneck(t *testing.T) {
	r := synth(t, 20, 10, "GET /")
	cpu := 99.0
	r.Generator = &results.Generator{Verdict: "generator-bound", Bound: true, BoundS: 7, Cores: 1,
		Spans: []results.GeneratorSpan{{FromS: 3, ToS: 10, Why: "busy", WorstAtS: 8, LagP99Ms: 1800, CPUPct: &cpu}}}
	page := renderString(t, r, Options{assets: fakeAssets()})
	for _, want := range []string{`id="generator-bound"`,
		"Surge itself was the bottleneck from 0:03 to 0:10: scheduling lag p99 1800ms at 99% CPU of 1 core",
		"these latencies describe the generator, not the server", "The charts shade those seconds.",
		"<dt>Generator</dt><dd>the bottleneck for 7s of the run, on 1 core</dd>"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	tl := embeddedData(t, page).Timeline
	if tl == nil || len(tl.Bands) != 1 || tl.Bands[0].From != 3 || tl.Bands[0].To != 10 {
		t.Fatalf("bands %+v", tl)
	}
	r.Generator = &results.Generator{Verdict: "ok", Cores: 2}
	page = renderString(t, r, Options{assets: fakeAssets()})
	if strings.Contains(page, `id="generator-bound"`) || !strings.Contains(page, "<dd>kept up, on 2 cores</dd>") {
		t.Error("a generator that kept up: warned about, or its fact missing")
	}
}
