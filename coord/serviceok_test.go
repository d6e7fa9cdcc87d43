package coord

import (
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// throttledSecond is one share's second of a throttled function: n
// requests, every other one an instant 429 (100 µs), the rest served in
// 40 ms.
func throttledSecond(t *testing.T, index, n int) results.Interval {
	t.Helper()
	s := metrics.NewStats("")
	for i := range n {
		s.Requests++
		us := int64(40_000)
		if i%2 == 0 {
			us = 100
			s.Failures++
			s.Codes[429]++
		} else {
			s.Codes[200]++
			s.LatencyOK.RecordValue(us)
			s.ServiceOK.RecordValue(us)
		}
		s.Latency.RecordValue(us)
		s.Service.RecordValue(us)
	}
	iv, err := results.IntervalOf(metrics.Interval{Index: index, Start: time.Unix(int64(index), 0), Duration: time.Second,
		Stats: s, Endpoints: []metrics.Count{{Requests: s.Requests, Failures: s.Failures}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return iv
}

// The service time of the requests that did not fail travels from the
// shares' seconds through the live merge into the coordinator's view:
// every merged second and the running total count the successes alone,
// and their median is the successes', not a 429's.
func TestServiceOKTravelsThroughTheLiveMerge(t *testing.T) {
	m := NewMerger([]string{"s0", "s1"}, [][]string{{"a"}, {"a"}}, -1)
	v := NewView(time.Unix(0, 0), []string{"a"})
	var snap metrics.Snapshot
	for idx := range 3 {
		for s := range 2 {
			merged, err := m.Add(s, throttledSecond(t, idx, 10+s*7), idx == 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, iv := range merged {
				if ok := iv.ServiceOK; ok == nil || ok.Sample != iv.Requests-iv.Failures || ok.P50 < 39 {
					t.Fatalf("merged second %d: service_ok %+v over %d requests, %d failures", iv.Index, ok, iv.Requests, iv.Failures)
				}
				if snap, err = v.Snapshot(iv, iv.Index == 2); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	tot := snap.Total
	if tot.ServiceOK == nil || tot.ServiceOK.TotalCount() != tot.Requests-tot.Failures || tot.Failures == 0 {
		t.Fatalf("total: %d requests, %d failures, service_ok %v", tot.Requests, tot.Failures, tot.ServiceOK)
	}
	if all, ok := metrics.Percentile(tot.Service, 50), metrics.Percentile(tot.ServiceOK, 50); all > time.Millisecond || ok < 39*time.Millisecond {
		t.Fatalf("median service time of every request %v, of the requests that did not fail %v", all, ok)
	}
}
