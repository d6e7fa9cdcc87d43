package prober

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/scalability"
)

// The USL line names a peak only where the fitted model has one: an
// Amdahl system's throughput levels off at λ/σ, a linear one's keeps
// growing; neither may be given a peak concurrency in the millions.
func TestUSLLineSaysWhenThereIsNoPeak(t *testing.T) {
	for _, c := range []struct {
		name  string
		truth scalability.USL
		want  []string
		not   string
	}{
		{"amdahl", scalability.USL{Lambda: 100, Sigma: 0.1}, []string{"no peak: throughput levels off toward 1,000/s", "contention-bound"}, "at N≈"},
		{"linear", scalability.USL{Lambda: 100}, []string{"no peak: throughput grew in proportion", "(linear,"}, "at N≈"},
		{"peak", scalability.USL{Lambda: 100, Sigma: 0.05, Kappa: 0.001}, []string{"peak 904/s", "at N≈30.8", "contention-bound"}, "no peak"},
	} {
		var pts []scalability.Point
		for _, n := range []float64{1, 2, 4, 8, 16, 32, 64} {
			pts = append(pts, scalability.Point{N: n, X: c.truth.Throughput(n)})
		}
		fit, err := scalability.FitUSL(pts, scalability.FitOptions{Resamples: 20, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Join(modelLines(capacity.Config{}, capacity.Models{USL: &fit}), "\n")
		for _, w := range c.want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: %q lacks %q", c.name, line, w)
			}
		}
		if strings.Contains(line, c.not) {
			t.Errorf("%s: %q says %q", c.name, line, c.not)
		}
	}
}

// The trend column and the summary's line name the latency the trend
// was read from, and a reading with too few seconds says so rather than
// "flat".
func TestTrendTextNamesItsLatency(t *testing.T) {
	tested, short := capacity.Trend{Seconds: capacity.MinTrendSeconds, P: 0.5}, capacity.Trend{Seconds: 3, P: 1}
	up := capacity.Trend{Seconds: 10, P: 0.001, Rise: 1, Up: true}
	for _, c := range []struct {
		slo          string
		trends       []capacity.LatencyTrend
		header, cell string
		line         []string
	}{
		{"p99<1s", []capacity.LatencyTrend{{P50: tested, P99: tested}}, "trend", "flat",
			[]string{"of every request, second by second"}},
		{"ok_p99<1s", []capacity.LatencyTrend{{OK: true, P50: short, P99: short}}, "ok trend", "too few",
			[]string{"of the requests that did not fail", "not tested in 1 of 1 probes: fewer than 6 seconds had a reading",
				"(a second without a success has none)"}},
		{"p99<1s", []capacity.LatencyTrend{{P50: short, P99: short}}, "trend", "too few",
			[]string{"of every request, second by second; not tested in 1 of 1 probes", "(a probe shorter than that has too few)"}},
		{"p99<1s, ok_p99<1s", []capacity.LatencyTrend{{P50: tested, P99: tested}, {OK: true, P50: tested, P99: up}}, "trend/ok",
			"flat/rising", []string{"of every request, and of the requests that did not fail", "a rise in either fails"}},
	} {
		slo, err := capacity.ParseSLO(c.slo)
		if err != nil {
			t.Fatal(err)
		}
		conf := capacity.Config{SLO: slo}
		rec := capacity.Record{Judgement: capacity.Judgement{Trends: c.trends}}
		header, _ := trendColumn(conf)
		line := trendLine(conf, []capacity.Record{rec})
		if header != c.header || trend(rec.Judgement) != c.cell {
			t.Errorf("%q: column %q, cell %q; want %q, %q", c.slo, header, trend(rec.Judgement), c.header, c.cell)
		}
		for _, w := range c.line {
			if !strings.Contains(line, w) {
				t.Errorf("%q: %q lacks %q", c.slo, line, w)
			}
		}
		if strings.Contains(line, "not tested") != (c.cell == "too few") {
			t.Errorf("%q: %q says not tested wrongly", c.slo, line)
		}
	}
}
