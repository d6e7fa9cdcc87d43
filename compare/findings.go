package compare

import (
	"fmt"
	"math"
)

// findings adds a plain sentence for every scope where the latency of all
// requests and that of the requests that did not fail moved opposite
// ways. That happens when failures changed and took another time than
// the successes: fewer instant 429s or 503s raise the latency of all
// requests while the successes got faster, and more of them lower it
// while the successes got slower. Read alone, the latency rows would
// then judge the service the wrong way round; the sentence points at the
// failures and at the rows to judge its speed by.
func (c *comparison) findings() {
	for _, scope := range c.report.scopes() {
		if f := c.finding(scope); f != "" {
			c.report.Findings = append(c.report.Findings, f)
		}
	}
}

// finding is the sentence of one scope, or "".
func (c *comparison) finding(scope string) string {
	for _, worse := range []bool{true, false} {
		all, found := c.report.firstRow(scope, func(r Row) bool { return !r.Metric.IsOK() && looksWorse(r, worse) })
		if !found {
			continue
		}
		ok, found := c.report.firstRow(scope, func(r Row) bool {
			return r.Metric.IsOK() && r.Verdict == verdictOf(!worse)
		})
		if !found {
			continue
		}
		looks, got := "worse", "faster"
		if !worse {
			looks, got = "better", "slower"
		}
		return fmt.Sprintf("%s: the latency of all requests looks %s (%s %s) but the requests that did not fail got %s "+
			"(%s %s, %s): %s, and the latency of all requests counts the failed responses, which took another time "+
			"than the successes. Judge the service's speed by the ok_ rows, its failures by failure_rate.",
			scope, looks, all.Metric, pct(all.Ratio-1), got, ok.Metric, pct(ok.Ratio-1), ok.Verdict, c.failuresMoved(scope))
	}
	return ""
}

// looksWorse says whether a latency row's head is worse by more than its
// margin, whatever its verdict but the opposite one (regressed, withheld
// as the mix's doing, or inconclusive with a large estimate: a reader
// sees "+900%" either way); with worse false, better.
func looksWorse(r Row, worse bool) bool {
	if !r.Metric.isLatency() || math.IsNaN(r.Ratio) || r.Verdict == NoChange || r.Verdict == verdictOf(!worse) {
		return false
	}
	if worse {
		return r.Ratio-1 > r.MarginWidth
	}
	return 1-r.Ratio > r.MarginWidth
}

// verdictOf is Regressed for worse, Improved otherwise.
func verdictOf(worse bool) Verdict {
	if worse {
		return Regressed
	}
	return Improved
}

// failuresMoved says how the scope's failures changed.
func (c *comparison) failuresMoved(scope string) string {
	fr, ok := c.report.rowOf(scope, FailureRate)
	if !ok {
		return "failures changed"
	}
	return fmt.Sprintf("failures went from %s to %s", value(FailureRate, fr.Base), value(FailureRate, fr.Head))
}

// firstRow is the first row of a scope that keep accepts.
func (r *Report) firstRow(scope string, keep func(Row) bool) (Row, bool) {
	for _, row := range r.Rows {
		if row.Scope == scope && keep(row) {
			return row, true
		}
	}
	return Row{}, false
}
