package ensure

import (
	"math"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
)

// aggregations are the summary statistics Artillery exposes for each
// summary metric, as <metric>.<aggregation>.
var aggregations = []string{"min", "max", "count", "mean", "p50", "median", "p75", "p90", "p95", "p99", "p999"}

// Metrics lists a results document as Artillery metric names: every
// counter, the rate http.request_rate, and the summaries
// http.response_time.<aggregation> (milliseconds, from the intended start
// of each request) and, per endpoint, those of Artillery's
// metrics-by-endpoint plugin (see EndpointMetrics), keyed as the plugin
// keys requests when the plugin is not configured.
//
// It adds Surge's own (see failureMetrics), under names Artillery does not
// use, so Artillery's checks keep their meaning.
func Metrics(r *results.Results) map[string]float64 { return metricsOf(r, nil) }

func metricsOf(r *results.Results, keys *scenario.EndpointKeys) map[string]float64 {
	m := make(map[string]float64, len(r.Counters)+32)
	for k, v := range r.Counters {
		m[k] = float64(v)
	}
	m["http.request_rate"] = math.Round(r.Aggregate.RPS)
	failureMetrics(m, r.Aggregate.Stats)
	summarise(m, "http.response_time", r.Aggregate.Hist.Latency, r.Aggregate.Latency)
	EndpointMetrics(m, r.Endpoints, keys)
	return m
}

// EndpointMetrics adds the metrics of Artillery's metrics-by-endpoint
// plugin to m: <namespace>.response_time.<key>.<aggregation> and
// <namespace>.<key>.codes.<code>, where keys maps each Surge endpoint to
// the plugin's key (the URL as written, "/items (list)" for a request
// named list, …). Endpoints that share a key are added up. Without keys
// (results read without their script) an endpoint "GET /items?x=1" is
// keyed "/items", as the plugin keys it when not configured, and a named
// endpoint has no key.
func EndpointMetrics(m map[string]float64, eps []results.Endpoint, keys *scenario.EndpointKeys) {
	ns := scenario.DefaultMetricsNamespace
	if keys != nil {
		ns = keys.Namespace
	}
	var order []string
	groups := map[string][]results.Endpoint{}
	for _, e := range eps {
		var key string
		var ok bool
		if keys != nil {
			key, ok = keys.Keys[e.Name]
		} else {
			key, ok = endpointURL(e.Name)
		}
		if !ok {
			continue
		}
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], e)
	}
	for _, key := range order {
		enc, l, codes := sumEndpoints(groups[key])
		summarise(m, ns+".response_time."+key, enc, l)
		for code, n := range codes {
			m[ns+"."+key+".codes."+code] = float64(n)
		}
	}
}

// sumEndpoints adds up the latency and codes of endpoints that share a
// key: the histograms are merged, so the percentiles are those of the
// requests together; without every histogram, the percentiles are
// missing unless there is one endpoint.
func sumEndpoints(eps []results.Endpoint) (string, results.Latency, map[string]int64) {
	if len(eps) == 1 {
		return eps[0].Hist.Latency, eps[0].Latency, eps[0].Codes
	}
	var l results.Latency
	codes := map[string]int64{}
	h := metrics.NewHistogram()
	whole := true
	var sum float64
	for _, e := range eps {
		for c, n := range e.Codes {
			codes[c] += n
		}
		if e.Latency.Sample == 0 {
			continue
		}
		if l.Sample == 0 || e.Latency.Min < l.Min {
			l.Min = e.Latency.Min
		}
		l.Max = math.Max(l.Max, e.Latency.Max)
		l.Sample += e.Latency.Sample
		sum += e.Latency.Mean * float64(e.Latency.Sample)
		eh, err := metrics.DecodeHistogram(e.Hist.Latency)
		if err != nil || eh == nil || h.Merge(eh) > 0 {
			whole = false
		}
	}
	if l.Sample > 0 {
		l.Mean = sum / float64(l.Sample)
	}
	enc, err := metrics.EncodeHistogram(h)
	if err != nil || !whole {
		enc = ""
		l.P50, l.P90, l.P95, l.P99, l.P999 = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
	}
	return enc, l, codes
}

// Surge's failure metrics. Errors are requests without a response
// (Artillery counts them under errors.<code>); failures are errors plus
// responses outside the expected statuses. Rates are percentages of
// requests, as maxErrorRate is a percentage, and exist only when there
// were requests: a check on them fails ("missing") when nothing was sent.
const (
	MetricFailures    = "http.failures"
	MetricErrors      = "http.errors"
	MetricFailureRate = "http.failure_rate_pct"
	MetricErrorRate   = "http.error_rate_pct"
)

func failureMetrics(m map[string]float64, a results.Stats) {
	m[MetricFailures] = float64(a.Failures)
	m[MetricErrors] = float64(a.Errors)
	if a.Requests > 0 {
		m[MetricFailureRate] = 100 * float64(a.Failures) / float64(a.Requests)
		m[MetricErrorRate] = 100 * float64(a.Errors) / float64(a.Requests)
	}
}

// endpointURL turns a Surge endpoint name ("GET /items?x=1") into the key
// Artillery's metrics-by-endpoint plugin uses ("/items").
func endpointURL(name string) (string, bool) {
	_, url, ok := strings.Cut(name, " ")
	if !ok || url == "" {
		return "", false
	}
	url, _, _ = strings.Cut(url, "?")
	return url, true
}

// summarise adds one summary's aggregations, rounded to 0.1 ms as
// Artillery rounds them. Without requests there is no summary at all.
func summarise(m map[string]float64, name, encoded string, l results.Latency) {
	if l.Sample == 0 {
		return
	}
	h, err := metrics.DecodeHistogram(encoded)
	for _, agg := range aggregations {
		m[name+"."+agg] = aggregate(agg, h, err, l)
	}
}

func aggregate(agg string, h *hdr.PackedHistogram, err error, l results.Latency) float64 {
	switch agg {
	case "count":
		return float64(l.Sample)
	case "min":
		return round1(l.Min)
	case "max":
		return round1(l.Max)
	case "mean":
		return round1(l.Mean)
	}
	q := map[string]float64{"p50": 50, "median": 50, "p75": 75, "p90": 90, "p95": 95, "p99": 99, "p999": 99.9}[agg]
	if err != nil || h == nil {
		// No histogram: fall back to the figures already summarised; p75
		// is not among them, and a check on it fails.
		v, ok := map[string]float64{"p50": l.P50, "median": l.P50, "p90": l.P90,
			"p95": l.P95, "p99": l.P99, "p999": l.P999}[agg]
		if !ok {
			return math.NaN()
		}
		return round1(v)
	}
	return round1(float64(h.ValueAtPercentile(q)) / 1000)
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
