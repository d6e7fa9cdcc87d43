package ensure

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/flow/filtrex"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/templating"
)

// Spec is the set of checks of one test.
type Spec struct {
	Thresholds []Threshold
	Conditions []Condition
	Legacy     []Legacy
	// MaxErrorRate is the highest share of VUs that may fail, in percent.
	MaxErrorRate    float64
	HasMaxErrorRate bool
	// Endpoints keys the results' endpoints as Artillery's
	// metrics-by-endpoint plugin does, for the results' target; nil:
	// see Metrics.
	Endpoints func(target string) scenario.EndpointKeys
}

// Threshold is "metric < limit"; Limit is as written in the script.
type Threshold struct {
	Metric, Limit string
}

// Condition is a filtrex expression over metric names; a non-strict one
// is reported but does not fail the run.
type Condition struct {
	Expression string
	Strict     bool
}

// Legacy is p95, p99, median, min or max: http.response_time.<Key> < Limit.
type Legacy struct {
	Key   string
	Limit int64
}

// FromScript converts a script's config.ensure.
func FromScript(e *scenario.Ensure) Spec {
	if e == nil {
		return Spec{}
	}
	s := Spec{MaxErrorRate: e.MaxErrorRate, HasMaxErrorRate: e.HasMaxErrorRate}
	for _, t := range e.Thresholds {
		s.Thresholds = append(s.Thresholds, Threshold{Metric: t.Metric, Limit: t.Limit})
	}
	for _, c := range e.Conditions {
		s.Conditions = append(s.Conditions, Condition{Expression: c.Expression, Strict: c.Strict})
	}
	for _, l := range e.Legacy {
		s.Legacy = append(s.Legacy, Legacy{Key: l.Key, Limit: l.Limit})
	}
	return s
}

// ForScript is the checks of a script's config.ensure, with its requests'
// metrics-by-endpoint names.
func ForScript(sc *scenario.Script) Spec {
	s := FromScript(sc.Config.Ensure)
	s.Endpoints = sc.EndpointKeys
	return s
}

// Verdict is the outcome of one check.
type Verdict struct {
	Name      string // the check as Artillery prints it: "http.response_time.p95 < 200"
	Threshold string // the limit, or the expression for conditions
	Actual    string // the measured value ("missing" when the metric does not exist)
	Pass      bool
	Strict    bool
}

// check is one check ready to evaluate.
type check struct {
	name, expr, threshold, metric string
	strict                        bool
}

// checks lists a spec's checks in Artillery's order: thresholds,
// conditions, legacy limits, maxErrorRate.
func (s Spec) checks() []check {
	var cs []check
	for _, t := range s.Thresholds {
		e := t.Metric + " < " + t.Limit
		cs = append(cs, check{name: e, expr: e, threshold: t.Limit, metric: t.Metric, strict: true})
	}
	for _, c := range s.Conditions {
		cs = append(cs, check{name: c.Expression, expr: c.Expression, threshold: c.Expression, strict: c.Strict})
	}
	for _, l := range s.Legacy {
		limit := strconv.FormatInt(l.Limit, 10)
		m := "http.response_time." + l.Key
		cs = append(cs, check{name: l.Key + " < " + limit, expr: m + " < " + limit, threshold: limit, metric: m, strict: true})
	}
	if s.HasMaxErrorRate {
		limit := templating.FormatNumber(s.MaxErrorRate)
		cs = append(cs, check{name: "maxErrorRate < " + limit, strict: true, threshold: limit, metric: "error rate %",
			expr: "((vusers.created - vusers.completed)/vusers.created * 100) <= " + limit})
	}
	return cs
}

// dottedName is a metric name as conditions write it (http.codes.200,
// vusers.created): a word with dotted parts, which quoteMetrics quotes
// before compiling once the metrics are known.
var dottedName = regexp.MustCompile(`[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z0-9_$]+)+`)

// CheckCondition reports a condition that cannot compile, so that a typo
// is found before the load rather than as a failed check after it. Each
// metric name is stood in for by a plain name of its length, which keeps
// the error's offsets those of the expression as written.
func CheckCondition(expr string) error {
	plain := dottedName.ReplaceAllStringFunc(expr, func(name string) string {
		return "m" + strings.Repeat("_", len(name)-1)
	})
	_, err := filtrex.Compile(plain)
	return err
}

// Check evaluates the spec against a results document.
func Check(r *results.Results, s Spec) []Verdict {
	var keys *scenario.EndpointKeys
	if s.Endpoints != nil {
		k := s.Endpoints(r.Test.Target)
		keys = &k
	}
	m := metricsOf(r, keys)
	var out []Verdict
	for _, c := range s.checks() {
		out = append(out, evaluate(c, m))
	}
	return out
}

func evaluate(c check, m map[string]float64) Verdict {
	v := Verdict{Name: c.name, Threshold: c.threshold, Strict: c.strict}
	expr, names := quoteMetrics(c.expr, m)
	v.Actual = actual(c, m, names)
	e, err := filtrex.Compile(expr)
	if err != nil {
		return v
	}
	res, err := e.Eval(func(name string) (any, bool) {
		if real, ok := names[name]; ok {
			return m[real], true
		}
		return nil, false
	})
	f, isNum := templating.Number(res)
	v.Pass = err == nil && isNum && f == 1
	return v
}

// actual describes the measured value behind a check; a condition's is
// the value of each metric it names (names, from quoteMetrics).
func actual(c check, m map[string]float64, names map[string]string) string {
	switch {
	case c.metric == "" && len(names) > 0:
		return measuredIn(c.expr, names, m)
	case c.metric == "error rate %":
		created, completed := m["vusers.created"], m["vusers.completed"]
		if created == 0 {
			return "no VUs"
		}
		return templating.FormatNumber((created-completed)/created*100) + "%"
	case c.metric != "":
		if x, ok := m[c.metric]; ok {
			return templating.FormatNumber(x)
		}
		return "missing"
	}
	return ""
}

// measuredIn writes the metrics an expression names with their values,
// in the order they appear in it: "http.failure_rate_pct=2.5,
// http.requests=200", so that a failed condition says what it measured.
func measuredIn(expr string, names map[string]string, m map[string]float64) string {
	metrics := make([]string, 0, len(names))
	for _, name := range names {
		metrics = append(metrics, name)
	}
	sort.Slice(metrics, func(i, j int) bool {
		a, b := strings.Index(expr, metrics[i]), strings.Index(expr, metrics[j])
		return a < b || (a == b && metrics[i] < metrics[j])
	})
	parts := make([]string, len(metrics))
	for i, name := range metrics {
		parts[i] = name + "=" + templating.FormatNumber(m[name])
	}
	return strings.Join(parts, ", ")
}

// quoteMetrics replaces every metric name found in an expression by a
// quoted placeholder, longest names first, so that names filtrex could not
// read (errors.Failed capture or match, codes with dashes) work, as
// Artillery's hashing of metric names makes them work. names maps each
// placeholder back to its metric.
func quoteMetrics(expr string, m map[string]float64) (string, map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		if strings.Contains(expr, k) {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(keys[i]) > len(keys[j]) || (len(keys[i]) == len(keys[j]) && keys[i] < keys[j])
	})
	names := make(map[string]string, len(keys))
	for i, k := range keys {
		ph := fmt.Sprintf("\x01%d", i)
		if strings.Contains(expr, k) {
			expr = strings.ReplaceAll(expr, k, "'"+ph+"'")
			names[ph] = k
		}
	}
	return expr, names
}

// Lines are the report lines Artillery prints: passing checks first, each
// "ok: <check>" or "fail: <check>", with " (optional)" for a failed
// non-strict check.
func Lines(vs []Verdict) []string {
	sorted := append([]Verdict(nil), vs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Pass && !sorted[j].Pass })
	out := make([]string, 0, len(sorted))
	for _, v := range sorted {
		switch {
		case v.Pass:
			out = append(out, "ok: "+v.Name)
		case v.Strict:
			out = append(out, "fail: "+v.Name)
		default:
			out = append(out, "fail: "+v.Name+" (optional)")
		}
	}
	return out
}

// Failed reports whether a strict check failed: the run then exits with
// code 1, as in Artillery.
func Failed(vs []Verdict) bool {
	for _, v := range vs {
		if !v.Pass && v.Strict {
			return true
		}
	}
	return false
}

// ExitCode is 1 when a strict check failed, else 0.
func ExitCode(vs []Verdict) int {
	if Failed(vs) {
		return 1
	}
	return 0
}
