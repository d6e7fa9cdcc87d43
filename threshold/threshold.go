package threshold

import (
	"strconv"
	"strings"
	"time"

	"github.com/surge-dev/surge/alert"
)

// Op is a threshold's comparison: the condition that must hold.
type Op int8

// k6's operators (=== is read as ==).
const (
	Less Op = iota + 1
	LessOrEqual
	Greater
	GreaterOrEqual
	Equal
	NotEqual
)

var opSymbols = map[Op]string{Less: "<", LessOrEqual: "<=", Greater: ">", GreaterOrEqual: ">=", Equal: "==", NotEqual: "!="}

func (o Op) String() string { return opSymbols[o] }

// Holds reports whether v op limit.
func (o Op) Holds(v, limit float64) bool {
	switch o {
	case Less:
		return v < limit
	case LessOrEqual:
		return v <= limit
	case Greater:
		return v > limit
	case GreaterOrEqual:
		return v >= limit
	case Equal:
		return v == limit
	case NotEqual:
		return v != limit
	}
	return false
}

// Threshold is one parsed threshold.
type Threshold struct {
	Source string // as written
	Metric alert.Metric
	Stat   alert.Statistic
	Unit   alert.Unit
	Op     Op
	Value  float64 // in the metric's unit: milliseconds, a fraction for rates
	// Window is the length of the sliding window the threshold must hold
	// over; 0 means since the start of the run, as in k6.
	Window         time.Duration
	AbortOnFail    bool
	DelayAbortEval time.Duration
}

// Aggregation is the body's name for the metric and statistic, as String
// writes it: p(99), avg, count, failure_rate, rps, max, ok_p(95).
func (t Threshold) Aggregation() string {
	switch t.Metric.Name {
	case alert.Latency:
		return latencyAggregation(t.Stat)
	case alert.LatencyOK:
		return okPrefix + latencyAggregation(t.Stat)
	case alert.Requests:
		return "count"
	case alert.VUs:
		if t.Stat.Kind == alert.Minimum {
			return "min"
		}
		return "max"
	}
	return t.Metric.Name // failure_rate, error_rate, rps
}

// latencyAggregation is the body's name for a statistic of latency.
func latencyAggregation(st alert.Statistic) string {
	switch st.Kind {
	case alert.Average:
		return "avg"
	case alert.Minimum:
		return "min"
	case alert.Maximum:
		return "max"
	case alert.SampleCount:
		return "count"
	}
	return "p(" + strconv.FormatFloat(st.P, 'f', -1, 64) + ")"
}

// String writes the threshold in the form Parse reads back to the same
// threshold: Surge's names, units written out.
func (t Threshold) String() string {
	var b strings.Builder
	switch {
	case t.Metric.Name == alert.VUs:
		b.WriteString("vus: ")
	case t.Metric.Endpoint != "":
		b.WriteString(scopeText(t.Metric.Endpoint) + ": ")
	}
	b.WriteString(t.Aggregation() + t.Op.String() + formatValue(t.Unit, t.Value))
	if t.Window > 0 {
		b.WriteString(" over " + t.Window.String())
	}
	if t.AbortOnFail {
		b.WriteString(" abortOnFail")
	}
	if t.DelayAbortEval > 0 {
		b.WriteString(" delayAbortEval=" + t.DelayAbortEval.String())
	}
	return b.String()
}

// formatValue writes a value with every digit needed to read it back and
// no exponent, which a latency's unit could not follow.
func formatValue(u alert.Unit, v float64) string {
	switch u {
	case alert.Millis:
		return strconv.FormatFloat(v, 'f', -1, 64) + "ms"
	case alert.Fraction:
		return strconv.FormatFloat(v*100, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
