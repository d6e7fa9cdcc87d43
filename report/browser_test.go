//go:build surge_webui

package report

// Browser tests: open reports in a real headless Chromium (driven over the
// DevTools pipe, see cdp_test.go) and check that the charts render, that
// the page makes no network request and logs no error. Without Chromium
// they skip, except when CI is set: then they fail.

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/surge-dev/surge/internal/browsertest"
	"github.com/surge-dev/surge/internal/webui"
	"github.com/surge-dev/surge/results"
)

// pageLog records what one page did.
type pageLog struct {
	mu       sync.Mutex
	session  string
	requests []string
	blocked  []string
	errors   []string
	loaded   chan struct{}
	once     sync.Once
}

// event records one DevTools event, blocking any request that would leave
// the machine.
func (l *pageLog) event(b *browsertest.Browser, m browsertest.Message) {
	if m.SessionID != l.session {
		return
	}
	var p struct {
		RequestID string `json:"requestId"`
		Request   struct {
			URL string `json:"url"`
		} `json:"request"`
		Type             string `json:"type"`
		Args             []json.RawMessage
		ExceptionDetails json.RawMessage `json:"exceptionDetails"`
		Entry            struct {
			Level, Text, URL string
		} `json:"entry"`
	}
	_ = json.Unmarshal(m.Params, &p)
	l.mu.Lock()
	defer l.mu.Unlock()
	switch m.Method {
	case "Page.loadEventFired":
		l.once.Do(func() { close(l.loaded) })
	case "Network.requestWillBeSent":
		l.requests = append(l.requests, p.Request.URL)
	case "Fetch.requestPaused":
		if browsertest.IsLocalURL(p.Request.URL) {
			_, _ = b.Send(m.SessionID, "Fetch.continueRequest", map[string]any{"requestId": p.RequestID})
			return
		}
		l.blocked = append(l.blocked, p.Request.URL)
		_, _ = b.Send(m.SessionID, "Fetch.failRequest", map[string]any{"requestId": p.RequestID, "errorReason": "BlockedByClient"})
	case "Runtime.exceptionThrown":
		l.errors = append(l.errors, "exception: "+string(p.ExceptionDetails))
	case "Runtime.consoleAPICalled":
		if p.Type == "error" || p.Type == "assert" {
			l.errors = append(l.errors, "console."+p.Type+": "+string(joinRaw(p.Args)))
		}
	case "Log.entryAdded":
		if p.Entry.Level == "error" {
			l.errors = append(l.errors, "log: "+p.Entry.Text+" "+p.Entry.URL)
		}
	}
}

func joinRaw(args []json.RawMessage) []byte {
	out, _ := json.Marshal(args)
	return out
}

// pageState is what the page reports about itself once drawn.
type pageState struct {
	Ready      bool     `json:"ready"`
	Plots      int      `json:"plots"`
	Canvases   int      `json:"canvases"`
	Drawn      int      `json:"drawn"`
	Percentile bool     `json:"percentile"`
	Monitor    int      `json:"monitor"`
	Failed     int      `json:"failed"`
	Notice     bool     `json:"notice"`
	Resources  []string `json:"resources"`
}

// inspectJS waits two frames, then describes the page. A chart counts as a
// uPlot instance when its plot is uPlot's object (uPlot returns a plain
// object, so instanceof does not apply); a canvas counts as drawn when any
// of its pixels is not transparent.
const inspectJS = `(async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const rep = window.SurgeReport || {charts: []};
  const canvases = [...document.querySelectorAll('canvas')];
  const drawn = canvases.filter(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  });
  return {
    ready: rep.ready === true,
    plots: rep.charts.filter(c => c.plot && typeof c.plot.setData === 'function' &&
      c.plot.root instanceof HTMLElement && c.plot.root.classList.contains('uplot')).length,
    canvases: canvases.length,
    drawn: drawn.length,
    percentile: !!document.querySelector('#chart-percentiles canvas'),
    monitor: document.querySelectorAll('#monitor-charts canvas').length,
    failed: document.querySelectorAll('.chart-failed').length,
    notice: !!document.getElementById('no-charts'),
    resources: performance.getEntriesByType('resource').map(e => e.name),
  };
})()`

// browserOrSkip finds Chromium (see browsertest.Chromium) and checks
// that the binary under test has its web assets.
func browserOrSkip(t *testing.T) string {
	t.Helper()
	path := browsertest.Chromium(t)
	if !webui.Available() {
		t.Fatal("built with -tags surge_webui but without the web assets: run make web")
	}
	return path
}

func TestReportInBrowser(t *testing.T) {
	b := browsertest.Start(t, browserOrSkip(t))
	names := []string{"GET /items/{{ id }}", "POST /orders", "</script><b>GET /x</b>"}
	cases := []struct {
		name  string
		r     *results.Results
		opts  Options
		plots int
	}{
		{"ten minutes", synth(t, 600, 200, names...), Options{}, 10},
		{"one hour downsampled", synth(t, 3600, 10_000, names...), Options{}, 10},
		{"tables only", synth(t, 60, 10, names...), Options{assets: fstest.MapFS{}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			if err := WriteFile(path, c.r, c.opts); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			state, log := openReport(ctx, t, b, path)
			checkPage(t, state, log, "file://"+path, c.plots)
			if c.plots > 0 {
				checkInteraction(ctx, t, b, log.session)
			}
		})
	}
}

// openReport loads a report file in a new tab and inspects it.
func openReport(ctx context.Context, t *testing.T, b *browsertest.Browser, path string) (pageState, *pageLog) {
	t.Helper()
	session, err := b.OpenPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	log := &pageLog{session: session, loaded: make(chan struct{})}
	b.Handle(func(m browsertest.Message) { log.event(b, m) })
	for _, domain := range []string{"Runtime", "Log", "Page", "Network"} {
		if err := b.Call(ctx, session, domain+".enable", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	fetch := map[string]any{"patterns": []map[string]string{{"urlPattern": "*"}}}
	if err := b.Call(ctx, session, "Fetch.enable", fetch, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Call(ctx, session, "Page.navigate", map[string]any{"url": "file://" + path}, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case <-log.loaded:
	case <-ctx.Done():
		t.Fatalf("the report did not load: %v", ctx.Err())
	}
	var state pageState
	if err := b.Evaluate(ctx, session, inspectJS, &state); err != nil {
		t.Fatal(err)
	}
	return state, log
}

func checkPage(t *testing.T, s pageState, log *pageLog, url string, plots int) {
	t.Helper()
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, u := range append(log.requests, s.Resources...) {
		if u != url {
			t.Errorf("the page requested %s", u)
		}
	}
	if len(log.blocked) > 0 {
		t.Errorf("blocked network requests: %v", log.blocked)
	}
	if len(log.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(log.errors, "\n"))
	}
	if plots == 0 {
		if !s.Notice || s.Canvases != 0 {
			t.Errorf("tables-only page: notice %v, %d canvases", s.Notice, s.Canvases)
		}
		return
	}
	if !s.Ready || s.Plots != plots || s.Canvases != plots || s.Drawn != plots || s.Failed != 0 {
		t.Errorf("charts: ready %v, %d uPlot instances, %d canvases, %d drawn, %d failed; want %d",
			s.Ready, s.Plots, s.Canvases, s.Drawn, s.Failed, plots)
	}
	if !s.Percentile || s.Monitor != 2 || s.Notice {
		t.Errorf("percentile chart %v, monitor charts %d, notice %v", s.Percentile, s.Monitor, s.Notice)
	}
}

// checkInteraction hovers over the rate chart and drags across it with
// the mouse: the legend must show values, and every time chart must zoom.
func checkInteraction(ctx context.Context, t *testing.T, b *browsertest.Browser, session string) {
	t.Helper()
	var box struct{ X, Y, W, H float64 }
	const locate = `(() => { const o = document.querySelector('#chart-rps .u-over');
	  o.scrollIntoView({block: 'center'}); const r = o.getBoundingClientRect();
	  return {x: r.x, y: r.y, w: r.width, h: r.height}; })()`
	if err := b.Evaluate(ctx, session, locate, &box); err != nil {
		t.Fatal(err)
	}
	y, x1, x2 := box.Y+box.H/2, box.X+box.W*0.3, box.X+box.W*0.6
	for _, ev := range []struct {
		kind string
		x    float64
	}{{"mouseMoved", x1}, {"mousePressed", x1}, {"mouseMoved", (x1 + x2) / 2}, {"mouseMoved", x2}, {"mouseReleased", x2}} {
		params := map[string]any{"type": ev.kind, "x": ev.x, "y": y, "button": "left", "buttons": 1, "clickCount": 1}
		if ev.kind == "mouseMoved" && ev.x == x1 {
			params["buttons"] = 0
		}
		if err := b.Call(ctx, session, "Input.dispatchMouseEvent", params, nil); err != nil {
			t.Fatal(err)
		}
	}
	var got struct {
		Legend         string
		Zoomed, Synced bool
	}
	const inspect = `(async () => {
	  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	  const [rps, lat] = SurgeReport.charts.map(c => c.plot);
	  const full = rps.data[0];
	  return {legend: document.querySelectorAll('#chart-rps .u-legend .u-value')[1].textContent,
	    zoomed: rps.scales.x.min > full[0] && rps.scales.x.max < full[full.length - 1],
	    synced: lat.scales.x.min === rps.scales.x.min && lat.scales.x.max === rps.scales.x.max};
	})()`
	if err := b.Evaluate(ctx, session, inspect, &got); err != nil {
		t.Fatal(err)
	}
	if got.Legend == "" || got.Legend == "–" || !got.Zoomed || !got.Synced {
		t.Errorf("after hover and drag: legend value %q, zoomed %v, other charts followed %v", got.Legend, got.Zoomed, got.Synced)
	}
}

// Alerts' changes of state are marked on the time charts: a dashed
// vertical line spanning the plot, red where an alert entered ALARM, in
// the column of its time, and none elsewhere.
func TestReportMarksAlertsOnTheCharts(t *testing.T) {
	b := browsertest.Start(t, browserOrSkip(t))
	r := synth(t, 60, 200, "GET /")
	v := 412.0
	r.Alerts = []results.AlertEvent{{T: 30, Alert: "p99", From: "OK", To: "ALARM", Value: &v, Unit: "ms", Reason: "1 of 1"}}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteFile(path, r, Options{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	state, log := openReport(ctx, t, b, path)
	checkPage(t, state, log, "file://"+path, 10)
	// Red pixels in the column of the mark and in one 10 s later, on the
	// requests-per-second chart (whose one line is blue).
	const count = `(() => {
	  const p = SurgeReport.charts[0].plot, b = p.bbox;
	  const red = t => {
	    const x = Math.round(p.valToPos(t, 'x', true));
	    const d = p.ctx.getImageData(x, b.top, 1, b.height).data;
	    let n = 0;
	    for (let i = 0; i < d.length; i += 4) if (d[i] > 180 && d[i+1] < 90 && d[i+2] < 90) n++;
	    return n;
	  };
	  return {mark: red(30), elsewhere: red(40), height: b.height};
	})()`
	var got struct{ Mark, Elsewhere, Height int }
	if err := b.Evaluate(ctx, log.session, count, &got); err != nil {
		t.Fatal(err)
	}
	if got.Mark < got.Height/3 || got.Elsewhere != 0 {
		t.Errorf("red pixels: %d in the mark's column of %d, %d elsewhere", got.Mark, got.Height, got.Elsewhere)
	}
}

// The seconds in which Surge itself was the bottleneck are shaded red on
// the time charts, and no others.
func TestReportShadesGeneratorBoundSecondsOnTheCharts(t *testing.T) {
	b := browsertest.Start(t, browserOrSkip(t))
	r := synth(t, 60, 200, "GET /")
	r.Generator = &results.Generator{Verdict: "generator-bound", Bound: true, BoundS: 10, Cores: 1,
		Spans: []results.GeneratorSpan{{FromS: 20, ToS: 30, Why: "runaway", WorstAtS: 25, LagP99Ms: 900}}}
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteFile(path, r, Options{}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	state, log := openReport(ctx, t, b, path)
	checkPage(t, state, log, "file://"+path, 10)
	// Reddish pixels (the shading over the white plot) in a row near the
	// top of the requests-per-second chart, inside the band and outside.
	const count = `(() => {
	  const p = SurgeReport.charts[0].plot, b = p.bbox;
	  const shaded = t => {
	    const x = Math.round(p.valToPos(t, 'x', true));
	    const d = p.ctx.getImageData(x, b.top + 2, 1, 1).data;
	    return d[0] > d[2] + 10 && d[0] > d[1] + 10;
	  };
	  return {inside: shaded(25), before: shaded(10), after: shaded(40)};
	})()`
	var got struct{ Inside, Before, After bool }
	if err := b.Evaluate(ctx, log.session, count, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Inside || got.Before || got.After {
		t.Errorf("shaded inside the band %v, before it %v, after it %v", got.Inside, got.Before, got.After)
	}
}
