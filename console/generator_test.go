package console

import (
	"bytes"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

func TestSummaryWarnsWhenTheGeneratorWasTheBottleneck(t *testing.T) {
	cpu := 99.0
	r := &results.Results{Test: results.Test{DurationS: 10}}
	r.Generator = &results.Generator{Verdict: "generator-bound", Bound: true, Cores: 1, BoundS: 7,
		Spans: []results.GeneratorSpan{{FromS: 3, ToS: 10, Why: "busy", WorstAtS: 8, LagP99Ms: 1800, CPUPct: &cpu}}}
	var buf bytes.Buffer
	Summary(&buf, r)
	want := "WARNING: Surge itself was the bottleneck from 0:03 to 0:10: scheduling lag p99 1800ms at 99% CPU of 1 core — " +
		"these latencies describe the generator, not the server"
	if !strings.Contains(buf.String(), want) {
		t.Errorf("summary lacks %q:\n%s", want, buf.String())
	}
	r.Generator = &results.Generator{Verdict: "ok", Cores: 1}
	buf.Reset()
	Summary(&buf, r)
	if strings.Contains(buf.String(), "bottleneck") {
		t.Errorf("a generator that kept up is warned about:\n%s", buf.String())
	}
}

func TestGeneratorEvidence(t *testing.T) {
	pct := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		span results.GeneratorSpan
		want string
	}{
		{results.GeneratorSpan{Why: "runaway", LagP99Ms: 2500},
			"scheduling lag p99 2500ms, the pacer falling further behind every second"},
		{results.GeneratorSpan{Why: "busy", LagP99Ms: 40, CPUPct: pct(112), DemandPct: pct(130)},
			"scheduling lag p99 40ms at 100% CPU of 2 cores"},
		{results.GeneratorSpan{Why: "starved", LagP99Ms: 900, CPUPct: pct(45), DemandPct: pct(120)},
			"scheduling lag p99 900ms wanting all of its 2 cores (it got 45%; other processes held the rest), falling further behind every second"},
		{results.GeneratorSpan{Why: "runaway", LagP99Ms: 900, CPUPct: pct(30), DemandPct: pct(40)},
			"scheduling lag p99 900ms at 30% CPU of 2 cores, the pacer falling further behind every second"},
		{results.GeneratorSpan{Why: "pool", LagP99Ms: 800, CPUPct: pct(20), DemandPct: pct(25)},
			"scheduling lag p99 800ms at 20% CPU of 2 cores, arrivals waiting for connections its growing pool had not opened yet"},
	} {
		if got := GeneratorEvidence(tc.span, 2); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

// A pool that grew too slowly for the load is mended with connections,
// not with a lower rate or more cores; any other span still asks for
// those.
func TestGeneratorWarningAdvice(t *testing.T) {
	r := &results.Results{Generator: &results.Generator{Verdict: "generator-bound", Bound: true, Cores: 1,
		Spans: []results.GeneratorSpan{{FromS: 0, ToS: 2, Why: "pool", LagP99Ms: 600}}}}
	if w := GeneratorWarning(r); !strings.Contains(w, "with --connections") || strings.Contains(w, "lower --rate") {
		t.Errorf("pool span: %q", w)
	}
	r.Generator.Spans = append(r.Generator.Spans, results.GeneratorSpan{FromS: 5, ToS: 8, Why: "busy", LagP99Ms: 60})
	if w := GeneratorWarning(r); !strings.Contains(w, "lower --rate") {
		t.Errorf("pool and busy spans: %q", w)
	}
}
