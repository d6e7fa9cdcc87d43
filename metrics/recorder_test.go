package metrics

import (
	"sync"
	"testing"
	"time"
)

func TestRecorderCountsAndPercentiles(t *testing.T) {
	t0 := time.Unix(1000, 0)
	r := NewRecorder([]string{"GET /a", "POST /b"}, 4, t0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				s := Sample{Endpoint: i % 2, Latency: time.Duration(i+1) * time.Millisecond,
					Service: time.Millisecond, Status: 200, BytesSent: 10, BytesRecv: 100}
				if i%100 == 0 {
					s.Status, s.Err, s.Failed = 0, ErrRefused, true
				}
				if i%100 == 1 {
					s.Status, s.Failed = 500, true
				}
				r.Record(uint64(g), &s)
			}
		}()
	}
	wg.Wait()
	snap := r.Flush(t0.Add(time.Second), true)
	tot := snap.Total
	if tot.Requests != 8000 || tot.Errors != 80 || tot.Codes[200] != 7840 || tot.Codes[500] != 80 ||
		tot.Kinds["ECONNREFUSED"] != 80 || tot.Failures != 160 {
		t.Fatalf("totals wrong: %+v %v %v failures %d", tot.Requests, tot.Codes, tot.Kinds, tot.Failures)
	}
	if f := snap.Interval.Endpoints[0].Failures + snap.Interval.Endpoints[1].Failures; f != 160 {
		t.Fatalf("interval failures %d, want 160", f)
	}
	if tot.BytesSent != 80000 || tot.BytesRecv != 800000 {
		t.Fatalf("bytes wrong: %d %d", tot.BytesSent, tot.BytesRecv)
	}
	if a, b := snap.Endpoints[0].Requests, snap.Endpoints[1].Requests; a != 4000 || b != 4000 {
		t.Fatalf("per endpoint: %d %d", a, b)
	}
	p99 := Percentile(tot.Latency, 99)
	if p99 < 985*time.Millisecond || p99 > 995*time.Millisecond {
		t.Fatalf("p99 = %v, want about 990ms", p99)
	}
	if snap.Interval.Stats.Requests != 8000 || snap.Interval.Endpoints[1].Requests != 4000 {
		t.Fatalf("interval: %+v", snap.Interval.Endpoints)
	}
	if snap.Interval.RPS() != 8000 {
		t.Fatalf("RPS = %v", snap.Interval.RPS())
	}
}

func TestIntervalsResetButTotalsAccumulate(t *testing.T) {
	t0 := time.Unix(0, 0)
	r := NewRecorder([]string{"x"}, 2, t0)
	for sec := 1; sec <= 3; sec++ {
		for i := range sec * 10 {
			r.Record(uint64(i), &Sample{Latency: time.Millisecond, Status: 200})
		}
		snap := r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3)
		if snap.Interval.Stats.Requests != int64(sec*10) || snap.Interval.Index != sec-1 {
			t.Fatalf("second %d: interval %d has %d requests", sec, snap.Interval.Index, snap.Interval.Stats.Requests)
		}
		if want := int64(sec * (sec + 1) / 2 * 10); snap.Total.Requests != want || snap.Endpoints[0].Requests != want {
			t.Fatalf("second %d: total %d, endpoint %d, want %d", sec, snap.Total.Requests, snap.Endpoints[0].Requests, want)
		}
		if snap.Total.Latency.TotalCount() != snap.Total.Requests {
			t.Fatalf("histogram count %d != requests %d", snap.Total.Latency.TotalCount(), snap.Total.Requests)
		}
	}
}

func TestVUAccounting(t *testing.T) {
	r := NewRecorder([]string{"x"}, 2, time.Unix(0, 0))
	for i := range 5 {
		r.VUStarted(uint64(i))
	}
	r.VUFinished(0, 0, "", "")
	r.VUFinished(1, 0, "EINVALIDURL", "url \"ftp://x\" has no http(s) scheme")
	r.VUFinished(2, 0, "EINVALIDURL", "second message")
	r.Dropped(3)
	snap := r.Flush(time.Unix(1, 0), false)
	want := VUs{Created: 5, Completed: 1, Failed: 2, Dropped: 1}
	if snap.VUs != want || snap.Interval.ActiveVUs != 2 || snap.Interval.MaxActive != 5 {
		t.Fatalf("got %+v active %d max %d", snap.VUs, snap.Interval.ActiveVUs, snap.Interval.MaxActive)
	}
	wantF := []VUFailure{{Reason: "EINVALIDURL", Count: 2, First: `url "ftp://x" has no http(s) scheme`}}
	if len(snap.Failures) != 1 || snap.Failures[0] != wantF[0] {
		t.Fatalf("failures %+v, want %+v", snap.Failures, wantF)
	}
}

func TestHistogramEncodingRoundTrip(t *testing.T) {
	h := NewHistogram()
	for i := int64(1); i < 5000; i++ {
		h.RecordValue(i * 37)
	}
	s, err := EncodeHistogram(h)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeHistogram(s)
	if err != nil {
		t.Fatal(err)
	}
	again, err := EncodeHistogram(back)
	if err != nil || again != s || back.TotalCount() != h.TotalCount() || back.Max() != h.Max() {
		t.Fatal("decoded histogram differs")
	}
	if _, err := DecodeHistogram("not a histogram"); err == nil {
		t.Fatal("garbage decoded without error")
	}
}

func BenchmarkRecord(b *testing.B) {
	r := NewRecorder([]string{"a", "b"}, 0, time.Now())
	s := Sample{Endpoint: 1, Latency: 3 * time.Millisecond, Service: 2 * time.Millisecond, Status: 200, BytesRecv: 512}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var k uint64
		for pb.Next() {
			k++
			r.Record(k, &s)
		}
	})
}

func TestNamedCounters(t *testing.T) {
	r := NewRecorder([]string{"x"}, 2, time.Unix(0, 0))
	ok, _ := RegisterCounter("plugins.expect.ok")
	bad, _ := RegisterCounter("plugins.expect.failed")
	r.Count(1, ok, 2)
	r.Count(2, ok, 1)
	r.Count(3, bad, 1)
	s1 := r.Flush(time.Unix(1, 0), false)
	r.Count(4, bad, 4)
	s2 := r.Flush(time.Unix(2, 0), true)
	if s1.Interval.Counters["plugins.expect.ok"] != 3 || s2.Interval.Counters["plugins.expect.failed"] != 4 {
		t.Fatalf("intervals %v %v", s1.Interval.Counters, s2.Interval.Counters)
	}
	if s2.Counters["plugins.expect.ok"] != 3 || s2.Counters["plugins.expect.failed"] != 5 {
		t.Fatalf("totals %v", s2.Counters)
	}
}

// BenchmarkRecordVaried records latencies that differ from one request to
// the next, as real ones do (BenchmarkRecord repeats one value).
func BenchmarkRecordVaried(b *testing.B) {
	r := NewRecorder([]string{"a", "b", "c", "d"}, 0, time.Now())
	samples := scaleSamples(1<<16, 4)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var k uint64
		for pb.Next() {
			k++
			r.Record(k, &samples[k&(1<<16-1)])
		}
	})
}

// The final Flush keeps no cleared accumulator for an interval that will
// not come (clearing it writes over 1 MB); a Flush after it still closes
// an interval of its own, with only what was recorded since, and its
// latency histograms agree with its count. An idle interval, whose
// histograms are neither merged nor reset, reads as empty.
func TestFlushAfterTheFinalOne(t *testing.T) {
	t0 := time.Unix(0, 0)
	r := NewRecorder([]string{"x"}, 2, t0)
	record := func(n int, status int) {
		for i := range n {
			r.Record(uint64(i), &Sample{Latency: time.Millisecond, Status: status, Failed: status >= 400})
		}
	}
	record(5, 200)
	r.Flush(t0.Add(time.Second), true)
	if r.spare != nil {
		t.Fatal("the final Flush kept a spare accumulator")
	}
	idle := r.Flush(t0.Add(2*time.Second), false)
	if idle.Interval.Stats.Requests != 0 || idle.Interval.Stats.Latency.TotalCount() != 0 {
		t.Fatalf("idle interval: %d requests, %d latencies", idle.Interval.Stats.Requests,
			idle.Interval.Stats.Latency.TotalCount())
	}
	record(3, 500)
	snap := r.Flush(t0.Add(3*time.Second), true)
	iv := snap.Interval.Stats
	if iv.Requests != 3 || iv.Latency.TotalCount() != 3 || iv.Service.TotalCount() != 3 || iv.LatencyOK.TotalCount() != 0 {
		t.Fatalf("after the final flush: %d requests, %d/%d/%d latencies/services/successes",
			iv.Requests, iv.Latency.TotalCount(), iv.Service.TotalCount(), iv.LatencyOK.TotalCount())
	}
	if snap.Total.Requests != 8 || snap.Total.Latency.TotalCount() != 8 {
		t.Fatalf("total %d requests, %d latencies, want 8", snap.Total.Requests, snap.Total.Latency.TotalCount())
	}
}
