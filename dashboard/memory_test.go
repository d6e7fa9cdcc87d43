package dashboard

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// publishSeconds feeds s n seconds of a two-endpoint test whose latencies
// spread over five decades, as a real run's do, and returns the plain
// results builder fed the same snapshots.
func publishSeconds(s *Server, n int) *results.Builder {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 2, t0)
	rng := rand.New(rand.NewPCG(1, 2))
	plain := &results.Builder{}
	for i := range n {
		for j := range 3000 {
			lat := time.Duration(math.Exp(rng.Float64()*13.8) * float64(100*time.Microsecond))
			rec.Record(uint64(j), &metrics.Sample{Endpoint: j % 2, Latency: lat, Status: 200})
		}
		snap := rec.Flush(t0.Add(time.Duration(i+1)*time.Second), i == n-1)
		s.Publish(snap, nil)
		plain.Add(snap)
	}
	return plain
}

// The dashboard builds a frame every second from the intervals so far;
// those it keeps in memory hold no histograms (most of an interval's
// size), which wait in a temporary file for a download. A long run's
// dashboard grew by about 7 KB a second.
func TestDashboardKeepsIntervalHistogramsOutOfMemory(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "memory"})
	const warm, n = 100, 600
	publishSeconds(s, warm)
	before := liveHeap()
	publishSeconds(s, n)
	grown := liveHeap() - before
	_, body := get(t, srv.URL+"/api/results.json", nil)
	runtime.KeepAlive(s)
	var r results.Results
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	var histBytes int
	for _, iv := range r.Intervals[warm:] {
		histBytes += len(iv.Hist.Latency) + len(iv.Hist.Service)
	}
	if histBytes == 0 {
		t.Fatal("the downloaded intervals hold no histograms")
	}
	t.Logf("heap grew by %d bytes over %d seconds; their histograms are %d bytes", grown, n, histBytes)
	if grown > int64(histBytes)/2 {
		t.Errorf("heap grew by %d bytes over %d seconds whose histograms are %d bytes", grown, n, histBytes)
	}
}

// A download holds every interval as a results file does: the same
// histograms, bucket for bucket, as a builder fed the same snapshots.
func TestDashboardDownloadHoldsEveryIntervalWhole(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "whole"})
	plain := publishSeconds(s, 40)
	want, err := plain.Results()
	if err != nil {
		t.Fatal(err)
	}
	_, body := get(t, srv.URL+"/api/results.json", nil)
	var got results.Results
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Intervals) != len(want.Intervals) {
		t.Fatalf("%d intervals downloaded, want %d", len(got.Intervals), len(want.Intervals))
	}
	for i := range want.Intervals {
		if got.Intervals[i].Hist != want.Intervals[i].Hist || got.Intervals[i].Hist.Latency == "" {
			t.Errorf("interval %d: histograms differ from the results file's", i)
		}
	}
	for _, iv := range s.run.light {
		if iv.Hist != (results.Histograms{}) {
			t.Fatal("an interval kept for the frames holds its histograms")
		}
	}
}

// liveHeap is the heap in use after two collections.
func liveHeap() int64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
