package report

import (
	"math"
	"testing"

	"github.com/surge-dev/surge/results"
)

func TestDistribution(t *testing.T) {
	r := synth(t, 10, 1000, "GET /a", "GET /b")
	d, err := BuildDistribution(r)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(r.Aggregate.Latency.Sample)
	if d.X[0] != 1 || d.X[len(d.X)-1] != n || len(d.X) != 1+int(math.Ceil(math.Log10(n)*ticksPerDecade)) {
		t.Errorf("x from %v to %v in %d points", d.X[0], d.X[len(d.X)-1], len(d.X))
	}
	labels := []string{"latency (corrected)", "service time", "GET /a", "GET /b"}
	if len(d.Series) != len(labels) {
		t.Fatalf("%d curves", len(d.Series))
	}
	for i, c := range d.Series {
		if c.Label != labels[i] || len(c.Ms) != len(d.X) {
			t.Errorf("curve %d: %q with %d points", i, c.Label, len(c.Ms))
		}
		for j := 1; j < len(c.Ms); j++ {
			if c.Ms[j] < c.Ms[j-1] {
				t.Fatalf("%s decreases at %d: %v < %v", c.Label, j, c.Ms[j], c.Ms[j-1])
			}
		}
	}
	if last := d.Series[0].Ms[len(d.X)-1]; math.Abs(last-r.Aggregate.Latency.Max) > 0.001 {
		t.Errorf("curve ends at %v, max is %v", last, r.Aggregate.Latency.Max)
	}
	if d.Series[0].Ms[0] < 0.99 || d.Series[0].Ms[0] > 1.01 {
		t.Errorf("curve starts at %v ms, min is 1 ms", d.Series[0].Ms[0])
	}
}

func TestDistributionWithoutData(t *testing.T) {
	if d, err := BuildDistribution(&results.Results{}); d != nil || err != nil {
		t.Errorf("no histogram: %v, %v", d, err)
	}
	r := synth(t, 2, 10, "GET /a", "GET /b")
	r.Endpoints[1].Hist.Latency = "not a histogram"
	if _, err := BuildDistribution(r); err == nil {
		t.Error("a broken histogram went unnoticed")
	}
}
