package metrics

import (
	"maps"
	"runtime"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// An interval of up to fewMax requests needs no dense histograms: a
// recorder that took one request and flushed allocates a small fraction
// of one dense histogram (188 KB), where making the dense totals of both
// accumulators took 1.5 MB and cost a one-request run a garbage collection.
func TestFewRequestsAllocateNoDenseHistograms(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow allocations are counted too")
	}
	t0 := time.Unix(0, 0)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := NewRecorder([]string{"GET /"}, 2, t0)
	r.Record(1, &Sample{Latency: 3 * time.Millisecond, Service: 2 * time.Millisecond, Status: 200})
	snap := r.Flush(t0.Add(time.Second), true)
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > 150<<10 {
		t.Errorf("a one-request recorder and its final Flush allocated %d KB", got>>10)
	}
	s, ref := snap.Interval.Stats, NewHistogram()
	ref.RecordValue(3000) // µs; Max reads the highest value of its bucket
	if s.Requests != 1 || s.Latency.Max() != ref.Max() || s.Service.Max() != 2000 || s.LatencyOK.TotalCount() != 1 || s.ServiceOK.TotalCount() != 1 {
		t.Errorf("interval: %d requests, latency max %d, service max %d, %d/%d successes",
			s.Requests, s.Latency.Max(), s.Service.Max(), s.LatencyOK.TotalCount(), s.ServiceOK.TotalCount())
	}
}

// Across fewMax, the requests that waited move into the dense histograms
// and none is lost or counted twice; the next interval starts empty.
func TestFewRequestsMoveIntoDenseHistogramsExactly(t *testing.T) {
	t0 := time.Unix(0, 0)
	r := NewRecorder([]string{"GET /"}, 1, t0)
	want := NewStats("")
	for n := range fewMax + 37 {
		s := Sample{Latency: time.Duration(n+1) * time.Millisecond, Service: time.Duration(n+1) * 100 * time.Microsecond,
			Status: 200, Failed: n%5 == 0}
		r.Record(1, &s)
		want.Latency.RecordValue(micros(s.Latency))
		want.Service.RecordValue(micros(s.Service))
		if !s.Failed {
			want.LatencyOK.RecordValue(micros(s.Latency))
			want.ServiceOK.RecordValue(micros(s.Service))
		}
	}
	first := r.Flush(t0.Add(time.Second), false).Interval.Stats
	for _, c := range []struct {
		name      string
		got, want *hdr.PackedHistogram
	}{{"latency", first.Latency, want.Latency}, {"service", first.Service, want.Service},
		{"latency_ok", first.LatencyOK, want.LatencyOK}, {"service_ok", first.ServiceOK, want.ServiceOK}} {
		if got, want := buckets(c.got), buckets(c.want); !maps.Equal(got, want) {
			t.Errorf("%s: %d values in %d buckets, want %d in %d (recorded one by one)",
				c.name, c.got.TotalCount(), len(got), c.want.TotalCount(), len(want))
		}
	}
	r.Record(1, &Sample{Latency: time.Millisecond, Status: 200})
	next := r.Flush(t0.Add(2*time.Second), false).Interval.Stats
	if next.Requests != 1 || next.Latency.TotalCount() != 1 {
		t.Errorf("next interval: %d requests, %d latencies, want 1 and 1", next.Requests, next.Latency.TotalCount())
	}
}

// buckets is h's count at each value it holds.
func buckets(h *hdr.PackedHistogram) map[int64]int64 {
	out := map[int64]int64{}
	h.ForEachBucket(func(value, count int64) bool {
		out[value] = count
		return true
	})
	return out
}
