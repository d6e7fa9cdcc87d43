package session

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/monitor"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

func TestRunWritesResultsReportAndSummary(t *testing.T) {
	srv := newRecordingServer(t)
	dir := t.TempDir()
	var summary, notices syncBuffer
	o := Options{Summary: &summary, Notices: &notices, Version: "test",
		ResultsFile: filepath.Join(dir, "r.json"), ReportFile: filepath.Join(dir, "r.html")}
	res, err := Run(context.Background(), getTest(t, srv.URL+"/x", 40, time.Second), results.Test{Name: "lib"}, o)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.requests()); n != 40 || res.Results.Aggregate.Requests != 40 || res.Interrupted || res.Aborted {
		t.Fatalf("server %d, results %d requests; result %+v", n, res.Results.Aggregate.Requests, res)
	}
	r, err := results.ReadFile(o.ResultsFile)
	if err != nil {
		t.Fatal(err)
	}
	if r.Aggregate.Requests != 40 || r.Endpoints[0].Name != "GET /x" || r.Test.Name != "lib" || r.Version != "test" {
		t.Fatalf("results file: %d requests, endpoints %v, test %+v, version %q", r.Aggregate.Requests, r.Endpoints, r.Test, r.Version)
	}
	html, err := os.ReadFile(o.ReportFile)
	if err != nil || !strings.Contains(string(html), "<html") {
		t.Fatalf("report: %v (%d bytes)", err, len(html))
	}
	for _, want := range []string{"p99", "GET /x", "results: " + o.ResultsFile, "report: " + o.ReportFile} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.String())
		}
	}
	if notices.String() != "" {
		t.Errorf("notices for a run that went well: %q", notices.String())
	}
}

func TestRunRefusesBadInputBeforeSending(t *testing.T) {
	srv := newRecordingServer(t)
	missing := filepath.Join(t.TempDir(), "no", "such", "dir", "r.json")
	for _, tc := range []struct {
		name string
		edit func(*Options, *[]schedule.Phase)
		want string
	}{
		{"results file", func(o *Options, _ *[]schedule.Phase) { o.ResultsFile = missing }, "results file"},
		{"report file", func(o *Options, _ *[]schedule.Phase) { o.ReportFile = missing }, "report"},
		{"monitor URL", func(o *Options, _ *[]schedule.Phase) { o.Monitor = monitor.Config{URL: "ftp://x"} }, "monitor"},
		{"short token", func(o *Options, _ *[]schedule.Phase) { o.Dashboard = Dashboard{Addr: "0.0.0.0:0", Token: "short"} }, "token"},
		{"no phases", func(_ *Options, ph *[]schedule.Phase) { *ph = nil }, "phase"},
		{"remote write URL", func(o *Options, _ *[]schedule.Phase) { o.Prometheus.RemoteWrite = "ftp://x/write" }, "remote write"},
		{"label name", func(o *Options, _ *[]schedule.Phase) {
			o.Prometheus = Prometheus{RemoteWrite: "http://127.0.0.1:1/w", Labels: map[string]string{"1x": "y"}}
		}, "label name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test := getTest(t, srv.URL, 10, time.Second)
			var o Options
			tc.edit(&o, &test.Phases)
			_, err := Run(context.Background(), test, results.Test{}, o)
			var input *InputError
			if !errors.As(err, &input) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v (%T), want an InputError about %q", err, err, tc.want)
			}
		})
	}
	if n := len(srv.requests()); n != 0 {
		t.Fatalf("%d requests sent with bad input", n)
	}
}

func TestRunInterruptedStillWritesResults(t *testing.T) {
	srv := newRecordingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := filepath.Join(t.TempDir(), "r.json")
	var notices syncBuffer
	go func() {
		waitFor(t, 10*time.Second, "the first requests", func() bool { return len(srv.requests()) >= 5 })
		cancel()
	}()
	res, err := Run(ctx, getTest(t, srv.URL, 20, time.Minute), results.Test{}, Options{ResultsFile: out, Notices: &notices})
	if err != nil {
		t.Fatal(err)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted || res.Aborted || !r.Test.Interrupted || r.Aggregate.Requests < 5 ||
		!strings.Contains(notices.String(), "waited for requests in flight") {
		t.Fatalf("result %+v, file interrupted %v with %d requests, notices %q",
			res, r.Test.Interrupted, r.Aggregate.Requests, notices.String())
	}
}

func TestRunAbortCancelsRequestsInFlight(t *testing.T) {
	arrived := make(chan struct{}, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done() // holds every request until the client gives up
	}))
	srv.Config.SetKeepAlivesEnabled(false)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	abort := make(chan struct{})
	go func() { <-arrived; cancel(); close(abort) }()
	test := getTest(t, srv.URL, 5, time.Minute)
	test.Timeout = time.Minute
	start := time.Now()
	res, err := Run(ctx, test, results.Test{}, Options{Abort: abort})
	if err != nil {
		t.Fatal(err)
	}
	// Without the abort, the request in flight would be waited for for
	// the grace period.
	if took := time.Since(start); !res.Aborted || !res.Interrupted || took >= engine.DefaultGrace {
		t.Fatalf("result %+v after %v", res, took)
	}
}

func TestRunKeepsTheTargetSeries(t *testing.T) {
	srv := newRecordingServer(t)
	metricsSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("# TYPE queue gauge\nqueue 7\n"))
	}))
	defer metricsSrv.Close()
	res, err := Run(context.Background(), getTest(t, srv.URL, 10, 1500*time.Millisecond), results.Test{},
		Options{Monitor: monitor.Config{URL: metricsSrv.URL}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, iv := range res.Results.Intervals {
		if iv.Monitor["queue"] == 7 {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no interval holds the target's series: %+v", res.Results.Intervals)
	}
}

// The run ends between two scrapes: the last interval's series must
// still count what the target did in the run's last fraction of a
// second, as the summary, the results and the target itself then agree.
// 1.5 s at 10 a second: the ticks scrape at 0 s and 1 s, and the five
// requests after 1 s are seen only by a scrape at the end.
func TestRunScrapesTheTargetOnceMoreAtTheEnd(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			fmt.Fprintf(w, "# TYPE served_total counter\nserved_total %d\n", served.Load())
			return
		}
		served.Add(1)
	}))
	defer srv.Close()
	var summary syncBuffer
	res, err := Run(context.Background(), getTest(t, srv.URL+"/x", 10, 1500*time.Millisecond), results.Test{},
		Options{Monitor: monitor.Config{URL: srv.URL + "/metrics"}, Summary: &summary})
	if err != nil {
		t.Fatal(err)
	}
	ivs := res.Results.Intervals
	last := ivs[len(ivs)-1].Monitor["served_total"]
	if n := res.Results.Aggregate.Requests; last != float64(n) || served.Load() != n {
		t.Fatalf("last interval's served_total %v; results %d requests, the server served %d", last, n, served.Load())
	}
	if !strings.Contains(summary.String(), fmt.Sprintf("served_total  %d", served.Load())) {
		t.Errorf("the summary's last value is not the target's %d:\n%s", served.Load(), summary.String())
	}
}

func TestRunSaysWhenTheMonitorFails(t *testing.T) {
	srv := newRecordingServer(t)
	var notices syncBuffer
	_, err := Run(context.Background(), getTest(t, srv.URL, 10, 1500*time.Millisecond), results.Test{},
		Options{Monitor: monitor.Config{URL: "http://127.0.0.1:1/metrics"}, Notices: &notices})
	if err != nil {
		t.Fatal(err)
	}
	if got := notices.String(); strings.Count(got, "monitor: scraping http://127.0.0.1:1/metrics failed") != 1 ||
		!strings.Contains(got, "scrapes failed in all") {
		t.Fatalf("notices %q", got)
	}
}

// A program that leaves the results' expected statuses empty (the demo,
// capacity probes, Go users) still records the definition its failures
// were counted under: the test's, or the default. Every view reads it
// there (the summary, merge and compare).
func TestRunRecordsTheExpectedStatuses(t *testing.T) {
	srv := newRecordingServer(t)
	for _, tc := range []struct{ expect, want string }{{"", "100-399"}, {"2xx", "200-299"}} {
		test := getTest(t, srv.URL+"/x", 20, 500*time.Millisecond)
		if tc.expect != "" {
			set, err := metrics.ParseStatusSet(tc.expect)
			if err != nil {
				t.Fatal(err)
			}
			test.Expect = &set
		}
		var summary syncBuffer
		o := Options{Summary: &summary, ResultsFile: filepath.Join(t.TempDir(), "r.json")}
		if _, err := Run(context.Background(), test, results.Test{Name: "lib"}, o); err != nil {
			t.Fatal(err)
		}
		r, err := results.ReadFile(o.ResultsFile)
		if err != nil {
			t.Fatal(err)
		}
		if r.Test.ExpectStatus != tc.want || !strings.Contains(summary.String(), "expected statuses "+tc.want) {
			t.Errorf("expect %q: results say %q, want %q; summary:\n%s", tc.expect, r.Test.ExpectStatus, tc.want, summary.String())
		}
	}
}
