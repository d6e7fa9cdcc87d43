package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

// overlayDataOf parses the page's data block.
func overlayDataOf(t *testing.T, html string) overlayData {
	t.Helper()
	m := dataBlock.FindAllStringSubmatch(html, -1)
	if len(m) != 1 {
		t.Fatalf("want one data block, found %d", len(m))
	}
	var d overlayData
	if err := json.Unmarshal([]byte(m[0][1]), &d); err != nil {
		t.Fatalf("data block does not parse: %v", err)
	}
	return d
}

func overlayString(t *testing.T, runs []OverlayRun, opts OverlayOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteOverlay(&b, runs, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestOverlayLinesUpTheRuns(t *testing.T) {
	long, short := synth(t, 120, 100, "GET /a"), synth(t, 60, 100, "GET /a")
	short.Intervals[10].DurationS = 0.2 // too short to plot
	html := overlayString(t, []OverlayRun{{"main", long}, {"</pre><b>pr</b>", short}},
		OverlayOptions{Summary: "verdict: 1 regressed </pre><script>"})
	d := overlayDataOf(t, html)
	if len(d.Timeline.T) != 120 || len(d.Timeline.Overlay) != 4 {
		t.Fatalf("%d seconds, %d lines; want 120 and 4", len(d.Timeline.T), len(d.Timeline.Overlay))
	}
	head := d.Timeline.Overlay[3]
	if head.Label != "</pre><b>pr</b> p99" || head.Color != 1 || len(head.Dash) == 0 {
		t.Errorf("head p99 line %+v", head)
	}
	if v := head.Values; !math.IsNaN(v[10]) || !math.IsNaN(v[60]) || math.Abs(v[11]-short.Intervals[11].Latency.P99) > 1e-3 {
		t.Errorf("head p99: second 10 %v (too short), 60 %v (after its end), 11 %v", v[10], v[60], v[11])
	}
	if len(d.Percentiles.Series) != 2 || d.Percentiles.Series[0].Label != "main" {
		t.Errorf("percentile curves %+v", d.Percentiles.Series)
	}
	if strings.Contains(html, "<b>pr</b>") || strings.Contains(html, "</pre><script>") {
		t.Error("a label or the summary reached the page unescaped")
	}
	if !strings.Contains(html, `<pre class="summary">verdict: 1 regressed &lt;/pre&gt;&lt;script&gt;</pre>`) {
		t.Error("the summary is not shown")
	}
}

func TestOverlayWithoutAssetsSaysSo(t *testing.T) {
	html := overlayString(t, []OverlayRun{{"a", synth(t, 10, 10, "GET /a")}}, OverlayOptions{assets: fstest.MapFS{}})
	if !strings.Contains(html, NoChartsNotice) || strings.Contains(html, `id="chart-overlay"`) {
		t.Error("a page without chart assets must say so and hold no chart boxes")
	}
}

func TestOverlayNeedsARun(t *testing.T) {
	if err := WriteOverlay(&bytes.Buffer{}, nil, OverlayOptions{}); err == nil {
		t.Error("no error without runs")
	}
}
