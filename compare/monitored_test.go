package compare

import (
	"bytes"
	"encoding/json"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// A results file's counters are read as their increase in each second,
// the first second of a window counted from the scrape before it, and a
// gauge as scraped.
func TestFromResultsReadsCountersAsIncreases(t *testing.T) {
	r := &results.Results{Schema: results.Schema}
	for i := range 20 {
		r.Intervals = append(r.Intervals, results.Interval{Index: i, DurationS: 1, Requests: 1,
			Monitor: map[string]float64{"busy": float64(10 + i%3), "throttles_total": float64(100 + 5*i)}})
	}
	sumAggregate(r)
	path := filepath.Join(t.TempDir(), "r.json")
	if err := results.WriteFile(path, r); err != nil {
		t.Fatal(err)
	}
	run := read(t, path, "3s..")
	first := run.Intervals[0].Monitor
	if first["throttles_total"] != 5 || first["busy"] != 10 {
		t.Errorf("first second of the window: %v, want throttles_total 5 (not 115) and busy 10", first)
	}
	if whole := read(t, path, ""); len(whole.Intervals[0].Monitor) != 1 {
		t.Errorf("first scrape of a run: %v, want the gauge only (a counter's first scrape is its baseline)", whole.Intervals[0].Monitor)
	}
}

// withMonitor gives every second of run the series value(i) returns.
func withMonitor(run *Run, value func(i int) map[string]float64) {
	for i := range run.Intervals {
		run.Intervals[i].Monitor = value(i)
	}
}

// The serverless lab's question: the function's concurrency fell to 0.4×
// and its throttles disappeared.
func monitoredReport(t *testing.T) *Report {
	t.Helper()
	base, head := simPair(realistic(30), 1, 3)
	withMonitor(base, func(i int) map[string]float64 {
		return map[string]float64{"concurrent": float64(20 + i%2), "throttles_total": 3, "errors_total": 0, "cold_starts_total": 0}
	})
	withMonitor(head, func(i int) map[string]float64 {
		return map[string]float64{"concurrent": float64(8 + i%2), "throttles_total": 0, "errors_total": 0, "cold_starts_total": 1}
	})
	return mustCompare(t, base, head, fast)
}

func TestMonitoredSeriesShowMeanPeakAndChange(t *testing.T) {
	rep := monitoredReport(t)
	got := map[string]Monitored{}
	for _, m := range rep.Monitored {
		got[m.Series] = m
	}
	if len(rep.Monitored) != 3 {
		t.Fatalf("series %v, want concurrent, throttles_total and cold_starts_total (errors_total is 0 throughout)", rep.Monitored)
	}
	c := got["concurrent"]
	if c.Counter || c.Base.Peak != 21 || c.Head.Peak != 9 || c.Base.Samples < 29 {
		t.Errorf("concurrent: %+v", c)
	}
	if math.Abs(c.MeanRatio-8.5/20.5) > 0.01 || math.Abs(c.PeakRatio-9.0/21) > 1e-9 {
		t.Errorf("concurrent ratios %v, %v; want about %v and %v", c.MeanRatio, c.PeakRatio, 8.5/20.5, 9.0/21)
	}
	th := got["throttles_total"]
	if !th.Counter || th.Base.Total != 3*float64(th.Base.Samples) || th.Head.Total != 0 || th.MeanRatio != 0 {
		t.Errorf("throttles: %+v", th)
	}
	if base, _, change := monitoredCells(th); change != "gone (head 0)" || !strings.HasPrefix(base, strconv.Itoa(3*th.Base.Samples)+" (3/s, peak 3/s)") {
		t.Errorf("throttles %q, change %q", base, change)
	}
	if _, _, change := monitoredCells(got["cold_starts_total"]); change != "new (base 0)" {
		t.Errorf("cold starts change %q", change)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "1 monitored series were 0 in every second of both runs") {
		t.Errorf("notes %q", rep.Notes)
	}
}

func TestMonitoredSeriesInEveryOutput(t *testing.T) {
	rep := monitoredReport(t)
	var text, md, js bytes.Buffer
	if err := WriteText(&text, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, rep); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	c := rep.Monitored[1]
	base, head, change := monitoredCells(c)
	if !strings.Contains(text.String(), MonitoredTitle) || !strings.Contains(text.String(), "  concurrent  ") ||
		!strings.Contains(text.String(), change) {
		t.Errorf("text:\n%s", text.String())
	}
	if row := "| concurrent | " + base + " | " + head + " | " + change + " |"; !strings.Contains(md.String(), row) {
		t.Errorf("markdown lacks %q:\n%s", row, md.String())
	}
	var doc struct {
		Comparisons []struct {
			Monitored []struct {
				Series    string   `json:"series"`
				Counter   bool     `json:"counter"`
				MeanRatio *float64 `json:"mean_ratio"`
				Base      struct {
					Total *float64 `json:"total"`
				} `json:"base"`
			} `json:"monitored"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ms := doc.Comparisons[0].Monitored
	if len(ms) != 3 || ms[0].Series != "cold_starts_total" || ms[0].MeanRatio != nil || ms[1].Series != "concurrent" ||
		ms[1].Base.Total != nil || ms[2].Base.Total == nil || *ms[1].MeanRatio != c.MeanRatio {
		t.Errorf("json monitored: %s", js.String())
	}
}
