package compare

import (
	"fmt"
	"strings"
)

// Metric is one compared quantity.
type Metric int

// The metrics, in the order rows are shown.
const (
	P50 Metric = iota
	P90
	P95
	P99
	P999
	Mean
	Throughput
	ErrorRate
	FailureRate
	// OKP50…OKMean are P50…Mean over the requests that did not fail
	// (the results file's latency_ok_ms), named as Surge's thresholds
	// (ok_p(99)) and capacity's SLOs (ok_p99) name them. They have rows
	// only when a run failed some requests: otherwise they are the
	// latency rows again.
	OKP50
	OKP90
	OKP95
	OKP99
	OKP999
	OKMean
	numMetrics
)

var metricNames = [numMetrics]string{"p50", "p90", "p95", "p99", "p99.9", "mean", "throughput", "error_rate", "failure_rate",
	"ok_p50", "ok_p90", "ok_p95", "ok_p99", "ok_p99.9", "ok_mean"}

// quantiles are the latency quantiles of P50…P999, in that order.
var quantiles = []float64{0.5, 0.9, 0.95, 0.99, 0.999}

// Metrics lists every metric in display order.
func Metrics() []Metric {
	out := make([]Metric, numMetrics)
	for i := range out {
		out[i] = Metric(i)
	}
	return out
}

func (m Metric) String() string {
	if m < 0 || m >= numMetrics {
		return fmt.Sprintf("metric(%d)", int(m))
	}
	return metricNames[m]
}

// ParseMetric reads a metric name as String writes it ("p99.9" may also
// be written "p999", "ok_p99.9" "ok_p999").
func ParseMetric(s string) (Metric, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "p999":
		return P999, nil
	case "ok_p999":
		return OKP999, nil
	}
	for i, name := range metricNames {
		if s == name {
			return Metric(i), nil
		}
	}
	return 0, fmt.Errorf("unknown metric %q (want one of %s)", s, strings.Join(metricNames[:], ", "))
}

// IsRate reports whether m is a share of requests (compared as a
// difference in percentage points) rather than a quantity (compared as a
// ratio).
func (m Metric) IsRate() bool { return m == ErrorRate || m == FailureRate }

// IsOK reports whether m is read from the latency of the requests that
// did not fail (ok_p50 … ok_mean).
func (m Metric) IsOK() bool { return m >= OKP50 && m <= OKMean }

// isLatency reports whether m is read from a latency histogram: of every
// request or of those that did not fail.
func (m Metric) isLatency() bool { return m <= Mean || m.IsOK() }

// allRequests is the metric of every request that m is over the requests
// that did not fail (ok_p99 → p99); m itself otherwise.
func (m Metric) allRequests() Metric {
	if m.IsOK() {
		return m - OKP50 + P50
	}
	return m
}

// okOf is the success-only metric of a latency metric (p99 → ok_p99).
func (m Metric) okOf() Metric { return m.allRequests() - P50 + OKP50 }

// quantile is the quantile of a percentile metric.
func (m Metric) quantile() (float64, bool) {
	if a := m.allRequests(); a <= P999 {
		return quantiles[a], true
	}
	return 0, false
}

// higherIsWorse says which way a regression goes: up for latency and
// rates, down for throughput.
func (m Metric) higherIsWorse() bool { return m != Throughput }

// minRequests is the fewest requests a run needs for a percentile to be
// compared at all: 10/(1−q), CloudWatch's rule for percentiles (p99 needs
// 1,000 values, p99.9 10,000), below which the top of the distribution is
// a handful of requests.
func (m Metric) minRequests() int64 {
	q, ok := m.quantile()
	if !ok || q <= 0.5 {
		return 1
	}
	return int64(10/(1-q) + 0.5)
}
