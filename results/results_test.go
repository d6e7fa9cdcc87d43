package results

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
)

func buildSample(t *testing.T) *Results {
	t.Helper()
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "GET /b"}, 2, t0)
	var b Builder
	b.Test = Test{Name: "t", Target: "http://127.0.0.1"}
	for sec := 1; sec <= 3; sec++ {
		for i := range 100 {
			s := metrics.Sample{Endpoint: i % 2, Latency: time.Duration(i+1) * time.Millisecond, Service: time.Millisecond, Status: 200}
			if i == 0 {
				s.Status, s.Err, s.Failed = 0, metrics.ErrTimeout, true
			}
			if i == 1 {
				s.Status, s.Failed = 503, true
			}
			span := rec.VUStarted(uint64(i))
			rec.Record(uint64(i), &s)
			reason := ""
			if i == 0 {
				reason = "ETIMEDOUT"
			}
			rec.VUFinished(uint64(i), span, reason, "timed out")
		}
		b.Add(rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3))
	}
	r, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestResultsDocument(t *testing.T) {
	r := buildSample(t)
	a := r.Aggregate
	if r.Schema != "surge.results/v1" || a.Requests != 300 || a.Errors != 3 || a.Codes["200"] != 294 || a.Codes["503"] != 3 {
		t.Fatalf("aggregate: %+v", a)
	}
	if a.Failures != 6 || a.FailureRatePct != 2 || a.ErrorRatePct != 1 {
		t.Fatalf("failures %d (%v%%), error rate %v%%: want 6 (2%%) and 1%%", a.Failures, a.FailureRatePct, a.ErrorRatePct)
	}
	if e := r.Endpoints[1]; e.Failures != 3 || e.FailureRatePct != 2 || e.ErrorRatePct != 0 {
		t.Fatalf("endpoint GET /b: failures %d (%v%%), error rate %v%%", e.Failures, e.FailureRatePct, e.ErrorRatePct)
	}
	if iv := r.Intervals[0]; iv.Failures != 2 || iv.FailureRatePct != 2 || iv.ErrorRatePct != 1 ||
		iv.Endpoints[0].Failures != 1 || iv.Endpoints[1].Failures != 1 {
		t.Fatalf("interval failures %d (%v%%, errors %v%%), per endpoint %+v", iv.Failures, iv.FailureRatePct,
			iv.ErrorRatePct, iv.Endpoints)
	}
	v := a.VUsers
	if a.RPS != 100 || v.Created != 300 || v.Completed != 297 || v.Failed != 3 ||
		len(v.FailedBy) != 1 || v.FailedBy[0] != (VUFailure{Reason: "ETIMEDOUT", Count: 3, First: "timed out"}) {
		t.Fatalf("rps %v vusers %+v", a.RPS, a.VUsers)
	}
	if a.Latency.P99 < 98 || a.Latency.P99 > 100 || a.Latency.Max < 99.9 || a.Latency.Min != 1 {
		t.Fatalf("latency %+v", a.Latency)
	}
	if len(r.Endpoints) != 2 || r.Endpoints[0].Requests != 150 || r.Endpoints[1].Name != "GET /b" {
		t.Fatalf("endpoints %+v", r.Endpoints)
	}
	if len(r.Intervals) != 3 || r.Intervals[2].Requests != 100 || r.Intervals[1].Index != 1 || r.Intervals[0].Endpoints[0].Requests != 50 {
		t.Fatalf("intervals %+v", r.Intervals)
	}
	if _, ok := r.Aggregate.Counters["vusers.skipped"]; ok || r.Aggregate.Counters["vusers.failed"] != 3 {
		t.Fatalf("aggregate.counters %v: zero counters other than vusers.failed are left out", r.Aggregate.Counters)
	}
	if r.Counters["http.codes.200"] != 294 || r.Counters["errors.ETIMEDOUT"] != 3 || r.Counters["vusers.failed"] != 3 {
		t.Fatalf("counters %v", r.Counters)
	}
	h, err := metrics.DecodeHistogram(a.Hist.Latency)
	if err != nil || h.TotalCount() != 300 {
		t.Fatalf("aggregate histogram: %v %v", h, err)
	}
}

func TestWriteAndReadBack(t *testing.T) {
	r := buildSample(t)
	path := filepath.Join(t.TempDir(), "r.json")
	if err := WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	back, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Aggregate.Requests != 300 || len(back.Intervals) != 3 {
		t.Fatalf("read back %+v", back.Aggregate)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
	var raw map[string]any
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	agg := raw["aggregate"].(map[string]any)
	for _, k := range []string{"requests", "errors", "failures", "failure_rate_pct", "error_rate_pct", "codes", "rps", "latency_ms", "service_ms", "dropped", "vusers", "hist"} {
		if _, ok := agg[k]; !ok {
			t.Errorf("aggregate.%s missing from the file", k)
		}
	}
}

func TestReadFileRejectsOtherSchemas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(path, []byte(`{"schema":"other/v9"}`), 0o644)
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), "schema") {
		t.Fatalf("got %v", err)
	}
	os.WriteFile(path, []byte(`{`), 0o644)
	if _, err := ReadFile(path); err == nil {
		t.Fatal("broken JSON accepted")
	}
}

func TestWriteAtomicFailsCleanlyInMissingDir(t *testing.T) {
	if err := WriteAtomic(filepath.Join(t.TempDir(), "no", "such", "r.json"), []byte("x")); err == nil {
		t.Fatal("want an error")
	}
}

func TestResultsNeedFinalSnapshot(t *testing.T) {
	var b Builder
	if _, err := b.Results(); err == nil {
		t.Fatal("want an error without a final snapshot")
	}
}
