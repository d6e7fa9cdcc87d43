//go:build surge_webui

package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
	"github.com/surge-dev/surge/results"
)

// The overlay page in a real Chromium: both charts drawn, nothing
// requested from the network, no error logged; a run that holds the
// latency of the requests that did not fail has it dotted in its colour,
// and without such a run the charts are as they were.
func TestOverlayInBrowser(t *testing.T) {
	b := browsertest.Start(t, browserOrSkip(t))
	for _, ok := range []bool{true, false} {
		main := synth(t, 300, 200, "GET /a", "GET /b")
		if ok {
			main = withOK(t, main)
		}
		runs := []OverlayRun{{"main", main}, {"pr", synth(t, 240, 200, "GET /a", "GET /b")}}
		page, err := renderOverlay(runs, OverlayOptions{Summary: "verdict: 0 regressed"})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "compare.html")
		if err := os.WriteFile(path, page, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		s, log := openReport(ctx, t, b, path)
		checkOverlayPage(t, s, log, path)
		charts := readCharts(ctx, t, b, log.session)
		if ok {
			checkOKDrawn(t, charts)
		} else {
			checkNoOKDrawn(t, charts)
		}
	}
}

// checkOverlayPage: nothing requested but the page, no error, both
// charts drawn.
func checkOverlayPage(t *testing.T, s pageState, log *pageLog, path string) {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, u := range append(log.requests, s.Resources...) {
		if u != "file://"+path {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(log.errors) > 0 || len(log.blocked) > 0 {
		t.Errorf("console errors %q, blocked requests %q", log.errors, log.blocked)
	}
	if !s.Ready || s.Plots != 2 || s.Drawn != 2 || s.Failed != 0 || !s.Percentile || s.Notice {
		t.Errorf("charts: %+v; want 2 drawn, the percentile chart among them", s)
	}
}

// withOK gives r the latency of the requests that did not fail (synth's
// 1 % of 503s), half that of every request.
func withOK(t *testing.T, r *results.Results) *results.Results {
	n := r.Aggregate.Requests - r.Aggregate.Failures
	r.Aggregate.LatencyOK = &results.Latency{P50: 2.5, P99: 10, Sample: n}
	r.Aggregate.Hist.LatencyOK = encode(t, histOf(n, 0.5))
	for i := range r.Intervals {
		iv := &r.Intervals[i]
		iv.LatencyOK = &results.Latency{P50: iv.Latency.P50 / 2, P99: iv.Latency.P99 / 2, Sample: iv.Requests - 2}
	}
	return r
}

// drawnSeries is a uPlot series as drawn: its label, colour, dash and
// width, and how many values it has.
type drawnSeries struct {
	Label  string
	Stroke string
	Dash   []float64
	Width  float64
	Values int
}

// drawnChart is a chart as uPlot holds it.
type drawnChart struct {
	Title  string
	Series []drawnSeries
}

// readCharts reads the overlay and percentile charts' titles and series
// off uPlot.
func readCharts(ctx context.Context, t *testing.T, b *browsertest.Browser, session string) map[string]drawnChart {
	t.Helper()
	const read = `Object.fromEntries(['overlay', 'percentiles'].map(id => {
  const u = SurgeReport.charts.find(c => c.plot && c.plot.root.closest('#chart-' + id)).plot;
  return [id, {title: u.root.querySelector('.u-title').textContent, series: u.series.slice(1).map((s, i) => ({
    label: s.label, stroke: typeof s.stroke === 'function' ? s.stroke(u, i + 1) : s.stroke, dash: s.dash || [],
    width: s.width, values: u.data[i + 1].filter(v => v != null).length}))}];
}))`
	var got map[string]drawnChart
	if err := b.Evaluate(ctx, session, read, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// checkOKDrawn: main's ok lines and curve are dotted in main's colour,
// its other lines as before (p99 dashed), and pr, which holds no such
// latency, has none and a solid curve; the titles say what the dotted
// lines are.
func checkOKDrawn(t *testing.T, got map[string]drawnChart) {
	t.Helper()
	for id, want := range map[string][]string{"overlay": {"main p50", "main p99", "main p50 ok", "main p99 ok", "pr p50", "pr p99"},
		"percentiles": {"main", "main ok", "pr"}} {
		chart := got[id]
		if !strings.Contains(chart.Title, "dotted: requests that did not fail") || len(chart.Series) != len(want) {
			t.Errorf("%s chart %q: %+v; want the lines %q", id, chart.Title, chart.Series, want)
			continue
		}
		for i, s := range chart.Series {
			ok, run := strings.HasSuffix(s.Label, " ok"), chart.Series[0]
			if strings.HasPrefix(s.Label, "pr") {
				run = chart.Series[len(chart.Series)-1]
			}
			dotted := fmt.Sprint(s.Dash) == "[2 3]" && s.Width == 2
			if s.Label != want[i] || s.Stroke != run.Stroke || dotted != ok || s.Values == 0 || !ok && !asBefore(s) {
				t.Errorf("%s chart, line %d: %+v; want %q in %s, dotted %v", id, i, s, want[i], run.Stroke, ok)
			}
		}
	}
}

// checkNoOKDrawn: without a run that holds the latency of the requests
// that did not fail, no dotted line and no word of one. Each run's
// percentile curve is solid: the second was dashed by the single-run
// report's rule for its second curve, service time, which on this page
// meant nothing and would now read as a style of its own.
func checkNoOKDrawn(t *testing.T, got map[string]drawnChart) {
	t.Helper()
	for id, chart := range got {
		if strings.Contains(chart.Title, "dotted") || len(chart.Series) != map[string]int{"overlay": 4, "percentiles": 2}[id] {
			t.Errorf("%s chart %q: %+v", id, chart.Title, chart.Series)
		}
		for _, s := range chart.Series {
			if !asBefore(s) {
				t.Errorf("%s chart: %+v; want p99 dashed, the rest solid", id, s)
			}
		}
	}
}

// asBefore says whether a line of every request is drawn as the page's
// notes say: p99 dashed, the others (and every percentile curve) solid.
func asBefore(s drawnSeries) bool {
	if strings.HasSuffix(s.Label, " p99") {
		return fmt.Sprint(s.Dash) == "[6 4]"
	}
	return len(s.Dash) == 0
}
