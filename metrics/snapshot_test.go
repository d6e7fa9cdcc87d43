package metrics

import (
	"fmt"
	"math/rand"
	"sync"
	"testing"
	"time"
)

// TestResetStartsANewSpan: after Reset, the totals cover the intervals
// from the one after the flush that saw the reset, so that rates over
// Span() are the rates of those intervals, and the intervals of the new
// span sum to the totals.
func TestResetStartsANewSpan(t *testing.T) {
	t0 := time.Unix(100, 0)
	r := NewRecorder([]string{"a", "b"}, 4, t0)
	var snaps []Snapshot
	flush := func(sec int) Snapshot {
		s := r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 5)
		snaps = append(snaps, s)
		return s
	}
	for sec := 1; sec <= 5; sec++ {
		n, lat := 50, time.Second // slow before the reset
		if sec > 3 {
			n, lat = 200, time.Millisecond
		}
		for i := range n {
			span := r.VUStarted(uint64(i))
			r.Record(uint64(i), &Sample{Endpoint: i % 2, Latency: lat, Service: lat, Status: 200})
			r.VUFinished(uint64(i), span, "", "")
		}
		if sec == 3 {
			r.Reset() // during the third second
		}
		flush(sec)
	}
	atReset, last := snaps[2], snaps[4]
	if atReset.Total.Requests != 150 || !atReset.Since.Equal(t0) || atReset.FirstInterval != 0 {
		t.Fatalf("the flush that sees the reset still covers the old span: %d requests since %v (interval %d)",
			atReset.Total.Requests, atReset.Since, atReset.FirstInterval)
	}
	if !last.Since.Equal(t0.Add(3*time.Second)) || last.FirstInterval != 3 || last.Span() != 2*time.Second {
		t.Fatalf("new span: since %v, first interval %d, span %v", last.Since, last.FirstInterval, last.Span())
	}
	var sum int64
	for _, s := range snaps[last.FirstInterval:] {
		sum += s.Interval.Stats.Requests
	}
	if last.Total.Requests != 400 || sum != last.Total.Requests || last.VUs.Created != 400 {
		t.Fatalf("totals %d (VUs %d), intervals of the span sum to %d", last.Total.Requests, last.VUs.Created, sum)
	}
	if rate := float64(last.Total.Requests) / last.Span().Seconds(); rate != 200 {
		t.Fatalf("rate over the span %v, want 200/s", rate)
	}
	for e, st := range last.Endpoints {
		if st.Requests != 200 || st.Latency.TotalCount() != 200 || Percentile(st.Latency, 100) > 2*time.Millisecond {
			t.Fatalf("endpoint %d after reset: %d requests, %d latencies, max %v", e, st.Requests,
				st.Latency.TotalCount(), Percentile(st.Latency, 100))
		}
	}
	if Percentile(last.Total.Latency, 100) > 2*time.Millisecond {
		t.Fatalf("total latency still holds the slow requests before the reset")
	}
}

// TestSnapshotsStayAsHandedOut: a consumer may keep a snapshot while the
// test goes on; nothing the recorder does later changes it.
func TestSnapshotsStayAsHandedOut(t *testing.T) {
	t0 := time.Unix(0, 0)
	r := NewRecorder([]string{"a", "b", "c"}, 3, t0)
	record := func(n int, status int) {
		for i := range n {
			r.Record(uint64(i), &Sample{Endpoint: i % 3, Latency: time.Duration(i+1) * time.Millisecond, Status: status})
		}
	}
	record(300, 200)
	first := r.Flush(t0.Add(time.Second), false)
	before := describe(first)
	for sec := 2; sec <= 4; sec++ {
		record(300*sec, 503)
		if sec == 3 {
			r.Reset()
		}
		r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 4)
	}
	if after := describe(first); after != before {
		t.Fatalf("a kept snapshot changed:\nbefore %s\nafter  %s", before, after)
	}
}

// describe renders everything a consumer reads from a snapshot.
func describe(s Snapshot) string {
	out := fmt.Sprintf("total %s interval %s", describeStats(s.Total), describeStats(s.Interval.Stats))
	for _, e := range s.Endpoints {
		out += " | " + describeStats(e)
	}
	return out
}

func describeStats(s Stats) string {
	return fmt.Sprintf("%d req %d err %d fail codes %v kinds %v lat %d/%v svc %d/%v ok %d/%v svc ok %d/%v", s.Requests, s.Errors, s.Failures,
		s.Codes, s.Kinds, s.Latency.TotalCount(), Percentile(s.Latency, 99), s.Service.TotalCount(), Percentile(s.Service, 99),
		s.LatencyOK.TotalCount(), Percentile(s.LatencyOK, 99), s.ServiceOK.TotalCount(), Percentile(s.ServiceOK, 99))
}

// checkOK holds every figure of a snapshot to the invariant of LatencyOK
// and ServiceOK: each counts the requests that did not fail, Requests −
// Failures.
func checkOK(t *testing.T, snap Snapshot) {
	t.Helper()
	all := append([]Stats{snap.Total, snap.Interval.Stats}, snap.Endpoints...)
	for i, s := range all {
		if s.LatencyOK == nil || s.LatencyOK.TotalCount() != s.Requests-s.Failures {
			t.Fatalf("interval %d, stats %d (%s): the latency of the requests that did not fail counts %v, want %d − %d",
				snap.Interval.Index, i, s.Name, s.LatencyOK.TotalCount(), s.Requests, s.Failures)
		}
		if s.ServiceOK == nil || s.ServiceOK.TotalCount() != s.Requests-s.Failures {
			t.Fatalf("interval %d, stats %d (%s): the service time of the requests that did not fail counts %v, want %d − %d",
				snap.Interval.Index, i, s.Name, s.ServiceOK.TotalCount(), s.Requests, s.Failures)
		}
	}
}

// TestTotalsAreTheSumOfIntervals records from many goroutines while
// flushing, and checks that every request lands in exactly one interval,
// and that per-endpoint statistics since the start agree with the
// per-endpoint interval counts and with the total.
func TestTotalsAreTheSumOfIntervals(t *testing.T) {
	t0 := time.Unix(0, 0)
	names := []string{"a", "b", "c", "d", "e"}
	r := NewRecorder(names, 8, t0)
	const goroutines, perG = 6, 20000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(g)))
			for i := range perG {
				s := Sample{Endpoint: rng.Intn(len(names)), Latency: time.Duration(1+rng.Intn(5e6)) * time.Microsecond, Status: 200}
				if i%7 == 0 {
					s.Status, s.Failed = 404, true
				}
				r.Record(uint64(g*perG+i), &s)
			}
		}()
	}
	var ivSum int64
	perEndpoint := make([]int64, len(names))
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for sec := 1; ; sec++ {
		finished := false
		select {
		case <-done:
			finished = true
		case <-time.After(time.Millisecond):
		}
		s := r.Flush(t0.Add(time.Duration(sec)*time.Second), finished)
		checkOK(t, s)
		ivSum += s.Interval.Stats.Requests
		for e, c := range s.Interval.Endpoints {
			perEndpoint[e] += c.Requests
		}
		if !finished {
			continue
		}
		var epSum int64
		for e, st := range s.Endpoints {
			if st.Requests != perEndpoint[e] || st.Latency.TotalCount() != st.Requests || st.Codes[404]+st.Codes[200] != st.Requests {
				t.Fatalf("endpoint %d: %d requests, intervals say %d, %d latencies, codes %v", e, st.Requests,
					perEndpoint[e], st.Latency.TotalCount(), st.Codes)
			}
			epSum += st.Requests
		}
		if want := int64(goroutines * perG); s.Total.Requests != want || ivSum != want || epSum != want ||
			s.Total.Latency.TotalCount() != want {
			t.Fatalf("total %d, intervals %d, endpoints %d, histogram %d, want %d", s.Total.Requests, ivSum, epSum,
				s.Total.Latency.TotalCount(), want)
		}
		return
	}
}

// TestHistogramsAreExact: the recorder's histograms hold what recording
// every value into one histogram directly would.
func TestHistogramsAreExact(t *testing.T) {
	t0 := time.Unix(0, 0)
	r := NewRecorder([]string{"a", "b"}, 4, t0)
	want := []*Stats{{Latency: NewHistogram()}, {Latency: NewHistogram()}}
	all := NewHistogram()
	rng := rand.New(rand.NewSource(7))
	for sec := 1; sec <= 3; sec++ {
		for i := range 5000 {
			d := time.Duration(rng.ExpFloat64()*20e3) * time.Microsecond
			e := i % 2
			r.Record(uint64(i), &Sample{Endpoint: e, Latency: d, Status: 200})
			want[e].Latency.RecordValue(micros(d))
			all.RecordValue(micros(d))
		}
		s := r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3)
		for e := range want {
			if got, w := encode(t, s.Endpoints[e].Latency), encode(t, want[e].Latency); got != w {
				t.Fatalf("second %d, endpoint %d: histogram differs from direct recording", sec, e)
			}
		}
		if encode(t, s.Total.Latency) != encode(t, all) {
			t.Fatalf("second %d: total histogram differs from direct recording", sec)
		}
	}
}

func encode(t *testing.T, h interface{ Encode() ([]byte, error) }) string {
	t.Helper()
	b, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestVUsCountInTheSpanTheyStarted: VUs running at a reset end in the
// new span without being counted there, so that its completed and failed
// VUs never outnumber the ones it created; the new span's own VUs count
// in full, and so do the old ones' requests.
func TestVUsCountInTheSpanTheyStarted(t *testing.T) {
	t0 := time.Unix(100, 0)
	r := NewRecorder([]string{"a"}, 4, t0)
	old := make([]Span, 10)
	for i := range old {
		old[i] = r.VUStarted(uint64(i))
	}
	r.Reset()
	if s := r.Flush(t0.Add(time.Second), false); s.VUs.Created != 10 {
		t.Fatalf("the span before the reset created %d VUs, want 10", s.VUs.Created)
	}
	for i := 10; i < 13; i++ { // three new VUs: two complete, one fails
		span := r.VUStarted(uint64(i))
		reason := ""
		if i == 12 {
			reason = "ETIMEDOUT"
		}
		r.VUFinished(uint64(i), span, reason, "timed out")
	}
	for i, span := range old { // the old ones end now, one of them failing
		r.Record(uint64(i), &Sample{Endpoint: 0, Latency: time.Millisecond, Status: 200})
		reason := ""
		if i == 0 {
			reason = "ECONNRESET"
		}
		r.VUFinished(uint64(i), span, reason, "reset")
	}
	s := r.Flush(t0.Add(2*time.Second), true)
	want := VUs{Created: 3, Completed: 2, Failed: 1}
	if s.VUs != want || s.Interval.VUs != want {
		t.Fatalf("after the reset: span %+v, interval %+v, want %+v", s.VUs, s.Interval.VUs, want)
	}
	if len(s.Failures) != 1 || s.Failures[0].Reason != "ETIMEDOUT" {
		t.Fatalf("failure reasons %+v, want the new VU's ETIMEDOUT only", s.Failures)
	}
	if s.Total.Requests != 10 || s.Interval.ActiveVUs != 0 {
		t.Fatalf("%d requests of the old VUs counted, %d VUs still active", s.Total.Requests, s.Interval.ActiveVUs)
	}
}

// TestLatencyOKLeavesTheFailuresOut: fast failures (a 503 at once, a
// refused connection) pull the percentiles of every request down; the
// latency and the service time of the requests that did not fail hold the
// slow successes alone, per interval, per endpoint and in total, across a
// reset.
func TestLatencyOKLeavesTheFailuresOut(t *testing.T) {
	t0 := time.Unix(0, 0)
	r := NewRecorder([]string{"a", "b"}, 2, t0)
	for sec := 1; sec <= 3; sec++ {
		for i := range 300 {
			s := Sample{Endpoint: i % 2, Latency: 200 * time.Millisecond, Service: 150 * time.Millisecond, Status: 200}
			switch i % 3 {
			case 0:
				s.Latency, s.Service, s.Status, s.Failed = 2*time.Millisecond, time.Millisecond, 503, true
			case 1:
				s.Latency, s.Service, s.Status, s.Err, s.Failed = time.Millisecond, time.Millisecond, 0, ErrorKind(1), true
			}
			r.Record(uint64(i), &s)
		}
		if sec == 2 {
			r.Reset()
		}
		snap := r.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3)
		checkOK(t, snap)
		for _, s := range append([]Stats{snap.Total, snap.Interval.Stats}, snap.Endpoints...) {
			if all, ok := Percentile(s.Latency, 50), Percentile(s.LatencyOK, 50); all > 2*time.Millisecond || ok < 199*time.Millisecond {
				t.Fatalf("second %d, %q: p50 of every request %v, of the requests that did not fail %v", sec, s.Name, all, ok)
			}
			if all, ok := Percentile(s.Service, 50), Percentile(s.ServiceOK, 50); all > 2*time.Millisecond || ok < 149*time.Millisecond {
				t.Fatalf("second %d, %q: p50 service time of every request %v, of the requests that did not fail %v", sec, s.Name, all, ok)
			}
		}
	}
}
