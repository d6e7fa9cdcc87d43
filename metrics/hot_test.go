package metrics

import (
	"math/rand"
	"testing"
	"time"
)

// TestHotEndpointsStayExact: busy endpoints switch to dense interval
// histograms (at most maxHot of them); their statistics stay exactly what
// recording every value into one histogram gives, across the switch, a
// reset, and snapshots kept from before. The seconds differ in when
// requests fail (see failsIn), since the dense sets keep the successes
// apart only from an interval's first failure.
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
		interval := NewStats("")
		const n = endpoints * hotAfter * 3 / 2 // hot halfway through the first second
		for i := range n {
			e := i % endpoints
			s := Sample{Endpoint: e, Latency: time.Duration(rng.ExpFloat64()*30e3) * time.Microsecond,
				Service: time.Duration(rng.Intn(9000)+1) * time.Microsecond, Status: 200}
			if failsIn(sec, i, n) {
				s.Status = 500
			}
			s.Failed = s.Status >= 400
			r.Record(uint64(i), &s)
			recordWanted(&interval, &s)
			recordWanted(want[e], &s)
		}
		if sec == 3 {
			r.Reset()
		}
		snap := r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 5)
		checkOK(t, snap)
		if got, w := describeStats(snap.Interval.Stats), describeStats(interval); got != w ||
			encode(t, snap.Interval.Stats.Latency) != encode(t, interval.Latency) ||
			encode(t, snap.Interval.Stats.LatencyOK) != encode(t, interval.LatencyOK) ||
			encode(t, snap.Interval.Stats.ServiceOK) != encode(t, interval.ServiceOK) {
			t.Fatalf("second %d, all endpoints:\ngot  %s\nwant %s", sec, got, w)
		}
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

// failsIn says whether request i of n in second sec fails: every seventh
// from the start, none at all, or only in the last quarter, long after
// the interval's dense sets took their first successes.
func failsIn(sec, i, n int) bool {
	switch sec % 3 {
	case 1:
		return i%7 == 6
	case 2:
		return false
	default:
		return i > n*3/4 && i%5 == 0
	}
}

// recordWanted adds a sample to statistics recorded value by value.
func recordWanted(s *Stats, smp *Sample) {
	s.Requests++
	s.Latency.RecordValue(micros(smp.Latency))
	s.Service.RecordValue(micros(smp.Service))
	s.Codes[smp.Status]++
	if smp.Failed {
		s.Failures++
		return
	}
	s.LatencyOK.RecordValue(micros(smp.Latency))
	s.ServiceOK.RecordValue(micros(smp.Service))
}
