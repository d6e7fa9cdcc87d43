package session

import (
	"strconv"

	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// reportVerdicts shows the rules' outcome in the report and the dashboard:
// a row per threshold and per alert. An alert fails its row when it failed
// the run (it entered ALARM and marks the run failed or stops it).
func reportVerdicts(o judge.Outcome) []report.Verdict {
	var out []report.Verdict
	for _, v := range o.Thresholds {
		out = append(out, report.Verdict{Name: v.Threshold.Source, Threshold: judge.Limit(v.Threshold),
			Actual: judge.Measured(v), Pass: v.Passed || v.NoData, NoData: v.NoData})
	}
	for _, a := range o.Alerts {
		out = append(out, report.Verdict{Name: "alert " + strconv.Quote(a.Alert.Name), Threshold: judge.DescribeAlert(a.Alert),
			Actual: judge.AlarmSummary(a), Pass: !a.Failed()})
	}
	return out
}

// verdictsFunc joins the caller's verdicts (the ensure checks) and the
// rules' into what the report and the dashboard show.
func verdictsFunc(o Options, rules *ruleWatch) func(*results.Results) []report.Verdict {
	if rules == nil {
		return o.Verdicts
	}
	return func(r *results.Results) []report.Verdict {
		var out []report.Verdict
		if o.Verdicts != nil {
			out = o.Verdicts(r)
		}
		return append(out, rules.verdicts()...)
	}
}
