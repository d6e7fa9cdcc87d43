package ci

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/threshold"
)

// Run is what a run's CI outputs are made of.
type Run struct {
	Name    string // "surge run load.yml"
	Results *results.Results
	Rules   judge.Outcome
	Ensure  []ensure.Verdict // the ensure checks, if they ran
	// Expect counts the expect checks of a script with the expect
	// plugin; nil when none ran. A failed one sets the exit code (21),
	// so the report and the summary must say so.
	Expect *ExpectChecks
}

// ExpectChecks counts a run's expect checks: the results' counters
// plugins.expect.ok and plugins.expect.failed.
type ExpectChecks struct {
	OK, Failed int64
}

// RunReport is a run's JUnit report: a suite each for the thresholds, the
// alerts, the ensure checks and the expect checks the run has.
func RunReport(in Run) Report {
	r := in.Results
	span := time.Duration(r.Test.DurationS * float64(time.Second))
	rep := Report{Name: in.Name, Time: span, Timestamp: r.Test.Started}
	props := runProperties(r)
	for _, s := range []Suite{
		{Name: "thresholds", Cases: thresholdCases(in.Rules)},
		{Name: "alerts", Cases: alertCases(in.Rules, r.Alerts)},
		{Name: "ensure", Cases: ensureCases(in.Ensure)},
		{Name: "expect", Cases: expectCases(in.Expect)},
	} {
		if len(s.Cases) > 0 {
			s.Time, s.Timestamp, s.Properties = span, r.Test.Started, props
			rep.Suites = append(rep.Suites, s)
		}
	}
	return rep
}

func runProperties(r *results.Results) [][2]string {
	props := [][2]string{{"target", r.Test.Target}, {"script", r.Test.Script}, {"surge_version", r.Version},
		{"duration_s", strconv.FormatFloat(r.Test.DurationS, 'f', 3, 64)}, {"requests", strconv.FormatInt(r.Aggregate.Requests, 10)}}
	if !r.Test.ResetAt.IsZero() {
		// requests and the verdicts count from the reset: say when it was.
		props = append(props, [2]string{"reset_at", r.Test.ResetAt.UTC().Format(time.RFC3339Nano)})
	}
	if r.Test.AbortedBy != "" {
		props = append(props, [2]string{"aborted_by", r.Test.AbortedBy})
	}
	out := props[:0]
	for _, p := range props {
		if p[1] != "" {
			out = append(out, p)
		}
	}
	return out
}

func thresholdCases(o judge.Outcome) []Case {
	var out []Case
	for _, v := range o.Thresholds {
		c := Case{Name: v.Threshold.Source, Classname: "surge.thresholds", Message: judge.DescribeVerdict(v),
			Failed: !v.Passed && !v.NoData, Skipped: v.NoData, Type: "ThresholdFailed"}
		if abortedBy(o, "threshold", v.Threshold.Source) {
			c.Type, c.Failed = "AbortedByThreshold", true
			c.Detail = fmt.Sprintf("stopped the test at %v: %s", o.Abort.Elapsed, o.Abort.Reason)
		}
		c.Detail = joinLines(c.Detail, windowNote(v))
		out = append(out, c)
	}
	return out
}

// windowNote says how a windowed threshold went.
func windowNote(v threshold.Verdict) string {
	if v.Threshold.Window == 0 || v.Checks == 0 {
		return ""
	}
	return fmt.Sprintf("windows of %v: %d evaluated, %d failed", v.Threshold.Window, v.Checks, v.Failed)
}

func abortedBy(o judge.Outcome, kind, name string) bool {
	return o.Abort != nil && o.Abort.By == kind+" "+strconv.Quote(name)
}

func alertCases(o judge.Outcome, evs []results.AlertEvent) []Case {
	var out []Case
	for _, a := range o.Alerts {
		c := Case{Name: a.Alert.Name, Classname: "surge.alerts", Failed: a.Failed(), Type: "AlertFailed",
			Message: judge.AlarmSummary(a) + "; rule: " + judge.DescribeAlert(a.Alert) + "; actions: " + judge.Actions(a.Alert),
			Detail:  changes(a.Alert.Name, evs)}
		if abortedBy(o, "alert", a.Alert.Name) {
			c.Type = "AbortedByAlert"
		}
		if !a.HasLast && a.State == alert.StateInsufficientData && a.Alarms == 0 {
			c.Skipped = true // no period ended with data: nothing was judged
		}
		out = append(out, c)
	}
	return out
}

// changes lists one alert's changes of state, one a line.
func changes(name string, evs []results.AlertEvent) string {
	var b strings.Builder
	for _, ev := range evs {
		if ev.Alert != name {
			continue
		}
		value := ""
		if ev.Value != nil {
			value = " (" + strconv.FormatFloat(*ev.Value, 'g', 6, 64) + ev.Unit + ")"
		}
		fmt.Fprintf(&b, "%gs %s -> %s%s: %s\n", ev.T, ev.From, ev.To, value, ev.Reason)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func ensureCases(vs []ensure.Verdict) []Case {
	var out []Case
	for _, v := range vs {
		c := Case{Name: v.Name, Classname: "surge.ensure", Type: "EnsureFailed",
			Message: "limit " + v.Threshold, Failed: !v.Pass && v.Strict}
		if v.Actual != "" {
			c.Message = "measured " + v.Actual + "; " + c.Message
		}
		if !v.Pass && !v.Strict {
			c.Detail = "failed, but the condition is optional (strict: false)"
		}
		out = append(out, c)
	}
	return out
}

// expectCases is one case for all the expect checks: they are counted,
// not kept one by one, and the exit code (21) rests on whether any
// failed. Without it a run that exits 21 would read as all green.
func expectCases(e *ExpectChecks) []Case {
	if e == nil {
		return nil
	}
	return []Case{{Name: "expect checks", Classname: "surge.expect", Type: "ExpectFailed",
		Message: e.Summary(), Failed: e.Failed > 0}}
}

// Summary says how the expect checks went: "3 of 20 expect checks failed".
func (e ExpectChecks) Summary() string {
	if e.Failed > 0 {
		return fmt.Sprintf("%d of %d expect checks failed", e.Failed, e.OK+e.Failed)
	}
	return fmt.Sprintf("all %d expect checks passed", e.OK)
}
