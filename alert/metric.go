package alert

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Unit is how a metric's values, and the thresholds compared with them,
// are written.
type Unit int8

// The units of Surge's metrics.
const (
	Raw       Unit = iota // as the target reports it
	Millis                // latency: milliseconds, or a duration such as 300ms or 1.5s
	Fraction              // a rate: written as a percentage (1%), held as a fraction (0.01)
	PerSecond             // requests per second
	Count                 // a number of things
)

// Surge's own metrics.
const (
	Latency     = "latency"      // from the intended start, coordinated omission corrected
	LatencyOK   = "latency_ok"   // latency of the requests that did not fail
	FailureRate = "failure_rate" // failures (errors and unexpected statuses) over requests
	ErrorRate   = "error_rate"   // errors (no response) over requests
	RPS         = "rps"          // completed requests per second
	VUs         = "vus"          // virtual users running
	Requests    = "requests"     // completed requests
	Errors      = "errors"       // requests that got no response
	Failures    = "failures"     // errors plus responses with an unexpected status
)

// metricInfo is what a rule may ask of a metric.
type metricInfo struct {
	unit        Unit
	stats       []StatKind // allowed; Percentile allows every pNN
	def         StatKind   // default statistic, 0 when a rule must name one
	perEndpoint bool
}

var metrics = map[string]metricInfo{
	Latency:     {Millis, []StatKind{Percentile, Average, Minimum, Maximum, SampleCount}, 0, true},
	LatencyOK:   {Millis, []StatKind{Percentile, Average, Minimum, Maximum, SampleCount}, 0, true},
	FailureRate: {Fraction, []StatKind{Average}, Average, true},
	ErrorRate:   {Fraction, []StatKind{Average}, Average, true},
	RPS:         {PerSecond, []StatKind{Average, Minimum, Maximum}, Average, true},
	VUs:         {Count, []StatKind{Maximum, Average, Minimum}, Maximum, false},
	Requests:    {Count, []StatKind{Sum, Average, Minimum, Maximum}, Sum, true},
	Errors:      {Count, []StatKind{Sum, Average, Minimum, Maximum}, Sum, true},
	Failures:    {Count, []StatKind{Sum, Average, Minimum, Maximum}, Sum, true},
}

// seriesInfo is what a rule may ask of a target's series.
var seriesInfo = metricInfo{Raw, []StatKind{Average, Sum, Minimum, Maximum, SampleCount}, Average, false}

// MetricNames lists Surge's own metrics.
func MetricNames() []string {
	names := make([]string, 0, len(metrics))
	for n := range metrics {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Metric is what a rule watches: one of Surge's metrics, for every
// endpoint together or one of them, or a series of the monitored target.
type Metric struct {
	Name     string
	Endpoint string // "" for every endpoint together
	Series   bool   // Name is a series of the target (config.monitor)
}

func (m Metric) info() (metricInfo, error) {
	if m.Series {
		if m.Endpoint != "" {
			return metricInfo{}, fmt.Errorf("series %q: a target's series has no endpoints", m.Name)
		}
		return seriesInfo, nil
	}
	info, ok := metrics[m.Name]
	if !ok {
		return metricInfo{}, fmt.Errorf("unknown metric %q (known: %s; a target's series is named by series)",
			m.Name, strings.Join(MetricNames(), ", "))
	}
	if m.Endpoint != "" && !info.perEndpoint {
		return metricInfo{}, fmt.Errorf("metric %s: not measured per endpoint", m.Name)
	}
	return info, nil
}

// Unit is how the metric's values are written.
func (m Metric) Unit() (Unit, error) {
	info, err := m.info()
	return info.unit, err
}

// UnitOf is how statistic st of the metric is written. A latency's
// SampleCount is a number of requests, not a latency: "10", not "10ms",
// and a threshold of "10s" for it is a mistake, not 10,000.
func (m Metric) UnitOf(st Statistic) (Unit, error) {
	u, err := m.Unit()
	if err == nil && u == Millis && st.Kind == SampleCount {
		u = Count
	}
	return u, err
}

// Statistic checks that the metric has statistic s; a zero s asks for
// the metric's default.
func (m Metric) Statistic(s Statistic) (Statistic, error) {
	info, err := m.info()
	if err != nil {
		return s, err
	}
	if s.Kind == 0 {
		if info.def == 0 {
			return s, fmt.Errorf("metric %s: name a statistic (a percentile such as p99, Average, Minimum, Maximum, SampleCount)", m.Name)
		}
		return Statistic{Kind: info.def}, nil
	}
	for _, k := range info.stats {
		if k == s.Kind {
			return s, nil
		}
	}
	known := make([]string, len(info.stats))
	for i, k := range info.stats {
		known[i] = Statistic{Kind: k, P: 99}.String()
	}
	return s, fmt.Errorf("metric %s has no statistic %v (it has: %s)", m.Name, s, strings.Join(known, ", "))
}

// IsLatency says whether m is one of Surge's latencies: of every request,
// or of the requests that did not fail.
func (m Metric) IsLatency() bool { return !m.Series && (m.Name == Latency || m.Name == LatencyOK) }

func (m Metric) String() string {
	s := m.Name
	if m.Series {
		s = "series " + s
	}
	if m.Endpoint != "" {
		s += " of " + m.Endpoint
	}
	return s
}

// ParseValue reads a threshold written in unit u: milliseconds or a
// duration for latency, a percentage for rates, a plain number
// otherwise. Only a target's raw series may be negative.
func ParseValue(u Unit, s string) (float64, error) {
	s = strings.TrimSpace(s)
	var v float64
	var err error
	switch u {
	case Millis:
		v, err = parseMillis(s)
	case Fraction:
		v, err = parsePercent(s)
	case PerSecond:
		v, err = parseNumber(strings.TrimSuffix(s, "/s"))
	default:
		v, err = parseNumber(s)
	}
	switch {
	case err != nil:
	case v < 0 && u != Raw:
		err = fmt.Errorf("%q: must not be negative", s)
	case math.IsInf(v, 0): // a finite number times its unit's milliseconds
		v, err = 0, fmt.Errorf("%q: too large", s)
	}
	return v, err
}

func parseNumber(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("%q: not a number", s)
	}
	return v, nil
}

// millisPer is each duration unit in milliseconds, longest suffix first
// where one ends another (ms before s and m).
var millisPer = []struct {
	unit string
	ms   float64
}{{"ns", 1e-6}, {"us", 1e-3}, {"µs", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3}}

// parseMillis reads milliseconds: a plain number, a number with one unit
// (300ms, 1.5s, 250us, 1e-7ms), read as decimal so that any value written
// back reads the same, or a Go duration of several units (1m30s).
func parseMillis(s string) (float64, error) {
	if v, err := parseNumber(s); err == nil {
		return v, nil
	}
	for _, u := range millisPer {
		if num, ok := strings.CutSuffix(s, u.unit); ok {
			if v, err := parseNumber(num); err == nil {
				return v * u.ms, nil
			}
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: not a latency (milliseconds, or a number with a unit such as 300ms or 1.5s)", s)
	}
	return float64(d) / float64(time.Millisecond), nil
}

// parsePercent reads a percentage into a fraction. A bare number is
// refused: 1 could mean 1 % or 100 %.
func parsePercent(s string) (float64, error) {
	num, ok := strings.CutSuffix(s, "%")
	if !ok {
		return 0, fmt.Errorf("%q: write a rate as a percentage, such as 1%% or 0.5%%", s)
	}
	v, err := parseNumber(strings.TrimSpace(num))
	if err != nil || v < 0 || v > 100 {
		return 0, fmt.Errorf("%q: not a percentage from 0%% to 100%%", s)
	}
	return v / 100, nil
}

// formatMillis writes milliseconds in the largest of ms, s, m and h that
// keeps the figure under a million, six significant digits: an hour is
// 3600s, not 3.6e+06ms.
func formatMillis(v float64) string {
	for _, u := range []struct {
		unit string
		ms   float64
	}{{"ms", 1}, {"s", 1e3}, {"m", 60e3}} {
		if x := v / u.ms; math.Abs(x) < 1e6 {
			return strconv.FormatFloat(x, 'g', 6, 64) + u.unit
		}
	}
	return strconv.FormatFloat(v/3600e3, 'g', 6, 64) + "h"
}

// FormatValue writes v in unit u, as ParseValue reads it.
func FormatValue(u Unit, v float64) string {
	switch u {
	case Millis:
		return formatMillis(v)
	case Fraction:
		return strconv.FormatFloat(v*100, 'g', 6, 64) + "%"
	case PerSecond:
		return strconv.FormatFloat(v, 'g', 6, 64) + "/s"
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
