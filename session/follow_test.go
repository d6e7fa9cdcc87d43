package session

import (
	"context"
	"github.com/surge-dev/surge/internal/freeaddr"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/threshold"
)

// slowSecond is second i of a followed test: 10 requests of 50 ms.
func slowSecond(start time.Time, i int, total *metrics.Stats) metrics.Snapshot {
	s := metrics.NewStats("")
	for range 10 {
		s.Requests++
		s.Codes[200]++
		s.Latency.RecordValue(50000)
		s.Service.RecordValue(50000)
	}
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
	f, err := Follow(context.Background(), phases, results.Test{Target: "http://x"},
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
		f.Snapshot(slowSecond(start, i, &total), nil)
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
