package threshold

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/alert"
)

// k6Metric is a scope naming one of k6's built-in metrics.
type k6Metric struct {
	name string // "" when the scope is an endpoint, or absent
	aggs string // the aggregations it takes, for messages
	ok   bool   // {expected_response:true}: the requests that did not fail
}

// k6Metrics are k6's metrics Surge measures the same way.
var k6Metrics = map[string]string{
	"http_req_duration": "p(N), avg, min, max, med, count", // latency (Surge's from the intended start)
	"http_req_failed":   "rate",                            // failed requests: Surge's failures
	"http_reqs":         "count, rate",                     // requests; rate is per second
	"vus":               "min, max",
}

// k6Unmeasured are k6's metrics Surge has no counterpart for.
var k6Unmeasured = []string{"http_req_waiting", "http_req_blocked", "http_req_connecting", "http_req_tls_handshaking",
	"http_req_sending", "http_req_receiving", "iteration_duration", "iterations", "checks", "data_sent",
	"data_received", "vus_max", "group_duration", "dropped_iterations"}

// scope reads what stands before the colon: one of k6's metrics, with an
// optional {name:…} tag, or an endpoint's name, in double quotes (Go's
// syntax) when it could be read otherwise.
func (p *parser) scope(s string) (k6Metric, string, error) {
	lead := len(s) - len(strings.TrimLeft(s, " \t"))
	if trimmed := strings.TrimSpace(s); strings.HasPrefix(trimmed, `"`) {
		endpoint, err := strconv.Unquote(trimmed)
		if err != nil {
			return k6Metric{}, "", p.fail(lead, "a quoted endpoint name must be a complete double-quoted string")
		}
		return k6Metric{}, endpoint, p.checkEndpoint(endpoint, lead)
	}
	name, tags, hasTags := strings.Cut(strings.TrimSpace(s), "{")
	if aggs, ok := k6Metrics[name]; ok {
		k6 := k6Metric{name: name, aggs: aggs}
		if !hasTags {
			return k6, "", nil
		}
		f, err := parseTags(tags)
		if err == nil {
			err = f.fits(name)
		}
		if err != nil {
			return k6, "", p.fail(lead+len(name), "%v", err)
		}
		k6.ok = f.ok
		return k6, f.endpoint, nil
	}
	for _, u := range k6Unmeasured {
		if name == u {
			return k6Metric{}, "", p.fail(lead, "k6's %s has no counterpart in Surge (it has http_req_duration, http_req_failed, http_reqs, vus)", name)
		}
	}
	endpoint := strings.TrimSpace(s)
	return k6Metric{}, endpoint, p.checkEndpoint(endpoint, lead)
}

func (p *parser) checkEndpoint(endpoint string, at int) error {
	switch {
	case len(endpoint) > maxEndpoint:
		return p.fail(at, "endpoint name longer than %d bytes", maxEndpoint)
	case endpoint == "":
		return p.fail(at, "empty endpoint name before the colon")
	case strings.ContainsFunc(endpoint, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return p.fail(at, "control character in the endpoint name")
	}
	return nil
}

// scopeText writes an endpoint's name as scope reads it back: quoted
// when it is one of k6's metric names, has spaces at its ends, holds a
// quote or has unbalanced braces.
func scopeText(endpoint string) string {
	name, _, _ := strings.Cut(endpoint, "{")
	_, k6 := k6Metrics[name]
	if k6 || slices.Contains(k6Unmeasured, name) || strings.TrimSpace(endpoint) != endpoint ||
		strings.Contains(endpoint, `"`) || strings.Count(endpoint, "{") != strings.Count(endpoint, "}") {
		return strconv.Quote(endpoint)
	}
	return endpoint
}

// bind sets the metric and statistic an aggregation asks for.
func (p *parser) bind(t *Threshold, k6 k6Metric, agg string, at int) error {
	var err error
	switch k6.name {
	case "", "http_req_duration":
		err = bindLatencyOrSurge(t, k6, agg)
	case "http_req_failed":
		err = bindOne(t, agg, "rate", alert.FailureRate, alert.Average)
	case "http_reqs":
		err = bindOne(t, agg, "count", alert.Requests, alert.Sum)
		if agg == "rate" {
			err = bindOne(t, agg, "rate", alert.RPS, alert.Average)
		}
	case "vus":
		err = bindOne(t, agg, "max", alert.VUs, alert.Maximum)
		if agg == "min" {
			err = bindOne(t, agg, "min", alert.VUs, alert.Minimum)
		}
	}
	if err != nil && k6.name != "" {
		err = fmt.Errorf("%v; %s takes %s", err, k6.name, k6.aggs)
	}
	if err != nil {
		return p.fail(at, "%v", err)
	}
	t.Unit, _ = t.Metric.UnitOf(t.Stat) // every metric bound above is known
	return nil
}

func bindOne(t *Threshold, agg, want, metric string, kind alert.StatKind) error {
	if agg != want {
		return fmt.Errorf("unknown aggregation %q", agg)
	}
	t.Metric.Name, t.Stat = metric, alert.Statistic{Kind: kind}
	return nil
}

// okPrefix is Surge's spelling of k6's {expected_response:true}: before
// an aggregation of latency (ok_p(95), ok_avg, ok_count), it asks for the
// latency of the requests that did not fail.
const okPrefix = "ok_"

// bindLatencyOrSurge binds the aggregations of latency, of every request
// or, with okPrefix or k6's {expected_response:true}, of those that did
// not fail; and Surge's own names where no k6 metric was given.
func bindLatencyOrSurge(t *Threshold, k6 k6Metric, agg string) error {
	base, prefixed := strings.CutPrefix(agg, okPrefix)
	if err := bindLatency(t, k6, base, prefixed); err != nil {
		return err
	}
	if prefixed || k6.ok {
		onlyOK(t)
	}
	return nil
}

// onlyOK turns a latency statistic into the same statistic of the
// requests that did not fail; count, their number.
func onlyOK(t *Threshold) {
	if t.Metric.Name == alert.Requests {
		t.Stat = alert.Statistic{Kind: alert.SampleCount}
	}
	t.Metric.Name = alert.LatencyOK
}

// bindLatency binds an aggregation of latency, or one of Surge's names
// where neither a k6 metric nor okPrefix restricts it to latency.
func bindLatency(t *Threshold, k6 k6Metric, agg string, prefixed bool) error {
	t.Metric.Name = alert.Latency
	switch agg {
	case "avg":
		t.Stat = alert.Statistic{Kind: alert.Average}
	case "min":
		t.Stat = alert.Statistic{Kind: alert.Minimum}
	case "max":
		t.Stat = alert.Statistic{Kind: alert.Maximum}
	case "med":
		t.Stat = alert.Statistic{Kind: alert.Percentile, P: 50}
	case "count":
		t.Metric.Name, t.Stat = alert.Requests, alert.Statistic{Kind: alert.Sum}
	default:
		if strings.HasPrefix(agg, "p(") {
			return bindPercentile(t, agg)
		}
		if prefixed {
			return fmt.Errorf("unknown aggregation %q (%s goes before p(N), avg, min, max, med or count: the latency of the requests that did not fail)",
				okPrefix+agg, okPrefix)
		}
		if k6.name == "" {
			return bindSurge(t, agg)
		}
		return fmt.Errorf("unknown aggregation %q", agg)
	}
	return nil
}

func bindPercentile(t *Threshold, agg string) error {
	inner := strings.TrimSuffix(strings.TrimPrefix(agg, "p("), ")")
	q, err := strconv.ParseFloat(strings.TrimSpace(inner), 64)
	if err != nil || !(q >= 0 && q <= 100) || strings.ContainsAny(inner, "xXpPeEnN_") {
		return fmt.Errorf("%s: the percentile must be a number from 0 to 100, such as p(99) or p(99.9)", agg)
	}
	t.Stat = alert.Statistic{Kind: alert.Percentile, P: q}
	return nil
}

// bindSurge binds Surge's names, and k6's bare rate (failed requests, as
// k6's http_req_failed counts them).
func bindSurge(t *Threshold, agg string) error {
	switch agg {
	case "rate", alert.FailureRate:
		t.Metric.Name = alert.FailureRate
	case alert.ErrorRate:
		t.Metric.Name = alert.ErrorRate
	case alert.RPS:
		t.Metric.Name = alert.RPS
	default:
		return fmt.Errorf("unknown aggregation %q (known: p(N), avg, min, max, med, count, rate, failure_rate, error_rate, rps)", agg)
	}
	t.Stat = alert.Statistic{Kind: alert.Average}
	return nil
}

// Bounds of a threshold's value: beyond them a limit means nothing (a
// latency above the histograms' hour, a rate of 1e-20) and would not be
// written back in a few characters.
const (
	smallestValue = 1e-9
	largestValue  = 1e12
)

// parseLimit reads the value. k6's rate is a fraction (0.01) and may be
// written as a percentage; Surge's rates must carry the %.
func parseLimit(t *Threshold, agg, s string) (float64, error) {
	v, err := parseValue(t, agg, s)
	if err == nil && v != 0 && (v < smallestValue || v > largestValue) {
		err = fmt.Errorf("%q: out of range (%g to %g, or 0)", s, smallestValue, largestValue)
	}
	return v, err
}

func parseValue(t *Threshold, agg, s string) (float64, error) {
	if t.Unit == alert.Fraction && agg == "rate" && !strings.HasSuffix(s, "%") {
		v, err := alert.ParseValue(alert.Count, s)
		if err == nil && v > 1 {
			err = fmt.Errorf("%q: a rate is a fraction from 0 to 1 (or a percentage, such as 1%%)", s)
		}
		return v, err
	}
	if t.Unit == alert.Count && strings.ContainsFunc(s, func(r rune) bool { return r == '.' || r == 'e' || r == 'E' }) {
		return 0, fmt.Errorf("%q: a count is a whole number", s)
	}
	return alert.ParseValue(t.Unit, s)
}
