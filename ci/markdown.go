package ci

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/surge-dev/surge/compare"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/results"
)

// maxTableChanges bounds the alert changes listed in a summary: GitHub
// shows at most 1 MiB of a step's summary.
const maxTableChanges = 100

// RunMarkdown is a run's summary in GitHub-flavoured Markdown: the
// verdict line with the exit code, the headline figures, a row per check
// and the alerts' changes of state.
func RunMarkdown(in Run, exitCode int) string {
	var b strings.Builder
	r := in.Results
	fmt.Fprintf(&b, "### %s %s: %s (exit %d)\n\n", verdictIcon(in, r), escape(in.Name), verdictText(in, r), exitCode)
	figures(&b, r)
	checksTable(&b, in)
	changesTable(&b, r.Alerts)
	return b.String()
}

func verdictIcon(in Run, r *results.Results) string {
	switch {
	case in.Rules.Abort != nil:
		return "⛔"
	case failed(in):
		return "❌"
	case r.Test.Interrupted:
		return "⚠️"
	}
	return "✅"
}

func verdictText(in Run, r *results.Results) string {
	switch {
	case in.Rules.Abort != nil:
		return fmt.Sprintf("stopped at %v by %s", in.Rules.Abort.Elapsed, escape(in.Rules.Abort.By))
	case failed(in):
		return "failed"
	case r.Test.Interrupted:
		return "interrupted"
	}
	return "passed"
}

func failed(in Run) bool {
	if in.Rules.Failed() {
		return true
	}
	for _, v := range in.Ensure {
		if !v.Pass && v.Strict {
			return true
		}
	}
	return in.Expect != nil && in.Expect.Failed > 0 // exit 21
}

// figures is the run's headline: target, length, requests, rates and
// latency percentiles.
func figures(b *strings.Builder, r *results.Results) {
	a := r.Aggregate
	fmt.Fprintf(b, "| target | duration | requests | rate | failures | errors | p50 | p95 | p99 |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(b, "| %s | %.1f s | %d | %.1f/s | %d (%g%%) | %d (%g%%) | %g ms | %g ms | %g ms |\n\n",
		escape(r.Test.Target), r.Test.DurationS, a.Requests, a.RPS, a.Failures, a.FailureRatePct, a.Errors,
		a.ErrorRatePct, a.Latency.P50, a.Latency.P95, a.Latency.P99)
}

func checksTable(b *strings.Builder, in Run) {
	rows := checkRows(in)
	if len(rows) == 0 {
		return
	}
	b.WriteString("| | check | measured | limit |\n|---|---|---|---|\n")
	for _, row := range rows {
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", row[0], escape(row[1]), escape(row[2]), escape(row[3]))
	}
	b.WriteString("\n")
}

// checkRows are the thresholds, alerts and ensure checks: icon, check,
// measured, limit.
func checkRows(in Run) [][4]string {
	var rows [][4]string
	for _, v := range in.Rules.Thresholds {
		rows = append(rows, [4]string{icon(v.Passed, v.NoData), v.Threshold.Source, judge.Measured(v), judge.Limit(v.Threshold)})
	}
	for _, a := range in.Rules.Alerts {
		rows = append(rows, [4]string{icon(!a.Failed(), false), "alert " + strconv.Quote(a.Alert.Name),
			judge.AlarmSummary(a), judge.DescribeAlert(a.Alert)})
	}
	for _, v := range in.Ensure {
		mark := icon(v.Pass, false)
		if !v.Pass && !v.Strict {
			mark = "⚠️" // failed, but optional
		}
		rows = append(rows, [4]string{mark, v.Name, v.Actual, v.Threshold})
	}
	if e := in.Expect; e != nil {
		rows = append(rows, [4]string{icon(e.Failed == 0, false), "expect checks", e.Summary(), "none failed"})
	}
	return rows
}

func icon(pass, noData bool) string {
	switch {
	case noData:
		return "➖"
	case pass:
		return "✅"
	}
	return "❌"
}

func changesTable(b *strings.Builder, evs []results.AlertEvent) {
	if len(evs) == 0 {
		return
	}
	fmt.Fprintf(b, "<details><summary>%d alert changes of state</summary>\n\n", len(evs))
	b.WriteString("| at | alert | change | value | reason |\n|---:|---|---|---:|---|\n")
	for i, ev := range evs {
		if i == maxTableChanges {
			fmt.Fprintf(b, "\n%d more in the results file.\n", len(evs)-maxTableChanges)
			break
		}
		value := "–"
		if ev.Value != nil {
			value = strconv.FormatFloat(*ev.Value, 'g', 4, 64) + ev.Unit
		}
		fmt.Fprintf(b, "| %gs | %s | %s → %s | %s | %s |\n", ev.T, escape(ev.Alert), ev.From, ev.To, escape(value), escape(ev.Reason))
	}
	b.WriteString("\n</details>\n")
}

// escape keeps a cell's text from breaking the table or being read as
// HTML, as compare's Markdown does.
func escape(s string) string { return compare.MarkdownText(s) }

// MaxStepSummary is the most written to $GITHUB_STEP_SUMMARY at once:
// GitHub drops a step's summary above 1 MiB.
const MaxStepSummary = 1<<20 - 4<<10

// AppendStepSummary appends Markdown to GitHub's step summary file (the
// path in $GITHUB_STEP_SUMMARY), cut with a note if it is too long.
func AppendStepSummary(path, markdown string) error {
	if len(markdown) > MaxStepSummary {
		markdown = strings.ToValidUTF8(markdown[:MaxStepSummary], "") + "\n\n*(cut: the summary was longer than GitHub shows)*\n"
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("step summary: %w", err)
	}
	if _, err := f.WriteString(markdown + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("step summary: %w", err)
	}
	return f.Close()
}
