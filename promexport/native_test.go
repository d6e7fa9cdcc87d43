package promexport

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/promtest"
)

// TestPrometheusReadsTheNativeHistograms: a real Prometheus with native
// histograms on (it then scrapes the protobuf format) takes them, and the
// p99 it computes from them is the HDR histogram's to within one native
// bucket (schema 5: 2.2 %).
func TestPrometheusReadsTheNativeHistograms(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := NewExporter(Test{Name: "native"})
	snap := snapshot(t)
	e.Update(&snap)
	s, err := Serve("127.0.0.1:0", e)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	prom := promtest.Start(t, ctx, s.Addr(), 250*time.Millisecond, "--enable-feature=native-histograms")
	sel := `surge_latency_seconds{endpoint="GET /a"}`
	n := promtest.Eventually(t, prom, `histogram_count(`+sel+`)`, 10*time.Second, func(v float64) bool { return v == 200 })
	if len(n) != 1 || n[0] != 200 {
		t.Fatalf("histogram_count %v, want 200", n)
	}
	q := promtest.Query(t, prom, `histogram_quantile(0.99, `+sel+`)`)
	want := float64(snap.Endpoints[0].Latency.ValueAtPercentile(99)) / 1e6
	if len(q) != 1 || math.Abs(q[0]-want)/want > 0.022 {
		t.Fatalf("native p99 %v s, HDR %v s: want within 2.2 %%", q, want)
	}
	t.Logf("native p99 %v s, HDR p99 %v s", q[0], want)
}
