package metrics

import (
	"math/rand"
	"testing"
	"time"
)

// TestHotEndpointsStayExact: busy endpoints switch to dense interval
// histograms (at most maxHot of them); their statistics stay exactly what
// recording every value into one histogram gives, across the switch, a
// reset, and snapshots kept from before.
func TestHotEndpointsStayExact(t *testing.T) {
	const endpoints = maxHot + 2
	names := make([]string, endpoints)
	for i := range names {
		names[i] = string(rune('a' + i))
	}
	t0 := time.Unix(0, 0)
	r := NewRecorder(names, 4, t0)
	want := make([]*Stats, endpoints)
	fresh := func() {
		for e := range want {
			s := NewStats(names[e])
			want[e] = &s
		}
	}
	fresh()
	rng := rand.New(rand.NewSource(3))
	var kept Snapshot
	var keptText string
	for sec := 1; sec <= 5; sec++ {
		for i := range endpoints * hotAfter * 3 / 2 { // hot halfway through the first second
			e := i % endpoints
			s := Sample{Endpoint: e, Latency: time.Duration(rng.ExpFloat64()*30e3) * time.Microsecond,
				Service: time.Duration(rng.Intn(9000)+1) * time.Microsecond, Status: 200 + 300*(i%7/6)}
			s.Failed = s.Status >= 400
			r.Record(uint64(i), &s)
			want[e].Requests++
			want[e].Latency.RecordValue(micros(s.Latency))
			want[e].Service.RecordValue(micros(s.Service))
			want[e].Codes[s.Status]++
			if s.Failed {
				want[e].Failures++
			} else {
				want[e].LatencyOK.RecordValue(micros(s.Latency))
				want[e].ServiceOK.RecordValue(micros(s.Service))
			}
		}
		if sec == 3 {
			r.Reset()
		}
		snap := r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 5)
		checkOK(t, snap)
		for e := range want {
			if got, w := describeStats(snap.Endpoints[e]), describeStats(*want[e]); got != w ||
				encode(t, snap.Endpoints[e].Latency) != encode(t, want[e].Latency) ||
				encode(t, snap.Endpoints[e].Service) != encode(t, want[e].Service) ||
				encode(t, snap.Endpoints[e].LatencyOK) != encode(t, want[e].LatencyOK) ||
				encode(t, snap.Endpoints[e].ServiceOK) != encode(t, want[e].ServiceOK) {
				t.Fatalf("second %d, endpoint %d:\ngot  %s\nwant %s", sec, e, got, w)
			}
		}
		if sec == 2 {
			kept, keptText = snap, describe(snap)
		}
		if sec == 3 {
			fresh() // the reset takes effect from the next interval
		}
	}
	if describe(kept) != keptText {
		t.Fatal("a snapshot kept from before the reset changed")
	}
	if r.hot.Load() != maxHot {
		t.Fatalf("%d hot endpoints, want the bound %d", r.hot.Load(), maxHot)
	}
}
