//go:build surge_webui

package dashboard

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
)

// latencyOKView is what inspectLatencyOK reads off the page.
type latencyOKView struct {
	Rows     map[string][]string // each row's cells, by endpoint
	Tiles    []string            // the p95 ok and p99 ok tiles
	Hidden   bool                // whether those tiles are hidden
	Labels   []string            // the latency chart's series
	Timeline []*float64          // the chart's p50 ok, second by second
}

// inspectLatencyOK waits (a bounded while) for the page to have had %d
// frames and to show the three endpoint rows of publishOverload, and
// reads it.
const inspectLatencyOK = `(async () => {
  const done = () => window.SurgeDashboard && SurgeDashboard.frames >= %d && SurgeDashboard.charts.latency &&
    document.querySelectorAll('#stats tbody tr').length === 3;
  for (let i = 0; i < 600 && !done(); i++) await new Promise(r => setTimeout(r, 50));
  const rows = {};
  document.querySelectorAll('#stats tbody tr').forEach(r => rows[r.dataset.endpoint] = Array.from(r.cells, c => c.textContent));
  const tile = id => document.getElementById(id);
  return {rows, tiles: [tile('sum-ok-p95').textContent, tile('sum-ok-p99').textContent],
    hidden: tile('sum-ok-p95').parentNode.hidden || tile('sum-ok-p99').parentNode.hidden,
    labels: SurgeDashboard.charts.latency ? SurgeDashboard.charts.latency.plot.series.map(s => s.label) : [],
    timeline: ((SurgeDashboard.timeline || {}).latency_ok || {}).p50 || []};
})()`

// The live page shows the latency of the requests that did not fail
// beside that of every request: in the statistics table (median, 95%ile
// and 99%ile ok) and in tiles, as the frames carry it, "–" for an
// endpoint that never succeeded, and as dotted lines on the latency chart
// with a gap in the second in which nothing succeeded. A page opened
// afterwards, from the history, draws the same line.
func TestLatencyOfTheRequestsThatDidNotFailInBrowser(t *testing.T) {
	// The server first: cleanups run last first, so the browser goes before.
	s, _, srv := newTestServer(t, "")
	b := browsertest.Start(t, browsertest.Chromium(t))
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	live, consoleErrors := openDashboard(ctx, t, b, srv.URL+"/")
	waitConnected(ctx, t, b, live)
	o := publishOverload(t, s, nil)
	var got latencyOKView
	if err := b.Evaluate(ctx, live, fmt.Sprintf(inspectLatencyOK, 3), &got); err != nil {
		t.Fatal(err)
	}
	checkLatencyOKView(t, got, o)
	again, againErrors := openDashboard(ctx, t, b, srv.URL+"/")
	var reloaded latencyOKView
	if err := b.Evaluate(ctx, again, fmt.Sprintf(inspectLatencyOK, 1), &reloaded); err != nil {
		t.Fatal(err)
	}
	same := func(x, y *float64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	if !slices.EqualFunc(reloaded.Timeline, got.Timeline, same) || !slices.Equal(reloaded.Rows["GET /a"], got.Rows["GET /a"]) {
		t.Errorf("opened afterwards the page shows p50 ok %v and GET /a %q; live it showed %v and %q",
			reloaded.Timeline, reloaded.Rows["GET /a"], got.Timeline, got.Rows["GET /a"])
	}
	if errs := append(consoleErrors(), againErrors()...); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// waitConnected waits (a bounded while) for the page's first state
// event, which comes once its event stream is subscribed: every frame
// published after it reaches the page live.
func waitConnected(ctx context.Context, t *testing.T, b *browsertest.Browser, session string) {
	t.Helper()
	const connected = `(async () => {
	  const ok = () => window.SurgeDashboard && document.getElementById('status').textContent !== 'connecting…';
	  for (let i = 0; i < 600 && !ok(); i++) await new Promise(r => setTimeout(r, 50));
	  return ok(); })()`
	var ready bool
	if err := b.Evaluate(ctx, session, connected, &ready); err != nil || !ready {
		t.Fatalf("the page did not connect: %v", err)
	}
}

// checkLatencyOKView holds what the page shows to the samples of o: the
// table's cells and the tiles as the page formats them (three
// significant digits), the chart's dotted lines and their gap.
func checkLatencyOKView(t *testing.T, got latencyOKView, o *overload) {
	t.Helper()
	a, down := got.Rows["GET /a"], got.Rows["GET /down"]
	if len(a) != 13 || len(down) != 13 {
		t.Fatalf("rows %q; want GET /a and GET /down with 13 cells", got.Rows)
	}
	// name, requests, failures, median, p95, p99, max, median ok, 95%ile
	// ok, 99%ile ok, current RPS, average RPS, bytes received.
	okA := want(o.okA)
	for i, w := range []float64{okA.P50, okA.P95, okA.P99} {
		if v := parseMs(t, a[7+i]); !nearMs(v, w) || v <= parseMs(t, a[3]) {
			t.Errorf("GET /a cell %d shows %q; want %v ms, slower than the median of every request (%q)", 7+i, a[7+i], w, a[3])
		}
	}
	if !slices.Equal(down[7:10], []string{"–", "–", "–"}) || down[3] == "–" {
		t.Errorf("GET /down, which never succeeded: %q; want – for the requests that did not fail only", down)
	}
	okTotal := want(o.okTotal)
	if got.Hidden || !nearMs(parseMs(t, got.Tiles[0]), okTotal.P95) || !nearMs(parseMs(t, got.Tiles[1]), okTotal.P99) {
		t.Errorf("tiles %q (hidden %v); want %v and %v ms", got.Tiles, got.Hidden, okTotal.P95, okTotal.P99)
	}
	for _, l := range []string{"p50 ok", "p95 ok", "p99 ok"} {
		if !slices.Contains(got.Labels, l) {
			t.Errorf("latency chart series %q; want %q", got.Labels, l)
		}
	}
	if len(got.Timeline) != 3 || got.Timeline[0] == nil || got.Timeline[1] != nil || got.Timeline[2] == nil {
		t.Errorf("the chart's p50 ok %v; want a value, a gap (nothing succeeded), a value", got.Timeline)
	}
}

// parseMs reads a latency as the page writes it: "850 µs", "61.2 ms",
// "1.25 s".
func parseMs(t *testing.T, text string) float64 {
	t.Helper()
	num, unit, _ := strings.Cut(text, " ")
	v, err := strconv.ParseFloat(num, 64)
	scale := map[string]float64{"µs": 0.001, "ms": 1, "s": 1000}[unit]
	if err != nil || scale == 0 {
		t.Fatalf("%q is not a latency", text)
	}
	return v * scale
}

// nearMs says whether v, as the page shows it (three significant
// digits), is w.
func nearMs(v, w float64) bool {
	return math.Abs(v-w) <= 0.006*w
}
