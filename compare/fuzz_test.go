package compare

import (
	"math"
	"strings"
	"testing"

	"github.com/surge-dev/surge/internal/decimal"
)

// FuzzParseWindow: no input panics; an accepted window starts at 0 or
// later and, when its end counts from the start, ends after it; String
// writes it as text that reads back as the same window.
func FuzzParseWindow(f *testing.F) {
	for _, s := range []string{"", "30s..-10s", "30s..", "..2m", "1m..90s", "..", "0s..0s", "1ns..2ns", "1.5s..-0.5s",
		"30s", "-5s..", "40s..30s", "x..", "..y", "1s...2s", "1s..2s..3s", "..2562047h47m16.854775807s",
		"1.000000001s..", "1h2m3.000000007s..-4ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseWindow(s)
		if err != nil {
			return
		}
		if w.From < 0 || (w.To > 0 && w.To <= w.From) || math.IsNaN(w.From) || math.IsNaN(w.To) {
			t.Fatalf("%q: accepted %+v", s, w)
		}
		back, err := ParseWindow(w.String())
		if err != nil || back != w {
			t.Fatalf("%q = %+v written as %q reads back as %+v, %v", s, w, w.String(), back, err)
		}
	})
}

// FuzzParseMetric: no input panics; an accepted name is a metric, and
// its String reads back as the same metric.
func FuzzParseMetric(f *testing.F) {
	for _, s := range append(metricNames[:], "p999", " P99 ", "p99.90", "", "latency", "metric(9)", "ok_p999", "OK_P99",
		"ok_p(99)", "ok_", "ok_ok_p99", "latency_ok") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMetric(s)
		if err != nil {
			return
		}
		if m < 0 || m >= numMetrics {
			t.Fatalf("%q: metric %d", s, int(m))
		}
		if back, err := ParseMetric(m.String()); err != nil || back != m {
			t.Fatalf("%q = %v reads back as %v, %v", s, m, back, err)
		}
	})
}

// FuzzParseMargins: no input panics; accepted margins are numbers from 0
// to 1000 (percent or percentage points), so fractions from 0 up to 10,
// only on metrics, and percentage points only on rates; no item of a
// list is empty, and every number is written in decimal. (b, when not
// empty, is a second --margin.)
func FuzzParseMargins(f *testing.F) {
	for _, c := range [][2]string{{"10%", "p99=20%,error_rate=0.5pp"}, {"failure_rate=2%", ""}, {"5%", "5%"},
		{"5", ""}, {"p99=1pp", ""}, {"p42=5%", ""}, {"-1%", ""}, {"p99=x%", ""}, {"NaN%", ""}, {"p99=NaN%", ""},
		{"error_rate=nanpp", ""}, {"999.99%", ""}, {"1000%", ""}, {"Inf%", ""}, {"p999=0x1p-2%", ""}, {"0%", "mean=0%"},
		{"5%,,p99=10%", ""}, {"5%,", ""}, {"5%", " "}, {"ok_p99=10%", "ok_mean=2%"}, {"ok_p999=1pp", ""}} {
		f.Add(c[0], c[1])
	}
	ok := func(v float64) bool { return v >= 0 && v < 10 }
	f.Fuzz(func(t *testing.T, a, b string) {
		specs := []string{a}
		if b != "" {
			specs = append(specs, b)
		}
		all, per, err := ParseMargins(specs)
		if err != nil {
			return
		}
		for _, spec := range specs {
			for part := range strings.SplitSeq(spec, ",") {
				if strings.TrimSpace(part) == "" {
					t.Fatalf("%q: accepted with an empty item", specs)
				}
				_, amount, _ := strings.Cut(strings.TrimSpace(part), "=")
				if amount == "" {
					amount = strings.TrimSpace(part)
				}
				if num := strings.TrimSuffix(strings.TrimSuffix(amount, "%"), "pp"); !decimal.IsFloat(num) {
					t.Fatalf("%q: accepted the number %q", specs, num)
				}
			}
		}
		if !ok(all.Relative) || !ok(all.Absolute) {
			t.Fatalf("%q: margin %+v", specs, all)
		}
		for m, g := range per {
			if m < 0 || m >= numMetrics || !ok(g.Relative) || !ok(g.Absolute) {
				t.Fatalf("%q: %v margin %+v", specs, m, g)
			}
		}
		if !strings.Contains(a+b, "pp") {
			for m, g := range per {
				if g.Absolute != DefaultMargin.Absolute {
					t.Fatalf("%q: %v margin %+v, without percentage points", specs, m, g)
				}
			}
		}
	})
}
