package threshold

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/series"
)

// BenchmarkWindowedP99 is one second of a p(99) threshold over a 300 s
// window, at 2,000 requests a second with log-normal latencies (median
// 20 ms): the cost a windowed threshold adds to each second of a run.
func BenchmarkWindowedP99(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	secs := make([]series.Second, 600)
	for i := range secs {
		h := metrics.NewHistogram()
		for range 2000 {
			_ = h.RecordValue(int64(20000 * math.Exp(rng.NormFloat64()*0.8)))
		}
		secs[i] = series.Second{Index: i, Duration: time.Second, Total: series.Sample{Requests: 2000, Latency: h}}
	}
	th, err := Parse("p(99)<300ms over 300s")
	if err != nil {
		b.Fatal(err)
	}
	e := NewEvaluator(th)
	for _, s := range secs[:300] {
		_, _, _ = e.Add(s)
	}
	b.ResetTimer()
	for i := range b.N {
		s := secs[300+i%300]
		s.Index = 300 + i
		if _, _, err := e.Add(s); err != nil {
			b.Fatal(err)
		}
	}
}
