package report

import (
	"errors"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/surge-dev/surge/internal/webui"
	"github.com/surge-dev/surge/results"
)

// fakeAssets stand in for the built web assets, so the charted page can be
// tested without the surge_webui tag.
func fakeAssets() fstest.MapFS {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		webui.UPlotJS:   file("var uPlot = function () {};"),
		webui.UPlotCSS:  file(".uplot { display: block }"),
		webui.ChartsJS:  file("var SurgeCharts = {};"),
		webui.ChartsCSS: file(".chart { margin: 0 }"),
		webui.ReportJS:  file("window.SurgeReport = {ready: true};"),
		webui.StoryJS:   file("window.SurgeStory = {};"),
	}
}

var endpointNames = []string{"GET /items/{{ id }}", "POST /orders?x=1&y=2", `</script><script>alert("x")</script><!--`}

func TestReportShowsEveryEndpoint(t *testing.T) {
	r := synth(t, 30, 50, endpointNames...)
	for _, assets := range []fstest.MapFS{fakeAssets(), {}} {
		page := renderString(t, r, Options{assets: assets})
		for _, name := range endpointNames {
			if !strings.Contains(page, html.EscapeString(name)) && !strings.Contains(page, escapeLikeTemplate(name)) {
				t.Errorf("report (%d assets) does not show endpoint %q", len(assets), name)
			}
		}
	}
}

// escapeLikeTemplate is how html/template writes text: it also escapes
// quotes as &#34; and &#39;.
func escapeLikeTemplate(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

var (
	remoteAttr = regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*["']?\s*(https?:|//|ftp:|ws:|wss:)`)
	anyLoad    = regexp.MustCompile(`(?i)<(link|iframe|img|object|embed|base|audio|video|source)\b|\bsrc\s*=|@import|url\(\s*['"]?\s*(https?:|//)`)
)

func TestReportLoadsNothingExternal(t *testing.T) {
	r := synth(t, 30, 50, endpointNames...)
	pages := map[string]string{
		"fake assets": renderString(t, r, Options{assets: fakeAssets()}),
		"no assets":   renderString(t, r, Options{assets: fstest.MapFS{}}),
		"this binary": renderString(t, r, Options{}),
	}
	for name, page := range pages {
		if m := remoteAttr.FindString(page); m != "" {
			t.Errorf("%s: remote reference %q", name, m)
		}
		if m := anyLoad.FindString(page); m != "" {
			t.Errorf("%s: loads something: %q", name, m)
		}
		if !strings.Contains(page, `content="default-src 'none';`) {
			t.Errorf("%s: no Content-Security-Policy forbidding fetches", name)
		}
	}
}

func TestReportDataRoundTrip(t *testing.T) {
	r := synth(t, 90, 300, endpointNames...)
	verdicts := []Verdict{{Name: "p99", Threshold: "< 200 ms", Actual: "21 ms", Pass: true}}
	d := embeddedData(t, renderString(t, r, Options{assets: fakeAssets(), Verdicts: verdicts}))
	if d.Title != "synthetic" || d.Test.Target != r.Test.Target || d.Aggregate.Requests != r.Aggregate.Requests {
		t.Errorf("data header: %+v", d)
	}
	if len(d.Endpoints) != len(endpointNames) || len(d.Verdicts) != 1 || d.Verdicts[0] != verdicts[0] {
		t.Fatalf("endpoints %d, verdicts %+v", len(d.Endpoints), d.Verdicts)
	}
	for i, e := range d.Endpoints {
		if e.Name != endpointNames[i] || e.Hist.Latency != "" {
			t.Errorf("endpoint %d: name %q, histogram embedded: %v", i, e.Name, e.Hist.Latency != "")
		}
	}
	if d.Aggregate.Hist.Latency != "" {
		t.Error("aggregate histogram embedded")
	}
	tl := d.Timeline
	if tl == nil || len(tl.T) != 90 || len(tl.RPS) != 90 || len(tl.Latency.P99) != 90 || len(tl.Endpoints) != 3 {
		t.Fatalf("timeline: %+v", tl)
	}
	if tl.Codes["503"][0] != 3 || tl.Monitor["cpu_seconds"][10] != 9 {
		t.Errorf("codes 503 %v, monitor %v", tl.Codes["503"][0], tl.Monitor["cpu_seconds"][10])
	}
	if d.Percentiles == nil || len(d.Percentiles.Series) != 2+len(endpointNames) {
		t.Errorf("percentiles: %+v", d.Percentiles)
	}
}

func TestReportWithoutAssetsSaysSo(t *testing.T) {
	r := synth(t, 30, 50, "GET /")
	page := renderString(t, r, Options{assets: fstest.MapFS{}})
	if !strings.Contains(page, `id="no-charts"`) || !strings.Contains(page, "make build") {
		t.Error("no visible notice that the charts are missing")
	}
	if strings.Contains(page, `class="chart"`) || strings.Count(page, "<script") != 1 {
		t.Error("a tables-only report has chart containers or scripts")
	}
	for _, section := range []string{`id="summary"`, `id="latency"`, `id="endpoints"`, `id="responses"`, `id="monitor"`} {
		if !strings.Contains(page, section) {
			t.Errorf("tables-only report misses %s", section)
		}
	}
}

func TestReportWithAssetsHasCharts(t *testing.T) {
	r := synth(t, 30, 50, "GET /a", "GET /b")
	page := renderString(t, r, Options{assets: fakeAssets()})
	if strings.Contains(page, `id="no-charts"`) {
		t.Error("notice shown although the assets are there")
	}
	for _, id := range []string{"chart-rps", "chart-latency", "chart-vus", "chart-inflight", "chart-errors",
		"chart-codes", "chart-dropped", "chart-percentiles", "monitor-charts"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("no #%s", id)
		}
	}
	if strings.Count(page, "<script>") != 4 || !strings.Contains(page, "window.SurgeReport = {ready: true};") {
		t.Error("scripts not inlined in order")
	}
}

func TestReportUsesThisBinarysAssets(t *testing.T) {
	page := renderString(t, synth(t, 5, 10, "GET /"), Options{})
	if charted := !strings.Contains(page, `id="no-charts"`); charted != webui.Available() {
		t.Errorf("charts %v, but webui.Available() = %v", charted, webui.Available())
	}
}

func TestReportRefusesAssetsThatBreakOut(t *testing.T) {
	for name, text := range map[string]string{webui.ChartsJS: "x = '</SCRIPT>';", webui.ChartsCSS: "a{}</style>"} {
		fsys := fakeAssets()
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		if err := Write(new(strings.Builder), synth(t, 2, 1, "GET /"), Options{assets: fsys}); err == nil {
			t.Errorf("%s with %q was inlined", name, text)
		}
	}
}

func TestEndpointNameCannotEndTheScript(t *testing.T) {
	r := synth(t, 10, 10, endpointNames...)
	page := renderString(t, r, Options{assets: fakeAssets()})
	if n := strings.Count(strings.ToLower(page), "</script"); n != 5 {
		t.Errorf("%d script end tags, want 5 (data + 4 assets)", n)
	}
	if strings.Contains(page, "<script>alert") || strings.Contains(page, `<!--`) {
		t.Error("endpoint name written unescaped")
	}
	if d := embeddedData(t, page); d.Endpoints[2].Name != endpointNames[2] {
		t.Errorf("name came back as %q", d.Endpoints[2].Name)
	}
}

func TestReportVerdicts(t *testing.T) {
	r := synth(t, 5, 10, "GET /")
	page := renderString(t, r, Options{assets: fstest.MapFS{}, Verdicts: []Verdict{
		{Name: "http.response_time.p99", Threshold: "< 200 ms", Actual: "250 ms"},
		{Name: "errors", Threshold: "< 1 %", Actual: "0.1 %", Pass: true},
	}})
	for _, want := range []string{"1 of 2 failed", "http.response_time.p99", "&lt; 200 ms", "250 ms", "✘ fail", "✔ pass"} {
		if !strings.Contains(page, want) {
			t.Errorf("verdicts: no %q", want)
		}
	}
	// A threshold with nothing to measure neither passed nor failed, as
	// the console, the JUnit report and the job summary say.
	page = renderString(t, r, Options{assets: fstest.MapFS{}, Verdicts: []Verdict{
		{Name: "GET /never: p(95)<200ms", Threshold: "<200ms", Actual: "no data", Pass: true, NoData: true},
		{Name: "errors", Threshold: "< 1 %", Actual: "0.1 %", Pass: true},
	}})
	for _, want := range []string{"none failed</span>, 1 of 2 without data", `<tr class="nodata"><td>– no data</td>`, "✔ pass"} {
		if !strings.Contains(page, want) {
			t.Errorf("no-data verdict: no %q", want)
		}
	}
	if strings.Contains(page, "all 2 passed") {
		t.Error("a threshold without data counted as passed")
	}
	if strings.Contains(renderString(t, r, Options{}), `id="thresholds"`) {
		t.Error("thresholds section without verdicts")
	}
}

func TestWriteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	if err := WriteFile(path, synth(t, 5, 10, "GET /"), Options{Title: "Nightly <run>"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "<h1>Nightly &lt;run&gt;</h1>") {
		t.Fatalf("read back: %v %.200q", err, b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("left %d files behind", len(entries))
	}
	if err := WriteFile(path, nil, Options{}); !errors.Is(err, errNoResults) {
		t.Errorf("nil results: %v", err)
	}
}

func TestReportOfEmptyRun(t *testing.T) {
	r := &results.Results{Schema: results.Schema}
	page := renderString(t, r, Options{assets: fakeAssets()})
	if !strings.Contains(page, "No endpoint was called.") || strings.Contains(page, `id="chart-rps"`) {
		t.Error("empty run: wrong sections")
	}
	if d := embeddedData(t, page); d.Timeline != nil || d.Percentiles != nil {
		t.Errorf("empty run: data %+v", d)
	}
}

// When some requests failed, the latency table gives the requests that
// did not fail a row (fast failures pull the first row's percentiles
// down); without failures it has none, and a file that did not record it
// says so rather than showing zeros.
func TestReportGivesTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	r := synth(t, 5, 20, "GET /")
	row := "<th>Latency, requests that did not fail</th>"
	r.Aggregate.Failures = 0
	// The table's row, not the words: the charts' script, inlined, names
	// the chart's lines of the requests that did not fail.
	if page := renderString(t, r, Options{}); strings.Contains(page, "<th>Latency, requests that did not fail") {
		t.Error("a row for the requests that did not fail in a run without failures")
	}
	r.Aggregate.Failures = 40
	r.Aggregate.LatencyOK = &results.Latency{Min: 180, Mean: 200, P50: 201, P90: 210, P95: 211, P99: 250.5, P999: 260, Max: 270, Sample: 60}
	page := renderString(t, r, Options{})
	if !strings.Contains(page, row) || !strings.Contains(page, "250.5 ms") && !strings.Contains(page, "250.5") {
		t.Errorf("no row for the requests that did not fail, with their p99:\n%s", latencySection(page))
	}
	r.Aggregate.LatencyOK = nil
	if page := renderString(t, r, Options{}); !strings.Contains(page, "requests that did not fail: not recorded in this file") {
		t.Errorf("a file without it:\n%s", latencySection(page))
	}
}

func latencySection(page string) string {
	start := strings.Index(page, "Latency (corrected)")
	if start < 0 {
		return page
	}
	return page[start:min(len(page), start+2000)]
}
