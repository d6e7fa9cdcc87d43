package series

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/metrics"
)

// ErrNoEndpointLatency is returned when a rule needs one endpoint's
// latency per second and the source does not keep it (a results file).
var ErrNoEndpointLatency = errors.New("the source keeps no latency per endpoint and second")

// ErrNoLatencyOK is returned when a rule needs the latency of the
// requests that did not fail and the source did not record it (a results
// file of a Surge before it did).
var ErrNoLatencyOK = errors.New("the source did not record the latency of the requests that did not fail (latency_ok: " +
	"a results file of a Surge before it did)")

// Acc accumulates seconds for one metric, so that any statistic of the
// metric over those seconds can be read. Latency histograms are merged
// into one; everything else is a handful of sums and extremes.
type Acc struct {
	metric  alert.Metric
	seconds int
	span    time.Duration
	sum     Sample
	hist    *hdr.PackedHistogram
	// per-second values (requests, RPS, VUs or the series) for Minimum,
	// Maximum and Average over seconds
	values   int64
	valueSum float64
	valueMin float64
	valueMax float64
	maxVUs   int64
}

// NewAcc returns an empty accumulator for m.
func NewAcc(m alert.Metric) *Acc {
	return &Acc{metric: m, hist: metrics.NewHistogram(), valueMin: math.Inf(1), valueMax: math.Inf(-1)}
}

// Add takes one more second.
func (a *Acc) Add(s Second) error {
	a.seconds++
	a.span += s.Duration
	a.maxVUs = max(a.maxVUs, s.MaxVUs)
	smp, ok := a.sample(s)
	a.sum.Requests += smp.Requests
	a.sum.Errors += smp.Errors
	a.sum.Failures += smp.Failures
	if a.metric.IsLatency() && ok {
		if err := a.addLatency(smp); err != nil {
			return err
		}
	}
	if v, ok := a.perSecond(s, smp); ok {
		a.values++
		a.valueSum += v
		a.valueMin = min(a.valueMin, v)
		a.valueMax = max(a.valueMax, v)
	}
	return nil
}

// addLatency merges the second's histogram of the metric: the latency of
// every request or of those that did not fail. A source that keeps none
// where there were such requests cannot be judged.
func (a *Acc) addLatency(smp Sample) error {
	h, values := smp.Latency, smp.Requests
	if a.metric.Name == alert.LatencyOK {
		h, values = smp.LatencyOK, smp.Requests-smp.Failures
	}
	switch {
	case h == nil && values > 0 && a.metric.Endpoint != "":
		return fmt.Errorf("%v: %w", a.metric, ErrNoEndpointLatency)
	case h == nil && values > 0:
		return fmt.Errorf("%v: %w", a.metric, ErrNoLatencyOK)
	case h != nil && h.TotalCount() > 0:
		a.hist.Merge(h)
	}
	return nil
}

// sample is the part of s the metric is about; ok is false for an
// endpoint that did not exist in that second.
func (a *Acc) sample(s Second) (Sample, bool) {
	if a.metric.Endpoint == "" {
		return s.Total, true
	}
	smp, ok := s.Endpoints[a.metric.Endpoint]
	return smp, ok
}

// perSecond is the value of one second for metrics summarised over
// seconds.
func (a *Acc) perSecond(s Second, smp Sample) (float64, bool) {
	if a.metric.Series {
		return seriesValue(s.Monitor, a.metric.Name)
	}
	switch a.metric.Name {
	case alert.RPS:
		if s.Duration <= 0 {
			return 0, false
		}
		return float64(smp.Requests) / s.Duration.Seconds(), true
	case alert.VUs:
		return float64(s.ActiveVUs), true
	case alert.Requests:
		return float64(smp.Requests), true
	case alert.Errors:
		return float64(smp.Errors), true
	case alert.Failures:
		return float64(smp.Failures), true
	}
	return 0, false
}

// seriesValue is a target's series in one second: the series of that
// exact name, else the sum of the labelled series of the metric it names
// (surge_lambda_throttles_total is its throttles for every cause). A
// target whose metric has only labelled series exposes no bare name, and
// the monitor adds their sum only when told to keep the metric and it has
// several; without the sum here, an alert on the metric would see no
// datapoint at all and, treating missing data as not breaching, never
// fire.
func seriesValue(monitor map[string]float64, name string) (float64, bool) {
	if v, ok := monitor[name]; ok {
		return v, true
	}
	var sum float64
	found := false
	for k, v := range monitor {
		if strings.HasPrefix(k, name+"{") {
			sum += v
			found = true
		}
	}
	return sum, found
}

// Seconds is how many seconds were added.
func (a *Acc) Seconds() int { return a.seconds }

// Value is statistic st of the metric over the seconds added: latency in
// milliseconds, rates as fractions. ok is false when there is nothing to
// measure (no request for latency and rates, no second, no scrape of the
// series): a missing datapoint. samples is how many values a percentile
// was computed from.
func (a *Acc) Value(st alert.Statistic) (v float64, samples int64, ok bool) {
	switch {
	case a.metric.Series:
		return a.overSeconds(st)
	case a.metric.IsLatency():
		return a.latency(st)
	case a.metric.Name == alert.FailureRate:
		return ratio(a.sum.Failures, a.sum.Requests)
	case a.metric.Name == alert.ErrorRate:
		return ratio(a.sum.Errors, a.sum.Requests)
	case a.metric.Name == alert.RPS && st.Kind == alert.Average:
		if a.span <= 0 {
			return 0, 0, false
		}
		return float64(a.sum.Requests) / a.span.Seconds(), a.sum.Requests, true
	case a.metric.Name == alert.VUs && st.Kind == alert.Maximum:
		return float64(a.maxVUs), int64(a.seconds), a.seconds > 0
	}
	return a.overSeconds(st)
}

func ratio(part, whole int64) (float64, int64, bool) {
	if whole == 0 {
		return 0, 0, false
	}
	return float64(part) / float64(whole), whole, true
}

func (a *Acc) latency(st alert.Statistic) (float64, int64, bool) {
	n := a.hist.TotalCount()
	if n == 0 {
		return 0, 0, false
	}
	const ms = 1000.0 // histograms hold microseconds
	switch st.Kind {
	case alert.Percentile:
		return float64(a.hist.ValueAtPercentile(st.P)) / ms, n, true
	case alert.Average:
		return a.hist.Mean() / ms, n, true
	case alert.Minimum:
		return float64(a.hist.Min()) / ms, n, true
	case alert.Maximum:
		return float64(a.hist.Max()) / ms, n, true
	case alert.SampleCount:
		return float64(n), n, true
	}
	return 0, 0, false
}

// overSeconds summarises the per-second values.
func (a *Acc) overSeconds(st alert.Statistic) (float64, int64, bool) {
	if a.values == 0 {
		return 0, 0, false
	}
	switch st.Kind {
	case alert.Sum:
		return a.valueSum, a.values, true
	case alert.Average:
		return a.valueSum / float64(a.values), a.values, true
	case alert.Minimum:
		return a.valueMin, a.values, true
	case alert.Maximum:
		return a.valueMax, a.values, true
	case alert.SampleCount:
		return float64(a.values), a.values, true
	}
	return 0, 0, false
}
