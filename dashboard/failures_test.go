package dashboard

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// TestFramesCountFailuresAsRecorded: a test expecting 404 (a lookup of
// absent items, say) records its 404s as successes and its 500s as
// failures; the frame shows what was recorded, not a rule of its own.
func TestFramesCountFailuresAsRecorded(t *testing.T) {
	expect, err := metrics.ParseStatusSet("200-399,404")
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /items"}, 2, t0)
	for i := range 100 {
		s := metrics.Sample{Latency: time.Millisecond, Status: []int{200, 404, 200, 500, 200}[i%5]}
		s.Failed = !expect.Has(s.Status)
		rec.Record(uint64(i), &s)
	}
	s, _, _ := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "t"})
	s.Publish(rec.Flush(t0.Add(time.Second), true), nil)
	var f Frame
	s.mu.Lock()
	err = json.Unmarshal(s.run.frame, &f)
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if f.Summary.Requests != 100 || f.Summary.Failures != 20 || f.Endpoints[0].Failures != 20 {
		t.Fatalf("frame: %d requests, %d failures (endpoint %d), want 100 and 20", f.Summary.Requests,
			f.Summary.Failures, f.Endpoints[0].Failures)
	}
}

// The frame says how many requests went out twice, so that the
// dashboard too gives the server's count (requests plus resent).
func TestFramesCountResentRequests(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /items"}, 2, t0)
	resent, _ := metrics.RegisterCounter(metrics.ResentCounter)
	for i := range 10 {
		rec.Record(uint64(i), &metrics.Sample{Latency: time.Millisecond, Status: 200})
	}
	rec.Count(0, resent, 4)
	s, _, _ := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "t"})
	s.Publish(rec.Flush(t0.Add(time.Second), true), nil)
	var f Frame
	s.mu.Lock()
	err := json.Unmarshal(s.run.frame, &f)
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if f.Summary.Requests != 10 || f.Summary.Resent != 4 {
		t.Fatalf("frame: %d requests, %d resent; want 10 and 4", f.Summary.Requests, f.Summary.Resent)
	}
}
