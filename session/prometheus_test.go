package session

import (
	"context"
	"errors"
	"math"
	"net"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/internal/promtest"
	"github.com/surge-dev/surge/promexport"
	"github.com/surge-dev/surge/results"
)

// TestPrometheusRoundTrip runs a test that a real Prometheus scrapes and
// receives by remote write, and reads the numbers back through its HTTP
// API: the request count equals the results file's on both paths, and
// the p99 that histogram_quantile reads from the classic buckets lies in
// the bucket that holds the results file's p99.
func TestPrometheusRoundTrip(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv := newRecordingServer(t)
	addr := freeaddr.Loopback(t)
	prom := promtest.Start(t, ctx, addr, 250*time.Millisecond)
	out := filepath.Join(t.TempDir(), "r.json")
	var notices syncBuffer
	o := Options{ResultsFile: out, Notices: &notices, Prometheus: Prometheus{Addr: addr, Linger: 20 * time.Second,
		RemoteWrite: prom + "/api/v1/write", Labels: map[string]string{"job": "surge-push", "run": "r1"}}}
	res, err := Run(ctx, getTest(t, srv.URL+"/p", 50, 3*time.Second), results.Test{Name: "prom"}, o)
	if err != nil {
		t.Fatal(err)
	}
	// Every push reached Prometheus, the final one included: a refused
	// push (say, two samples stamped in one millisecond) is said here.
	if s := notices.String(); strings.Contains(s, "remote write") {
		t.Errorf("the pushes did not all go through:\n%s", s)
	}
	r := res.Results
	for job, sel := range map[string]string{promtest.ScrapeJob: `{job="` + promtest.ScrapeJob + `"}`,
		"surge-push": `{job="surge-push",run="r1"}`} {
		// max_over_time: the series went stale when the test ended.
		got := promtest.Eventually(t, prom, `sum(max_over_time(surge_requests_total`+sel+`[5m]))`, 10*time.Second,
			func(v float64) bool { return int64(v) == r.Aggregate.Requests })
		if len(got) != 1 || int64(got[0]) != r.Aggregate.Requests {
			t.Errorf("%s: surge_requests_total %v, the results file %d", job, got, r.Aggregate.Requests)
		}
		checkGeneratorSeries(t, prom, job, sel, r)
		q := promtest.Query(t, prom, `histogram_quantile(0.99, sum by (le) (max_over_time(surge_latency_seconds_bucket`+sel+`[5m])))`)
		lo, hi := bucketOf(r.Aggregate.Latency.P99 / 1000)
		t.Logf("%s: %v requests (results %d), p99 %v s (results %v ms)", job, got, r.Aggregate.Requests, q, r.Aggregate.Latency.P99)
		if len(q) != 1 || q[0] < lo || q[0] > hi {
			t.Errorf("%s: p99 %v s from the buckets, the results file %v ms: want it in (%v, %v]", job, q,
				r.Aggregate.Latency.P99, lo, hi)
		}
	}
}

// checkGeneratorSeries: the generator's watch reached Prometheus on the
// path sel selects, its last values the results file's last interval's
// (the final snapshot's), in seconds.
func checkGeneratorSeries(t *testing.T, prom, job, sel string, r *results.Results) {
	t.Helper()
	g := r.Intervals[len(r.Intervals)-1].Generator
	if g == nil {
		t.Fatal("the results file's last interval has no generator watch")
	}
	for series, ms := range map[string]float64{"surge_generator_send_lag_p99_seconds": g.SendLagP99Ms,
		"surge_generator_send_lag_max_seconds": g.SendLagMaxMs, "surge_generator_pacer_lag_p99_seconds": g.PacerLagP99Ms,
		"surge_generator_timer_lag_p99_seconds": g.TimerLagP99Ms} {
		got := promtest.Query(t, prom, `last_over_time(`+series+sel+`[5m])`)
		if len(got) != 1 || math.Abs(got[0]-ms/1000) > 2e-6 {
			t.Errorf("%s: %s %v, the results file's last interval %v ms", job, series, got, ms)
		}
	}
	for _, series := range []string{"surge_generator_bound", "surge_generator_cpu_ratio"} {
		if got := promtest.Query(t, prom, `last_over_time(`+series+sel+`[5m])`); len(got) != 1 {
			t.Errorf("%s: %s %v, want one series", job, series, got)
		}
	}
}

// bucketOf is the classic bucket holding v seconds, widened by HDR's
// 0.1 % at each end (a value that close to a bound may fall either side).
func bucketOf(v float64) (lo, hi float64) {
	b := promexport.ClassicBounds
	i := sort.SearchFloat64s(b, v)
	switch {
	case i == 0:
		return 0, b[0] * 1.001
	case i == len(b):
		return b[i-1] * 0.999, b[i-1] * 1e9
	}
	return b[i-1] * 0.999, b[i] * 1.001
}

// TestPrometheusAddressTakenSendsNothing: an address in use is an error
// before any load (not an InputError: nothing was wrong with the test).
func TestPrometheusAddressTakenSendsNothing(t *testing.T) {
	srv := newRecordingServer(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = Run(context.Background(), getTest(t, srv.URL, 10, time.Second), results.Test{},
		Options{Prometheus: Prometheus{Addr: l.Addr().String()}})
	var input *InputError
	if err == nil || errors.As(err, &input) || !strings.Contains(err.Error(), "prometheus") {
		t.Fatalf("error %v (%T), want a plain error about prometheus", err, err)
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestPrometheusRefusesWhatWouldGoUnused: labels without a remote-write
// URL, a linger without an address, and a label Surge's series carry
// already are input errors before any load.
func TestPrometheusRefusesWhatWouldGoUnused(t *testing.T) {
	srv := newRecordingServer(t)
	for _, p := range []Prometheus{
		{Addr: "127.0.0.1:0", Labels: map[string]string{"run": "r1"}},
		{Linger: time.Second},
		{RemoteWrite: "http://127.0.0.1:1/api/v1/write", Labels: map[string]string{"le": "5"}},
	} {
		_, err := Run(context.Background(), getTest(t, srv.URL, 10, time.Second), results.Test{}, Options{Prometheus: p})
		var input *InputError
		if !errors.As(err, &input) {
			t.Errorf("%+v: error %v, want an InputError", p, err)
		}
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestLingerWithoutAnyScrapeSaysSo: a linger that runs out with nothing
// ever scraped says so once (most likely no scrape job points there).
func TestLingerWithoutAnyScrapeSaysSo(t *testing.T) {
	srv := newRecordingServer(t)
	var notices strings.Builder
	addr := freeaddr.Loopback(t)
	_, err := Run(context.Background(), getTest(t, srv.URL, 10, time.Second), results.Test{},
		Options{Notices: &notices, Prometheus: Prometheus{Addr: addr, Linger: 300 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	want := "surge: prometheus: nothing scraped http://" + addr + "/metrics during the test or the 300ms linger"
	if strings.Count(notices.String(), want) != 1 {
		t.Fatalf("notices:\n%s\nwant once: %s", notices.String(), want)
	}
}

func TestPushLabelsGoOverTheDefaults(t *testing.T) {
	got := pushLabels(map[string]string{"run": "r7", "instance": "", "job": "load"})
	if len(got) != 2 || got["run"] != "r7" || got["job"] != "load" {
		t.Fatalf("labels %v: want job=load and run=r7, instance dropped", got)
	}
	if d := pushLabels(nil); d["job"] != "surge" || d["instance"] == "" {
		t.Fatalf("defaults %v", d)
	}
}

// TestLingerCutByAbortSaysSo: a second Ctrl-C (Abort) during the test
// ends the linger before it began; the final values were never served,
// and the notices say so, where they were silent.
func TestLingerCutByAbortSaysSo(t *testing.T) {
	srv := newRecordingServer(t)
	var notices strings.Builder
	abort := make(chan struct{})
	time.AfterFunc(300*time.Millisecond, func() { close(abort) })
	start := time.Now()
	_, err := Run(context.Background(), getTest(t, srv.URL, 10, 5*time.Second), results.Test{},
		Options{Notices: &notices, Abort: abort, Prometheus: Prometheus{Addr: freeaddr.Loopback(t), Linger: time.Minute}})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("Run took %v: the abort did not end the minute's linger", took)
	}
	if want := "prometheus: interrupted: the final values were not scraped"; !strings.Contains(notices.String(), want) {
		t.Errorf("notices:\n%s\nwant: %s", notices.String(), want)
	}
}
