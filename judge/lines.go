package judge

import (
	"fmt"
	"strconv"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/scenario"
)

// StepLines are the lines a step prints while the test runs: every change
// of state of an alert that prints, an alert that fails the run entering
// ALARM, and each threshold's first failed evaluation.
func StepLines(s Step) []string {
	var out []string
	for _, t := range s.Transitions {
		switch {
		case Has(t.Alert, scenario.ActionPrint):
			out = append(out, TransitionLine(t))
		case t.To == alert.StateAlarm && Fails(t.Alert):
			out = append(out, fmt.Sprintf("alert %s: ALARM at %s%s", strconv.Quote(t.Alert.Name), seconds(t.Elapsed), valueNote(t)))
		}
	}
	for _, f := range s.Failing {
		out = append(out, fmt.Sprintf("threshold %s: failed at %s: %s", strconv.Quote(f.Threshold.Source),
			seconds(time.Duration(f.Check.To+1)*time.Second), DescribeCheck(f.Threshold, f.Check)))
	}
	return out
}

// TransitionLine is one change of state with its reason:
// `alert "p99": OK -> ALARM at 6s (250ms): 1 of 1 datapoints …`.
func TransitionLine(t Transition) string {
	return fmt.Sprintf("alert %s: %v -> %v at %s%s: %s", strconv.Quote(t.Alert.Name), t.From, t.To,
		seconds(t.Elapsed), valueNote(t), t.Reason)
}

func valueNote(t Transition) string {
	if !t.HasValue {
		return ""
	}
	return " (" + alert.FormatValue(t.Alert.Rule.Unit, t.Value) + ")"
}

func seconds(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + "s" }

// Lines are the rules' verdicts at the end of the run, as the ensure
// checks print theirs: "ok: …", "fail: …", "no data: …".
func Lines(o Outcome) []string {
	var out []string
	for _, v := range o.Thresholds {
		status := "ok"
		switch {
		case v.NoData:
			status = "no data"
		case !v.Passed:
			status = "fail"
		}
		out = append(out, fmt.Sprintf("%s: %s: %s", status, v.Threshold.Source, DescribeVerdict(v)))
	}
	for _, a := range o.Alerts {
		status := "ok"
		if a.Failed() {
			status = "fail"
		}
		out = append(out, fmt.Sprintf("%s: alert %s: %s", status, strconv.Quote(a.Alert.Name), DescribeOutcome(a)))
	}
	if o.Abort != nil {
		out = append(out, fmt.Sprintf("stopped at %s by %s", seconds(o.Abort.Elapsed), o.Abort.By))
	}
	return out
}

// DescribeOutcome says how an alert went, and its rule: "ALARM 1 time,
// first at 6s (250ms); ends in ALARM (latency p99 > 100ms, 1 of 1 periods
// of 2s; print, abort)".
func DescribeOutcome(a AlertOutcome) string {
	return fmt.Sprintf("%s (%s; %s)", AlarmSummary(a), DescribeAlert(a.Alert), Actions(a.Alert))
}

// AlarmSummary says how an alert went: "ALARM 1 time, first at 6s
// (250ms); ends in ALARM", "never in ALARM; ends in OK". After a reset of
// the statistics it counts from the reset, which it names: "since the
// reset at 0:04: ALARM 1 time, first at 2s (…)" is an alarm that was in
// ALARM at the reset.
func AlarmSummary(a AlertOutcome) string {
	s := "never in ALARM"
	if a.FirstAlarm != nil {
		s = fmt.Sprintf("ALARM %d %s, first at %s%s", a.Alarms, plural(a.Alarms, "time"), seconds(a.FirstAlarm.Elapsed),
			valueNote(*a.FirstAlarm))
	}
	if a.Reset {
		s = "since the reset at " + Clock(a.Since) + ": " + s
	}
	return fmt.Sprintf("%s; ends in %v", s, a.State)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
