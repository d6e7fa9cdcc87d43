package report

import (
	"math"
	"strings"
	"testing"
)

func TestWriteCapacityIsSelfContained(t *testing.T) {
	var b strings.Builder
	page := CapacityPage{Title: `<script>x</script>`, Unit: "req/s", Summary: "probe & answer",
		Points:      []CapacityPoint{{Load: 100, Achieved: 100, Latency: 20, Pass: true}, {Load: 200, Achieved: 150, Latency: math.NaN()}, {Load: 150, Achieved: 150, Latency: 90, Unsure: true}},
		LatencyName: "p(99)", LatencyLimit: 100, Max: 100, Knee: 150}
	if err := WriteCapacity(&b, page); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script") || !strings.Contains(out, "&lt;script&gt;x") {
		t.Error("the title is not escaped, or the page runs a script")
	}
	if n := strings.Count(out, "<svg"); n != 2 {
		t.Errorf("%d charts, want throughput and latency", n)
	}
	for _, want := range []string{"max sustainable", "knee", "SLO", "probe &amp; answer", `fill="#cf222e"`, `fill="#1a7f37"`, `fill="#bf8700"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Error("a missing latency was drawn as NaN")
	}
}
