package series

import (
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

var t0 = time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)

// second is what one second of a recorded run holds: latencies in ms per
// endpoint (a negative one is a request that got no response).
type second map[int][]float64

// run records the seconds into a real recorder and returns its snapshots.
func run(t *testing.T, names []string, secs []second, resetAfter int) []metrics.Snapshot {
	t.Helper()
	rec := metrics.NewRecorder(names, 2, t0)
	var snaps []metrics.Snapshot
	for i, sec := range secs {
		for ep, lats := range sec {
			for _, ms := range lats {
				s := metrics.Sample{Endpoint: ep, Latency: time.Duration(math.Abs(ms) * float64(time.Millisecond)), Status: 200}
				if ms < 0 {
					s.Status, s.Err, s.Failed = 0, metrics.ErrorKind(1), true
				}
				rec.Record(uint64(ep), &s)
			}
		}
		if i == resetAfter {
			rec.Reset()
		}
		snaps = append(snaps, rec.Flush(t0.Add(time.Duration(i+1)*time.Second), i == len(secs)-1))
	}
	return snaps
}

func p(q float64) alert.Statistic { return alert.Statistic{Kind: alert.Percentile, P: q} }

func value(t *testing.T, secs []Second, m alert.Metric, st alert.Statistic) (float64, bool) {
	t.Helper()
	a := NewAcc(m)
	for _, s := range secs {
		if err := a.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	v, _, ok := a.Value(st)
	return v, ok
}

// Live gives each second its own per-endpoint latency, though snapshots
// hold it only since the start, and starts over after a reset.
func TestLiveSecondsHoldEachSecondsEndpointLatency(t *testing.T) {
	snaps := run(t, []string{"GET /a", "GET /b"}, []second{
		{0: {10, 10, 10}, 1: {5}},
		{0: {100, 100}},
		{0: {10}, 1: {7, 7}}, // after the reset: the same latency as before it
		{0: {20}},
	}, 1)
	var l Live
	var secs []Second
	for i := range snaps {
		secs = append(secs, l.Second(&snaps[i], nil))
	}
	a := alert.Metric{Name: alert.Latency, Endpoint: "GET /a"}
	for i, want := range []float64{10, 100, 10, 20} {
		if got, ok := value(t, secs[i:i+1], a, alert.Statistic{Kind: alert.Maximum}); !ok || math.Abs(got-want) > want*0.001 {
			t.Errorf("second %d: GET /a max %v (%v), want %v", i, got, ok, want)
		}
	}
	for i, want := range []float64{3, 2, 1, 1} {
		if got, _ := value(t, secs[i:i+1], a, alert.Statistic{Kind: alert.SampleCount}); got != want {
			t.Errorf("second %d: GET /a has %v latencies, want %v", i, got, want)
		}
	}
	if n := secs[1].Endpoints["GET /b"].Latency.TotalCount(); n != 0 {
		t.Errorf("GET /b had no request in second 1 but %d latencies", n)
	}
	if got, _ := value(t, secs, alert.Metric{Name: alert.Latency, Endpoint: "GET /b"}, alert.Statistic{Kind: alert.SampleCount}); got != 3 {
		t.Errorf("GET /b count over the run %v, want 3", got)
	}
	only := Live{Latency: map[string]bool{"GET /b": true}}
	s := only.Second(&snaps[0], nil)
	if s.Endpoints["GET /a"].Latency != nil || s.Endpoints["GET /b"].Latency.TotalCount() != 1 || s.Endpoints["GET /a"].Requests != 3 {
		t.Errorf("latency of the endpoints asked for: %+v", s.Endpoints)
	}
}

// A results file gives the same seconds for every rule it can judge, so
// a finished run is judged as it was live.
func TestResultsFileAndLiveAgree(t *testing.T) {
	secs := []second{{0: {10, 20, -30}}, {0: {40}, 1: {-1, -1}}, {}, {1: {300, 310, 320}}}
	snaps := run(t, []string{"GET /a", "POST /b"}, secs, -1)
	live, file := liveAndFile(t, snaps)
	checks := []struct {
		m  alert.Metric
		st alert.Statistic
	}{
		{alert.Metric{Name: alert.Latency}, p(99)},
		{alert.Metric{Name: alert.Latency}, alert.Statistic{Kind: alert.Average}},
		{alert.Metric{Name: alert.FailureRate}, alert.Statistic{Kind: alert.Average}},
		{alert.Metric{Name: alert.ErrorRate, Endpoint: "POST /b"}, alert.Statistic{Kind: alert.Average}},
		{alert.Metric{Name: alert.RPS}, alert.Statistic{Kind: alert.Maximum}},
		{alert.Metric{Name: alert.Requests, Endpoint: "GET /a"}, alert.Statistic{Kind: alert.Sum}},
		{alert.Metric{Name: alert.LatencyOK}, p(50)},
		{alert.Metric{Name: alert.LatencyOK}, alert.Statistic{Kind: alert.SampleCount}},
	}
	for _, c := range checks {
		for w := 1; w <= len(live); w++ {
			for from := 0; from+w <= len(live); from++ {
				lv, lok := value(t, live[from:from+w], c.m, c.st)
				fv, fok := value(t, file[from:from+w], c.m, c.st)
				if lv != fv || lok != fok {
					t.Errorf("%v %v over seconds %d..%d: live %v (%v), file %v (%v)", c.m, c.st, from, from+w-1, lv, lok, fv, fok)
				}
			}
		}
	}
	a := NewAcc(alert.Metric{Name: alert.Latency, Endpoint: "GET /a"})
	if err := a.Add(file[0]); !errors.Is(err, ErrNoEndpointLatency) {
		t.Errorf("endpoint latency from a file: %v", err)
	}
}

func TestAccStatistics(t *testing.T) {
	secs := []Second{
		{Index: 0, Duration: time.Second, Total: Sample{Requests: 10, Errors: 1, Failures: 2}, ActiveVUs: 3, MaxVUs: 5,
			Monitor: map[string]float64{"queue": 4}},
		{Index: 1, Duration: time.Second, Total: Sample{Requests: 30, Errors: 0, Failures: 2}, ActiveVUs: 1, MaxVUs: 4},
		{Index: 2, Duration: 2 * time.Second, Total: Sample{Requests: 0, Latency: metrics.NewHistogram()}, ActiveVUs: 7, MaxVUs: 7,
			Monitor: map[string]float64{"queue": 8}},
	}
	for _, c := range []struct {
		m    string
		st   alert.StatKind
		want float64
		ok   bool
	}{
		{alert.FailureRate, alert.Average, 4.0 / 40, true},
		{alert.ErrorRate, alert.Average, 1.0 / 40, true},
		{alert.RPS, alert.Average, 40.0 / 4, true},
		{alert.RPS, alert.Maximum, 30, true},
		{alert.RPS, alert.Minimum, 0, true},
		{alert.VUs, alert.Maximum, 7, true},
		{alert.VUs, alert.Average, 11.0 / 3, true},
		{alert.Requests, alert.Sum, 40, true},
		{alert.Failures, alert.Maximum, 2, true},
	} {
		got, ok := value(t, secs, alert.Metric{Name: c.m}, alert.Statistic{Kind: c.st})
		if ok != c.ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s %v: %v (%v), want %v (%v)", c.m, alert.Statistic{Kind: c.st}, got, ok, c.want, c.ok)
		}
	}
	q := alert.Metric{Name: "queue", Series: true}
	for st, want := range map[alert.StatKind]float64{alert.Average: 6, alert.Sum: 12, alert.Maximum: 8, alert.SampleCount: 2} {
		if got, ok := value(t, secs, q, alert.Statistic{Kind: st}); !ok || got != want {
			t.Errorf("series %v: %v, want %v", st, got, want)
		}
	}
	if _, ok := value(t, secs[1:2], q, alert.Statistic{Kind: alert.Average}); ok {
		t.Error("a second without the series gave it a value")
	}
	if _, ok := value(t, secs[2:], alert.Metric{Name: alert.Latency}, alert.Statistic{Kind: alert.Average}); ok {
		t.Error("latency over no request is not missing")
	}
	if _, ok := value(t, secs[2:], alert.Metric{Name: alert.FailureRate}, alert.Statistic{Kind: alert.Average}); ok {
		t.Error("a rate over no request is not missing")
	}
}

// A counter series is read as its increase; one that went down restarted.
func TestCounterSeriesAreIncreases(t *testing.T) {
	var l Live
	rec := metrics.NewRecorder([]string{"x"}, 1, t0)
	var got []map[string]float64
	for i, raw := range []map[string]float64{
		{"throttles_total": 100, "conc": 3},
		{"throttles_total": 104, "conc": 5},
		{"throttles_total": 2, "conc": 5},
		{"conc": 1},
		{"throttles_total": 7},
	} {
		s := rec.Flush(t0.Add(time.Duration(i+1)*time.Second), false)
		got = append(got, l.Second(&s, raw).Monitor)
	}
	want := []map[string]float64{
		{"conc": 3}, // the first scrape is only a baseline
		{"throttles_total": 4, "conc": 5},
		{"throttles_total": 2, "conc": 5},
		{"conc": 1},
		{}, // the previous scrape lacked it: no baseline
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Errorf("second %d: %v, want %v", i, got[i], want[i])
		}
		for k, v := range want[i] {
			if got[i][k] != v {
				t.Errorf("second %d: %s = %v, want %v", i, k, got[i][k], v)
			}
		}
	}
	for name, want := range map[string]bool{"a_total": true, `a_total{x="1"}`: true, "h_count": true, "h_sum": true, "total": false, `a{k="_total"}`: false} {
		if IsCounter(name) != want {
			t.Errorf("IsCounter(%s) = %v", name, !want)
		}
	}
}

// A target's metric with only labelled series (the Lambda emulator's
// surge_lambda_throttles_total, one series per cause) has no series under
// its bare name unless the monitor was told to keep it: an alert on the
// name reads the sum of its labelled series, and a series of that exact
// name where there is one.
func TestSeriesAlertReadsTheSumOfALabelledMetric(t *testing.T) {
	secs := []Second{
		{Index: 0, Duration: time.Second, Monitor: map[string]float64{`t_total{cause="a"}`: 3, `t_total{cause="b"}`: 4, "t_total_other": 50}},
		{Index: 1, Duration: time.Second, Monitor: map[string]float64{`t_total{cause="a"}`: 1}},
		{Index: 2, Duration: time.Second, Monitor: map[string]float64{"other": 1}},
	}
	sum := alert.Statistic{Kind: alert.Sum}
	if got, ok := value(t, secs, alert.Metric{Name: "t_total", Series: true}, sum); !ok || got != 8 {
		t.Errorf("sum of the labelled series: %v (%v), want 8", got, ok)
	}
	if got, ok := value(t, secs, alert.Metric{Name: "t_total", Series: true}, alert.Statistic{Kind: alert.SampleCount}); !ok || got != 2 {
		t.Errorf("seconds with the metric: %v (%v), want 2", got, ok)
	}
	secs[0].Monitor["t_total"] = 100 // the monitor's own sum, when it keeps one
	if got, _ := value(t, secs, alert.Metric{Name: "t_total", Series: true}, sum); got != 101 {
		t.Errorf("with the bare series: %v, want 101", got)
	}
	if _, ok := value(t, secs[2:], alert.Metric{Name: "t_total", Series: true}, sum); ok {
		t.Error("a datapoint from a second without the metric")
	}
}

// A reset of the statistics marks the first second counted after it, the
// same one live and from the results file, so that a rule judging "the
// run" judges what every view counts: the time since the reset.
func TestResetMarksTheSameSecondLiveAndFromAFile(t *testing.T) {
	snaps := run(t, []string{"GET /a"}, []second{{0: {10}}, {0: {-1}}, {0: {10}}, {0: {10}}}, 1)
	seconds, file := liveAndFile(t, snaps)
	var live, fromFile []bool
	for i := range seconds {
		live = append(live, seconds[i].Reset)
	}
	for _, s := range file {
		fromFile = append(fromFile, s.Reset)
	}
	// Reset after the second second's records: it takes effect at the
	// next flush, so the third second is the first of the new span.
	if want := "[false false true false]"; fmt.Sprint(live) != want || fmt.Sprint(fromFile) != want {
		t.Errorf("reset marks live %v, from the file %v; want %s", live, fromFile, want)
	}
}

// liveAndFile turns snaps into seconds twice: live, as a run sees them,
// and from the results file a builder fed the same snapshots writes.
func liveAndFile(t *testing.T, snaps []metrics.Snapshot) (live, file []Second) {
	t.Helper()
	var l Live
	var b results.Builder
	for i := range snaps {
		live = append(live, l.Second(&snaps[i], nil))
		b.Add(snaps[i])
	}
	doc, err := b.Results()
	if err != nil {
		t.Fatal(err)
	}
	if file, err = FromResults(doc); err != nil {
		t.Fatal(err)
	}
	return live, file
}

// Live gives each second each endpoint's latency of the requests that
// did not fail, as it gives their latency: from the snapshots' totals,
// starting over after a reset; the failed requests (negative here) are
// in the latency and not in it.
func TestLiveSecondsHoldEachSecondsLatencyOK(t *testing.T) {
	snaps := run(t, []string{"GET /a", "GET /b"}, []second{
		{0: {100, -2, -2, -2}, 1: {5}},
		{0: {300, 300, -1}},
		{0: {-1}, 1: {-7}}, // after the reset: no request that did not fail
		{0: {40, -1}},
	}, 1)
	var l Live
	var secs []Second
	for i := range snaps {
		secs = append(secs, l.Second(&snaps[i], nil))
	}
	ok := alert.Metric{Name: alert.LatencyOK, Endpoint: "GET /a"}
	all := alert.Metric{Name: alert.Latency, Endpoint: "GET /a"}
	for i, want := range []float64{100, 300, -1, 40} {
		got, has := value(t, secs[i:i+1], ok, p(50))
		if want < 0 && has || want >= 0 && (!has || math.Abs(got-want) > want*0.001) {
			t.Errorf("second %d: GET /a p50 of the requests that did not fail %v (%v), want %v", i, got, has, want)
		}
	}
	if got, _ := value(t, secs[:1], all, p(50)); got > 2.01 {
		t.Errorf("second 0: GET /a p50 of every request %v, want the fast failures' 2 ms", got)
	}
	if got, _ := value(t, secs, alert.Metric{Name: alert.LatencyOK}, alert.Statistic{Kind: alert.SampleCount}); got != 5 {
		t.Errorf("%v requests did not fail in the run, want 5", got)
	}
	only := Live{LatencyOK: map[string]bool{"GET /b": true}}
	s := only.Second(&snaps[0], nil)
	if s.Endpoints["GET /a"].LatencyOK != nil || s.Endpoints["GET /b"].LatencyOK.TotalCount() != 1 || s.Endpoints["GET /a"].Latency.TotalCount() != 4 {
		t.Errorf("latency of the endpoints asked for: %+v", s.Endpoints)
	}
}
