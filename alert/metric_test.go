package alert

import (
	"strings"
	"testing"
)

func TestParseValue(t *testing.T) {
	for _, c := range []struct {
		unit Unit
		in   string
		want float64
	}{
		{Millis, "300", 300}, {Millis, "300ms", 300}, {Millis, "1.5s", 1500}, {Millis, "250us", 0.25}, {Millis, "250µs", 0.25},
		{Millis, "1m", 60000}, {Millis, "0.0000001ms", 1e-7}, {Millis, "1m30s", 90000}, {Millis, "2ns", 2e-6}, {Fraction, "1%", 0.01}, {Fraction, "0.5 %", 0.005}, {Fraction, "100%", 1},
		{PerSecond, "250", 250}, {PerSecond, "250/s", 250}, {Count, "10", 10}, {Raw, "-3.5", -3.5},
	} {
		got, err := ParseValue(c.unit, c.in)
		if err != nil || got != c.want {
			t.Errorf("%v %q: %v %v, want %v", c.unit, c.in, got, err, c.want)
		}
		if back, err := ParseValue(c.unit, FormatValue(c.unit, got)); err != nil || back != got {
			t.Errorf("%v %q: written %q reads back as %v %v", c.unit, c.in, FormatValue(c.unit, got), back, err)
		}
	}
	for _, c := range []struct {
		unit Unit
		in   string
		msg  string
	}{
		{Fraction, "1", "percentage"}, {Fraction, "0.01", "percentage"}, {Fraction, "101%", "0% to 100%"},
		{Fraction, "-1%", "0% to 100%"}, {Millis, "300 parsecs", "latency"}, {Millis, "-5ms", "negative"},
		{Count, "-1", "negative"}, {Count, "NaN", "not a number"}, {Count, "Inf", "not a number"},
		{Count, "0x10", "not a number"}, {Count, "", "not a number"}, {Count, "1_000", "not a number"},
		{Millis, "1e308s", "too large"}, {Millis, "1e306h", "too large"},
	} {
		_, err := ParseValue(c.unit, c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%v %q: %v, want an error about %q", c.unit, c.in, err, c.msg)
		}
	}
}

func TestMetricStatistics(t *testing.T) {
	lat := Metric{Name: Latency, Endpoint: "GET /items"}
	if s, err := lat.Statistic(Statistic{Kind: Percentile, P: 95}); err != nil || s.P != 95 {
		t.Errorf("p95 of latency: %v %v", s, err)
	}
	if _, err := lat.Statistic(Statistic{}); err == nil || !strings.Contains(err.Error(), "name a statistic") {
		t.Errorf("latency without a statistic: %v", err)
	}
	if s, err := (Metric{Name: VUs}).Statistic(Statistic{}); err != nil || s.Kind != Maximum {
		t.Errorf("vus default: %v %v", s, err)
	}
	if _, err := (Metric{Name: FailureRate}).Statistic(Statistic{Kind: Sum}); err == nil || !strings.Contains(err.Error(), "it has: Average") {
		t.Errorf("Sum of a rate: %v", err)
	}
	for _, m := range []Metric{{Name: "latncy"}, {Name: VUs, Endpoint: "GET /"}, {Name: "x_total", Series: true, Endpoint: "GET /"}} {
		if _, err := m.Unit(); err == nil {
			t.Errorf("%v accepted", m)
		}
	}
	if u, err := (Metric{Name: "surge_lambda_throttles_total", Series: true}).Unit(); err != nil || u != Raw {
		t.Errorf("series: %v %v", u, err)
	}
	ok := Metric{Name: LatencyOK, Endpoint: "GET /items"}
	if u, err := ok.UnitOf(Statistic{Kind: Percentile, P: 99}); err != nil || u != Millis || !ok.IsLatency() {
		t.Errorf("p99 of the latency of the requests that did not fail: %v %v", u, err)
	}
	if u, err := ok.UnitOf(Statistic{Kind: SampleCount}); err != nil || u != Count {
		t.Errorf("their count: %v %v", u, err)
	}
	if (Metric{Name: LatencyOK, Series: true}).IsLatency() || (Metric{Name: FailureRate}).IsLatency() {
		t.Error("a series, or a rate, taken for a latency")
	}
}

// TestFormatMillisKeepsTheFigureShort: a long latency is written in the
// largest unit that keeps it under a million, never with an exponent.
func TestFormatMillisKeepsTheFigureShort(t *testing.T) {
	for v, want := range map[float64]string{0.55832: "0.55832ms", 300: "300ms", 999999: "999999ms",
		1e6: "1000s", 3600e3: "3600s", 2592e6: "43200m", 1e12: "277778h"} {
		if got := FormatValue(Millis, v); got != want {
			t.Errorf("FormatValue(Millis, %v) = %q, want %q", v, got, want)
		}
	}
}
