package judge

import (
	"fmt"
	"strings"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/threshold"
)

// DescribeCheck says what one evaluation of a threshold measured:
// "p(99)=412ms over 31s..60s (limit <300ms)".
func DescribeCheck(t threshold.Threshold, c threshold.Check) string {
	return fmt.Sprintf("%s over %ds..%ds (limit %s)", valueText(t, c.Value), c.From, c.To+1, limitText(t))
}

// DescribeVerdict says what a threshold's verdict rests on. After a reset
// of the statistics it says that the verdict covers the time since:
// "error_rate=0% since the reset at 0:04 (limit <1%)".
func DescribeVerdict(v threshold.Verdict) string {
	t := v.Threshold
	since := ""
	if v.Reset {
		since = " since the reset at " + Clock(time.Duration(v.Since)*time.Second)
	}
	switch {
	case v.NoData:
		return "no data" + since + " (nothing to measure)"
	case v.Failure != nil:
		return fmt.Sprintf("%s; failed %d of %d windows%s, first %ds..%ds (limit %s)", valueText(t, v.Value),
			v.Failed, v.Checks, since, v.Failure.From, v.Failure.To+1, limitText(t))
	case t.Window > 0 && v.Checks > 1:
		return fmt.Sprintf("%s in the last window; held in all %d windows%s (limit %s)", valueText(t, v.Value), v.Checks, since, limitText(t))
	}
	if since == "" {
		since = " over the run"
	}
	return fmt.Sprintf("%s%s (limit %s)", valueText(t, v.Value), since, limitText(t))
}

// Clock writes a time since the start of the run as the summary does:
// "0:04", "1:02:03".
func Clock(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// Measured is what a verdict rests on, with the metric's name:
// "p(99)=412ms", or "no data".
func Measured(v threshold.Verdict) string {
	if v.NoData {
		return "no data"
	}
	return valueText(v.Threshold, v.Value)
}

// Limit is a threshold's condition: "<300ms".
func Limit(t threshold.Threshold) string { return limitText(t) }

// valueText is the measured value with the metric's name: "p(99)=412ms".
func valueText(t threshold.Threshold, v float64) string {
	return t.Aggregation() + "=" + alert.FormatValue(t.Unit, v)
}

// limitText is the condition: "<300ms".
func limitText(t threshold.Threshold) string {
	return t.Op.String() + alert.FormatValue(t.Unit, t.Value)
}

// DescribeAlert is an alert's rule in one line: "latency of GET /items
// p99 > 300ms, 2 of 3 periods of 10s".
func DescribeAlert(a *scenario.Alert) string {
	r := a.Rule
	return fmt.Sprintf("%v %v %s %s, %d of %d periods of %v", a.Metric, r.Statistic, r.Comparison.Symbol(),
		alert.FormatValue(r.Unit, r.Threshold), r.M(), r.EvaluationPeriods, r.Period)
}

// Actions lists an alert's actions: "print, abort, notify oncall".
func Actions(a *scenario.Alert) string {
	names := make([]string, len(a.Actions))
	for i, act := range a.Actions {
		names[i] = strings.TrimSpace(act.Kind + " " + act.Notifier)
	}
	return strings.Join(names, ", ")
}
