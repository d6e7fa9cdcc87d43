package report

import (
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/surge-dev/surge/results"
)

func TestTimelineKeepsEverySecondWhenItFits(t *testing.T) {
	r := synth(t, 120, 10, "GET /")
	tl := BuildTimeline(r, 0)
	if tl.BucketS != 1 || len(tl.T) != 120 || tl.T[119] != 119 || tl.RPS[3] != 13 {
		t.Fatalf("bucket %d, %d points, t[119]=%v rps[3]=%v", tl.BucketS, len(tl.T), tl.T[119], tl.RPS[3])
	}
	if !math.IsNaN(tl.Monitor["cpu_seconds"][50]) || tl.Monitor["cpu_seconds"][51] != 45.9 {
		t.Errorf("monitor gap not kept: %v %v", tl.Monitor["cpu_seconds"][50], tl.Monitor["cpu_seconds"][51])
	}
	if BuildTimeline(&results.Results{}, 0) != nil {
		t.Error("timeline without intervals")
	}
}

func TestTimelineDownsamplesAnHour(t *testing.T) {
	r := synth(t, 3600, 10, "GET /a", "GET /b")
	r.Intervals[2000].RPS = 1 // a dip
	tl := BuildTimeline(r, 0)
	if tl.BucketS != 4 || len(tl.T) != 1800 {
		t.Fatalf("bucket %d s, %d points", tl.BucketS, len(tl.T))
	}
	for name, s := range map[string]Series{"rps": tl.RPS, "p99": tl.Latency.P99, "503": tl.Codes["503"],
		"endpoint": tl.Endpoints[1].RPS, "monitor": tl.Monitor["cpu_seconds"], "ETIMEDOUT": tl.ErrorKind["ETIMEDOUT"]} {
		if len(s) != len(tl.T) {
			t.Errorf("%s: %d points, want %d", name, len(s), len(tl.T))
		}
	}
	if slices.Max(tl.Latency.P99) != 900 || slices.Max(tl.Service.P99) != 720 {
		t.Errorf("latency spike lost: p99 max %v", slices.Max(tl.Latency.P99))
	}
	if slices.Min(tl.RPS) != 1 || slices.Max(tl.RPS) != 16 || slices.Max(tl.ErrorKind["ETIMEDOUT"]) != 3 {
		t.Errorf("rps range %v..%v lost", slices.Min(tl.RPS), slices.Max(tl.RPS))
	}
	// Bucket 308 holds the spike second 1234 (2nd of 4): latency keeps
	// its maximum on both points.
	if tl.T[616] != 1232 || tl.T[617] != 1234 || tl.Latency.P99[616] != 900 || tl.Latency.P99[617] != 900 {
		t.Errorf("spike bucket: t %v %v p99 %v %v", tl.T[616], tl.T[617], tl.Latency.P99[616], tl.Latency.P99[617])
	}
}

func TestExtremesKeepTimeOrder(t *testing.T) {
	ivs := make([]results.Interval, 4)
	get := func(iv *results.Interval) float64 { return iv.RPS }
	for i, v := range []float64{5, 9, 1, 4} {
		ivs[i].RPS = v
	}
	if a, b := extremes(ivs, get); a != 9 || b != 1 {
		t.Errorf("max before min: got %v, %v", a, b)
	}
	if a, b := extremes(ivs[2:], get); a != 1 || b != 4 {
		t.Errorf("min before max: got %v, %v", a, b)
	}
	nan := func(*results.Interval) float64 { return math.NaN() }
	if a, b := extremes(ivs, nan); !math.IsNaN(a) || !math.IsNaN(b) {
		t.Errorf("all gaps: got %v, %v", a, b)
	}
}

func TestBucketWidth(t *testing.T) {
	for _, c := range []struct{ n, max, want int }{{10, 2000, 1}, {2000, 2000, 1}, {2001, 2000, 3}, {3600, 2000, 4}, {86400, 2000, 87}, {5, 2, 5}} {
		if got := bucketWidth(c.n, c.max); got != c.want {
			t.Errorf("bucketWidth(%d, %d) = %d, want %d", c.n, c.max, got, c.want)
		}
		if pts := (sampler{ivs: make([]results.Interval, c.n), k: bucketWidth(c.n, c.max)}).points(); pts > c.max {
			t.Errorf("%d intervals make %d points, over %d", c.n, pts, c.max)
		}
	}
}

func TestSeriesJSON(t *testing.T) {
	b, err := Series{1, 2.0000049, math.NaN(), 1e6, -0.5, 0.000123456789, 36e6 + 0.4, 86399.5}.MarshalJSON()
	if err != nil || string(b) != "[1,2,null,1000000,-0.5,0.000123457,36000000,86399.5]" {
		t.Fatalf("got %s, %v", b, err)
	}
	var s Series
	if err := s.UnmarshalJSON(b); err != nil || len(s) != 8 || !math.IsNaN(s[2]) || s[3] != 1e6 {
		t.Errorf("round trip: %v, %v", s, err)
	}
}

func TestTimelineCapsEndpointSeries(t *testing.T) {
	names := make([]string, 30)
	for i := range names {
		names[i] = "GET /" + strconv.Itoa(i)
	}
	if tl := BuildTimeline(synth(t, 3, 10, names...), 0); len(tl.Endpoints) != maxEndpointSeries {
		t.Errorf("%d endpoint series", len(tl.Endpoints))
	}
}

// withTail returns a results file of 30 steady seconds at 100/s whose
// last interval, the wait for the requests in flight, lasts tail seconds
// and completes n requests, half of them timed out. The aggregate is the
// intervals' sum, as ReadFile holds it to be.
func withTail(t *testing.T, tail float64, n int64) *results.Results {
	t.Helper()
	r := synth(t, 30, 100, "GET /")
	last := &r.Intervals[len(r.Intervals)-1]
	last.DurationS, last.Requests, last.RPS = tail, n, float64(n)/tail
	last.Codes = map[string]int64{"200": n - n/2}
	last.Errors, last.Failures, last.ErrorKind = n/2, n/2, map[string]int64{"ETIMEDOUT": n / 2}
	last.VUsers.Created = 0
	last.Endpoints[0].Requests = n
	last.Endpoints[0].Errors, last.Endpoints[0].Failures = n/2, n/2
	a := &r.Aggregate
	a.Requests, a.Errors, a.Failures, a.Codes, a.ErrorKind = 0, 0, 0, map[string]int64{}, map[string]int64{}
	for _, iv := range r.Intervals {
		a.Requests, a.Errors, a.Failures = a.Requests+iv.Requests, a.Errors+iv.Errors, a.Failures+iv.Failures
		for k, v := range iv.Codes {
			a.Codes[k] += v
		}
		for k, v := range iv.ErrorKind {
			a.ErrorKind[k] += v
		}
	}
	r.Endpoints[0].Stats = results.Stats{Requests: a.Requests, Errors: a.Errors, Failures: a.Failures, Hist: r.Endpoints[0].Hist}
	path := filepath.Join(t.TempDir(), "results.json")
	if err := results.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	back, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func TestAShortLastIntervalIsNotPlotted(t *testing.T) {
	for _, n := range []int64{2, 60} { // a dip (10/s) and a spike (300/s) over 0.2 s
		r := withTail(t, 0.2, n)
		tl := BuildTimeline(r, 0)
		if len(tl.T) != 29 || tl.T[28] != 28 {
			t.Fatalf("%d requests in 0.2 s: %d points ending at %v, want the 29 full seconds", n, len(tl.T), tl.T[len(tl.T)-1])
		}
		lo, hi := slices.Min(tl.RPS), slices.Max(tl.RPS)
		if lo < 100 || hi > 106 || slices.Max(tl.Endpoints[0].RPS) > 106 || slices.Max(tl.Errors) > 1 ||
			slices.Max(tl.Codes["200"]) > 100 || len(tl.ErrorKind) != 0 {
			t.Errorf("%d requests in 0.2 s: rps %v..%v, errors up to %v", n, lo, hi, slices.Max(tl.Errors))
		}
		if d := embeddedData(t, renderString(t, r, Options{})); d.Timeline == nil || len(d.Timeline.T) != 29 {
			t.Errorf("the report's embedded timeline does not leave the tail out")
		}
	}
}

func TestAPartialIntervalOfHalfASecondOrMoreIsARateOverItsLength(t *testing.T) {
	r := withTail(t, 0.6, 60)
	tl := BuildTimeline(r, 0)
	if len(tl.T) != 30 || tl.RPS[29] != 100 || tl.Endpoints[0].RPS[29] != 100 || tl.Codes["200"][29] != 50 || tl.Errors[29] != 50 {
		t.Fatalf("0.6 s with 60 requests: %d points, last rps %v endpoint %v 200s %v errors %v; want 100/s",
			len(tl.T), tl.RPS[29], tl.Endpoints[0].RPS[29], tl.Codes["200"][29], tl.Errors[29])
	}
	if one := BuildTimeline(&results.Results{Endpoints: r.Endpoints, Intervals: r.Intervals[:1]}, 0); one == nil {
		t.Fatal("the first interval must be plotted, however short")
	}
}

// The latency of the requests that did not fail is charted beside the
// latency of all: each second's own, a gap (null in the JSON) in a second
// in which every request failed, never 0; absent for a file without it.
func TestTimelineLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	ivs := []results.Interval{
		{Index: 0, Requests: 10, Failures: 8, Latency: results.Latency{P50: 1, P95: 90, P99: 95},
			LatencyOK: &results.Latency{P50: 80, P95: 90, P99: 95, Sample: 2}},
		{Index: 1, Requests: 10, Failures: 10, Latency: results.Latency{P50: 1, P95: 1, P99: 2},
			LatencyOK: &results.Latency{}},
	}
	tl := BuildTimeline(&results.Results{Intervals: ivs}, 0)
	if tl.LatencyOK == nil || tl.LatencyOK.P50[0] != 80 || tl.LatencyOK.P99[0] != 95 || !math.IsNaN(tl.LatencyOK.P50[1]) {
		t.Fatalf("latency_ok %+v; want p50 80 then a gap", tl.LatencyOK)
	}
	b, err := json.Marshal(tl.LatencyOK)
	if err != nil || string(b) != `{"p50":[80,null],"p95":[90,null],"p99":[95,null]}` {
		t.Errorf("latency_ok as JSON %s (%v)", b, err)
	}
	ivs[0].LatencyOK, ivs[1].LatencyOK = nil, nil
	if tl := BuildTimeline(&results.Results{Intervals: ivs}, 0); tl.LatencyOK != nil {
		t.Errorf("a file without it: latency_ok %+v", tl.LatencyOK)
	}
}
