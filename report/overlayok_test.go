package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// pageData is the part of the overlay page's data block its scripts
// draw from.
type pageData struct {
	Timeline struct {
		Overlay []struct {
			Label  string        `json:"label"`
			Values report.Series `json:"values"`
			Color  int           `json:"color"`
			OK     bool          `json:"ok"`
		} `json:"overlay"`
	} `json:"timeline"`
	Percentiles struct {
		X      report.Series `json:"x"`
		Series []struct {
			Label string        `json:"label"`
			Ms    report.Series `json:"ms"`
			Color int           `json:"color"`
			OK    bool          `json:"ok"`
		} `json:"series"`
	} `json:"percentiles"`
}

// throttled answers like a function at its concurrency limit: of every
// ten requests, `failing` get a 503 at once, the others a 200 after slow.
func throttled(t *testing.T, failing int64, slow time.Duration) string {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if n.Add(1)%10 < failing {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		time.Sleep(slow)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// realRuns runs 4 s of 100 requests a second against each url at once,
// through the session library, and reads back the results files.
func realRuns(t *testing.T, urls ...string) []*results.Results {
	t.Helper()
	out, errs := make([]*results.Results, len(urls)), make([]error, len(urls))
	var wg sync.WaitGroup
	for i, url := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(t.TempDir(), "run.json")
			test, err := session.OneRequest("GET", url+"/fn", nil, nil)
			if err != nil {
				errs[i] = err
				return
			}
			test.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100, Duration: 4 * time.Second}}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if _, errs[i] = session.Run(ctx, test, results.Test{Name: "run"}, session.Options{ResultsFile: path}); errs[i] == nil {
				out[i], errs[i] = results.ReadFile(path)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// withoutLatencyOK is r as a file of a Surge before hist.latency_ok.
func withoutLatencyOK(r results.Results) *results.Results {
	r.Aggregate.LatencyOK, r.Aggregate.Hist.LatencyOK = nil, ""
	r.Intervals = append([]results.Interval(nil), r.Intervals...)
	for i := range r.Intervals {
		r.Intervals[i].LatencyOK, r.Intervals[i].Hist.LatencyOK = nil, ""
	}
	return &r
}

var dataBlock = regexp.MustCompile(`(?s)<script type="application/json" id="surge-data">(.*?)</script>`)

func overlayPage(t *testing.T, runs []report.OverlayRun) (string, pageData) {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteOverlay(&b, runs, report.OverlayOptions{}); err != nil {
		t.Fatal(err)
	}
	var d pageData
	m := dataBlock.FindStringSubmatch(b.String())
	if m == nil {
		t.Fatal("no data block")
	}
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatal(err)
	}
	return b.String(), d
}

// The overlay of surge compare --report draws, for each run that failed
// some requests and holds their latency, the p50 and p99 of those that
// did not fail second by second and their distribution: flagged ok, in
// the run's colour, with the values of the results file. A run without
// failures, one without successes and one of an earlier Surge draw as
// before: the latency of every request only.
func TestOverlayDrawsTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	if testing.Short() {
		t.Skip("four 4 s runs")
	}
	rs := realRuns(t, throttled(t, 7, 40*time.Millisecond), throttled(t, 1, 10*time.Millisecond),
		throttled(t, 0, 5*time.Millisecond), throttled(t, 10, 0))
	runs := []report.OverlayRun{{Label: "before", Results: rs[0]}, {Label: "after", Results: rs[1]},
		{Label: "steady", Results: rs[2]}, {Label: "gone", Results: rs[3]}, {Label: "old", Results: withoutLatencyOK(*rs[0])}}
	html, d := overlayPage(t, runs)
	var labels []string
	for _, l := range d.Timeline.Overlay {
		labels = append(labels, l.Label)
		if l.OK {
			checkOKLine(t, l.Label, l.Values, rs[l.Color], l.Color)
		}
	}
	want := "before p50,before p99,before p50 ok,before p99 ok,after p50,after p99,after p50 ok,after p99 ok," +
		"steady p50,steady p99,gone p50,gone p99,old p50,old p99"
	if got := strings.Join(labels, ","); got != want {
		t.Errorf("timeline lines %s; want %s", got, want)
	}
	labels = nil
	for _, c := range d.Percentiles.Series {
		labels = append(labels, c.Label)
		if c.OK {
			checkOKCurve(t, c.Label, d.Percentiles.X, c.Ms, rs[c.Color])
		}
	}
	if got, want := strings.Join(labels, ","), "before,before ok,after,after ok,steady,gone,old"; got != want {
		t.Errorf("percentile curves %s; want %s", got, want)
	}
	// The notes are under the charts, which a binary without the web
	// assets leaves out.
	charts := strings.Contains(html, `id="chart-overlay"`)
	if charts && !strings.Contains(html, "Dotted: p50 and p99 of the requests that did not fail") {
		t.Error("the page does not say what the dotted lines are")
	}
	html, d = overlayPage(t, runs[2:])
	if len(d.Timeline.Overlay) != 6 || len(d.Percentiles.Series) != 3 || strings.Contains(html, "Dotted") {
		t.Errorf("without a run to draw the successes of: %d lines, %d curves, a note on dotted lines %v",
			len(d.Timeline.Overlay), len(d.Percentiles.Series), strings.Contains(html, "Dotted"))
	}
}

// checkOKLine: an ok line flagged as such in the run's colour holds the
// results file's p50 or p99 of each plotted second's successes.
func checkOKLine(t *testing.T, label string, values report.Series, r *results.Results, color int) {
	t.Helper()
	if len(values) < len(r.Intervals) {
		t.Fatalf("%s: %d values for %d seconds", label, len(values), len(r.Intervals))
	}
	plotted := 0
	for i, iv := range r.Intervals {
		want := math.NaN()
		if iv.DurationS >= report.MinPlottedS && iv.LatencyOK.Sample > 0 {
			want, plotted = iv.LatencyOK.P50, plotted+1
			if strings.HasSuffix(label, "p99 ok") {
				want = iv.LatencyOK.P99
			}
		}
		if got := values[i]; math.IsNaN(got) != math.IsNaN(want) || math.Abs(got-want) > 1e-5*want {
			t.Errorf("%s (colour %d), second %d: %v, want %v from the file", label, color, i, got, want)
		}
	}
	if plotted < 3 {
		t.Errorf("%s: %d seconds plotted", label, plotted)
	}
}

// checkOKCurve: an ok curve holds the run's success-only histogram at
// every percentile of the grid, and its maximum last.
func checkOKCurve(t *testing.T, label string, x, ms report.Series, r *results.Results) {
	t.Helper()
	h, err := metrics.DecodeHistogram(r.Aggregate.Hist.LatencyOK)
	if err != nil || h.TotalCount() != r.Aggregate.Requests-r.Aggregate.Failures {
		t.Fatalf("%s: %v, %d values", label, err, h.TotalCount())
	}
	for i, v := range x {
		want := float64(h.ValueAtPercentile(100*(1-1/v))) / 1000
		if i == len(x)-1 {
			want = float64(h.Max()) / 1000
		}
		if math.Abs(ms[i]-want) > 1e-5*want {
			t.Errorf("%s at x=%g: %v ms, want %v", label, v, ms[i], want)
			return
		}
	}
}
