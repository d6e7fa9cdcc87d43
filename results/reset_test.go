package results

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/surge-dev/surge/metrics"
)

// TestResetMakesTheFileSelfConsistent: a 200 req/s test whose statistics
// are reset in its fourth second. The aggregate reads 200 req/s (not the
// requests since the reset over the whole test), the intervals before the
// reset are marked, and the others sum to the aggregate.
func TestResetMakesTheFileSelfConsistent(t *testing.T) {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 4, t0)
	b := Builder{Spool: true}
	defer b.Close()
	for sec := 1; sec <= 8; sec++ {
		for i := range 200 {
			span := rec.VUStarted(uint64(i))
			rec.Record(uint64(i), &metrics.Sample{Endpoint: i % 2, Latency: time.Millisecond, Status: 200})
			rec.VUFinished(uint64(i), span, "", "")
		}
		if sec == 4 {
			rec.Reset()
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 8))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.json")
	if err := WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	if r, err = ReadFile(path); err != nil {
		t.Fatal(err)
	}
	a := r.Aggregate
	if !r.Test.ResetAt.Equal(t0.Add(4*time.Second)) || a.SpanS != 4 || r.Test.DurationS != 8 {
		t.Fatalf("reset_at %v, span %v s of %v s", r.Test.ResetAt, a.SpanS, r.Test.DurationS)
	}
	if a.Requests != 800 || a.RPS != 200 || r.Endpoints[0].RPS != 100 || a.VUsers.Created != 800 {
		t.Fatalf("aggregate %d requests at %v/s (endpoint %v/s, %d VUs), want 800 at 200/s", a.Requests, a.RPS,
			r.Endpoints[0].RPS, a.VUsers.Created)
	}
	var sum int64
	for _, iv := range r.Intervals {
		if iv.BeforeReset != (iv.Index < 4) {
			t.Fatalf("interval %d: before_reset %v", iv.Index, iv.BeforeReset)
		}
		if !iv.BeforeReset {
			sum += iv.Requests
		}
	}
	if sum != a.Requests || r.Counters["http.requests"] != a.Requests {
		t.Fatalf("intervals since the reset sum to %d, counters say %d, aggregate %d", sum, r.Counters["http.requests"], a.Requests)
	}
}

// TestNoResetCoversTheWholeTest: without a reset, nothing is marked and
// the span is the test's duration.
func TestNoResetCoversTheWholeTest(t *testing.T) {
	r := buildSample(t)
	if !r.Test.ResetAt.IsZero() || r.Aggregate.SpanS != r.Test.DurationS {
		t.Fatalf("reset_at %v, span %v, duration %v", r.Test.ResetAt, r.Aggregate.SpanS, r.Test.DurationS)
	}
	for _, iv := range r.Intervals {
		if iv.BeforeReset {
			t.Fatalf("interval %d marked before a reset that did not happen", iv.Index)
		}
	}
}

// resetRun is six seconds of 50 requests whose statistics are reset in
// the third, with the stream the run writes alongside (the Builder's
// OnInterval, as session does).
func resetRun(t *testing.T) (*Results, []byte) {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /"}, 1, t0)
	var buf bytes.Buffer
	sw, err := NewStreamWriter(&buf, StreamHeader{Endpoints: []string{"GET /"}})
	if err != nil {
		t.Fatal(err)
	}
	b := Builder{OnInterval: func(iv Interval, resetAt time.Time) { sw.IntervalAfterReset(iv, resetAt) }}
	for sec := 1; sec <= 6; sec++ {
		for i := range 50 {
			rec.Record(uint64(i), &metrics.Sample{Latency: time.Duration(i+sec) * time.Millisecond, Status: 200})
		}
		if sec == 3 {
			rec.Reset()
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 6))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.End(r); err != nil {
		t.Fatal(err)
	}
	return r, buf.Bytes()
}

// TestCutStreamCountsFromTheReset: a stream cut short after a reset of
// the statistics reads back as the run's document would: the same reset,
// the same intervals marked, and an aggregate of the seconds since the
// reset only; cut one second earlier, of the seconds it still holds.
func TestCutStreamCountsFromTheReset(t *testing.T) {
	r, data := resetRun(t)
	lines := strings.SplitAfter(string(data), "\n") // header, t=0…5, end, ""
	if !strings.Contains(lines[4], `"reset_at"`) || strings.Count(string(data), `"reset_at"`) != 2 {
		t.Fatalf("want reset_at on the line of t=3 (and the end), stream:\n%s", data)
	}
	for drop, want := range map[int]int64{1: 150, 2: 100} {
		got, err := readBack(t, []byte(strings.Join(lines[:len(lines)-1-drop], "")))
		if err != nil {
			t.Fatal(err)
		}
		if !got.Test.ResetAt.Equal(r.Test.ResetAt) || got.Aggregate.Requests != want || got.Counters["http.requests"] != want {
			t.Fatalf("cut %d lines: reset_at %v, %d requests (counters %d); want %v, %d", drop, got.Test.ResetAt,
				got.Aggregate.Requests, got.Counters["http.requests"], r.Test.ResetAt, want)
		}
		for i, iv := range got.Intervals {
			if iv.BeforeReset != r.Intervals[i].BeforeReset {
				t.Fatalf("cut %d lines: interval %d before_reset %v", drop, i, iv.BeforeReset)
			}
		}
	}
	got, _ := readBack(t, []byte(strings.Join(lines[:len(lines)-2], "")))
	if d := cmp.Diff(r.Aggregate.Stats, got.Aggregate.Stats, ignoreBytes, cmpopts.EquateEmpty()); d != "" || got.Aggregate.SpanS != r.Aggregate.SpanS {
		t.Fatalf("span %v, want %v; rebuilt aggregate (-run's +rebuilt):\n%s", got.Aggregate.SpanS, r.Aggregate.SpanS, d)
	}
}
