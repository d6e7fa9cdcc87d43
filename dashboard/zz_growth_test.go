package dashboard

import (
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

func BenchmarkTmpPublishLate(b *testing.B) {
	s := New(Config{}, &recordingController{})
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 2, t0)
	s.BeginRun(results.Test{Name: "t"})
	i := 0
	pub := func() {
		for j := range 200 {
			rec.Record(uint64(j), &metrics.Sample{Endpoint: j % 2, Latency: time.Duration(j+1) * 100 * time.Microsecond, Status: 200})
		}
		s.Publish(rec.Flush(t0.Add(time.Duration(i+1)*time.Second), false), nil)
		i++
	}
	for range 7200 {
		pub()
	}
	b.ResetTimer()
	for b.Loop() {
		pub()
	}
}
