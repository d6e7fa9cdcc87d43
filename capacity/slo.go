package capacity

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/threshold"
)

// An Objective is one condition of the SLO, a threshold in k6's syntax
// that every probe must meet with confidence.
type Objective = threshold.Threshold

// bareP rewrites p99 and p99.9 as p(99) and p(99.9), and ok_p99 as
// ok_p(99), the forms the threshold package reads: an SLO is usually
// written the short way.
var bareP = regexp.MustCompile(`\b(ok_)?p([0-9]+(?:\.[0-9]+)?)\b`)

// ParseSLO reads a comma-separated list of objectives: "p99<300ms,
// failure_rate<0.5%", or in k6's forms "p(95)<250, rate<0.01". A probe is
// judged on everything it sent, so an objective names a latency statistic
// (a percentile, avg, med, min or max) or a failure or error rate, for
// all endpoints together; windows, abortOnFail and per-endpoint scopes
// are refused, as are aggregations a load level cannot be judged by
// (count, rps, vus). A latency statistic may be of the requests that did
// not fail: ok_p99<300ms, ok_avg<100ms, or k6's
// "http_req_duration{expected_response:true}: p(95)<250". An empty item
// (p99<1s,,error_rate<1%) is an error, not skipped, as an objective lost
// in editing would be. Each objective's Source is the item as written,
// for the search's output to name it so.
func ParseSLO(s string) ([]Objective, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("--slo %q: no objective (e.g. 'p99<300ms, failure_rate<0.5%%')", s)
	}
	var out []Objective
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("--slo %q: objective %d is empty", s, i+1)
		}
		t, err := threshold.Parse(bareP.ReplaceAllString(part, "${1}p($2)"))
		if err != nil {
			return nil, fmt.Errorf("--slo %q: %w", part, err)
		}
		if err := judgeable(t); err != nil {
			return nil, fmt.Errorf("--slo %q: %w", part, err)
		}
		t.Source = part
		out = append(out, t)
	}
	return out, nil
}

func judgeable(t Objective) error {
	switch {
	case t.Metric.Endpoint != "":
		return fmt.Errorf("a capacity probe is judged over all endpoints together; drop the scope %q", t.Metric.Endpoint)
	case t.Window > 0 || t.AbortOnFail || t.DelayAbortEval > 0:
		return fmt.Errorf("over, abortOnFail and delayAbortEval do not apply: each probe is judged as a whole")
	case t.Metric.IsLatency() && t.Stat.Kind != alert.SampleCount:
		return lessThan(t)
	case t.Metric.Name == alert.FailureRate || t.Metric.Name == alert.ErrorRate:
		return lessThan(t)
	}
	return fmt.Errorf("%s cannot bound a load level; use a latency statistic, failure_rate or error_rate", t.Aggregation())
}

// lessThan insists on an upper bound: an SLO that a system meets less
// well as load rises, so that the boundary is a rate.
func lessThan(t Objective) error {
	if t.Op != threshold.Less && t.Op != threshold.LessOrEqual {
		return fmt.Errorf("an objective must be an upper bound (< or <=), got %s", t.Op)
	}
	return nil
}

// Warnings are what an SLO that parsed may not say as meant. An
// objective on the latency of the requests that did not fail ignores the
// failures: a probe in which 99 % of requests fail fast and the few that
// succeed are quick meets it. Only failure_rate bounds them; error_rate
// counts the requests that got no response, not the 429s and 503s that
// fail fastest.
func Warnings(slo []Objective) []string {
	var okOnly []string
	guarded, errorRate := false, false
	for _, o := range slo {
		switch {
		case SuccessOnly(o):
			okOnly = append(okOnly, Name(o))
		case o.Metric.Name == alert.FailureRate:
			guarded = true
		case o.Metric.Name == alert.ErrorRate:
			errorRate = true
		}
	}
	if len(okOnly) == 0 || guarded {
		return nil
	}
	w := fmt.Sprintf("%s judges only the requests that did not fail: a probe in which most requests fail, "+
		"fast, can meet it; bound the failures too (e.g. failure_rate<1%%)", strings.Join(okOnly, ", "))
	if errorRate {
		w += "; error_rate does not: it counts requests without a response, not a 429 or a 503"
	}
	return []string{w}
}

// Name is an objective as the SLO wrote it (its Source), or as Surge
// writes it where it has none (an Objective built in Go).
func Name(o Objective) string {
	if o.Source != "" {
		return o.Source
	}
	return o.String()
}
