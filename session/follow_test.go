package session

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/threshold"
)

// slowStats is one second of a followed test: 10 requests of 50 ms.
func slowStats() metrics.Stats {
	s := metrics.NewStats("")
	for range 10 {
		s.Requests++
		s.Codes[200]++
		s.Latency.RecordValue(50000)
		s.Service.RecordValue(50000)
	}
	return s
}

// slowSecond is second i of a followed test, as its snapshot.
func slowSecond(start time.Time, i int, total *metrics.Stats) metrics.Snapshot {
	s := slowStats()
	total.Add(s)
	ep := total.Clone()
	ep.Name = "GET /"
	return metrics.Snapshot{Start: start, Elapsed: time.Duration(i+1) * time.Second, Since: start,
		Interval: metrics.Interval{Index: i, Start: start.Add(time.Duration(i) * time.Second), Duration: time.Second, Stats: s,
			Endpoints: []metrics.Count{{Requests: 10}}},
		Total: total.Clone(), Endpoints: []metrics.Stats{ep}}
}

// A followed test (a coordinator's merged shares) is shown on a dashboard
// that can stop it but not steer it, and judged: a threshold with
// abortOnFail asks for the stop, and the verdict and the event go into
// the document Finish writes.
func TestFollowShowsJudgesAndStopsButDoesNotSteer(t *testing.T) {
	addr := freeaddr.Loopback(t)
	th, err := threshold.Parse("http_req_duration: p(99)<10 abortOnFail")
	if err != nil {
		t.Fatal(err)
	}
	var stops atomic.Int32
	out := filepath.Join(t.TempDir(), "merged.json")
	phases := []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 10, Duration: time.Minute}}
	f, err := Follow(context.Background(), Followed{Phases: phases, Meta: results.Test{Target: "http://x"}},
		Options{Dashboard: Dashboard{Addr: addr}, Thresholds: []threshold.Threshold{th}, ResultsFile: out},
		func() { stops.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	if code, v := call(t, "POST", addr, "/api/load", `{"rate": 50}`); code != http.StatusConflict || !strings.Contains(v["error"].(string), "distributed test") {
		t.Fatalf("a load change on a followed test: %d %v", code, v)
	}
	call(t, "POST", addr, "/api/stop", "{}")
	if stops.Load() != 1 {
		t.Fatalf("the page's stop called stop %d times", stops.Load())
	}
	start, total := time.Now(), metrics.NewStats("")
	for i := range 3 {
		f.Snapshot(slowSecond(start, i, &total), results.Interval{})
	}
	if stops.Load() != 2 {
		t.Fatalf("a failing abortOnFail threshold: stop called %d times in all, want 2", stops.Load())
	}
	r := &results.Results{Schema: results.Schema, Test: results.Test{Started: start, Interrupted: true}, Aggregate: results.Aggregate{Stats: results.Stats{Requests: 30}}}
	res, err := f.Finish(r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rules.Abort == nil || res.Interrupted || r.Test.AbortedBy == "" {
		t.Fatalf("outcome %+v, aborted by %q", res.Rules, r.Test.AbortedBy)
	}
	if written, err := results.ReadFile(out); err != nil || written.Test.AbortedBy != r.Test.AbortedBy {
		t.Fatalf("results file: %v, %+v", err, written)
	}
}

// slowInterval is second i of a followed test as the results document
// holds it.
func slowInterval(t *testing.T, start time.Time, i int) results.Interval {
	s := slowStats()
	hist, err := metrics.EncodeHistogram(s.Latency)
	if err != nil {
		t.Fatal(err)
	}
	service, err := metrics.EncodeHistogram(s.Service)
	if err != nil {
		t.Fatal(err)
	}
	iv := results.Interval{Index: i, Start: start.Add(time.Duration(i) * time.Second), DurationS: 1,
		Endpoints: []results.EndpointCount{{Requests: 10}}}
	iv.Requests, iv.Codes = 10, map[string]int64{"200": 10}
	iv.Hist.Latency, iv.Hist.Service = hist, service
	return iv
}

// A followed test writes its stream as a run does: the header before any
// second, each second as the coordinator merges it, the document at the
// end; cut short (the coordinator killed), what it holds is still read.
func TestFollowWritesTheMergedStream(t *testing.T) {
	dir := t.TempDir()
	phases := []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 10, Duration: 3 * time.Second}}
	plan := &results.Plan{SHA256: "abc", Sequence: "0:1/2:1", Segment: "0:1", Arrivals: 30}
	for _, complete := range []bool{true, false} {
		path := filepath.Join(dir, fmt.Sprintf("stream-%v.jsonl", complete))
		file, err := results.CreateStream(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Follow(context.Background(), Followed{Phases: phases, Meta: results.Test{Target: "http://x"},
			Endpoints: []string{"GET /"}, Plan: plan}, Options{Stream: file}, func() {})
		if err != nil {
			t.Fatal(err)
		}
		start, total := time.Now(), metrics.NewStats("")
		for i := range 3 {
			f.Snapshot(slowSecond(start, i, &total), slowInterval(t, start, i))
		}
		if complete {
			doc := &results.Results{Schema: results.Schema, Test: results.Test{Target: "http://x", Started: start},
				Aggregate: results.Aggregate{Stats: results.Stats{Requests: 30}}, Plan: plan}
			if _, err := f.Finish(doc); err != nil {
				t.Fatal(err)
			}
		} else {
			f.Abandon()
		}
		file.Close()
		got, err := results.ReadFile(path)
		if err != nil {
			t.Fatalf("complete %v: %v", complete, err)
		}
		if len(got.Intervals) != 3 || got.Aggregate.Requests != 30 || got.Test.CutShort == complete ||
			got.Plan == nil || got.Plan.SHA256 != "abc" {
			t.Fatalf("complete %v: %d seconds, %d requests, cut short %v, plan %+v", complete, len(got.Intervals),
				got.Aggregate.Requests, got.Test.CutShort, got.Plan)
		}
	}
}
