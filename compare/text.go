package compare

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
)

// WriteText writes the report as terminal tables, in benchstat's manner:
// one table per scope, one row per metric with base, head, the change with
// its interval, the Holm-adjusted p-value and the verdict.
func WriteText(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "base %s\nhead %s\n", runLine(r.Base), runLine(r.Head))
	for _, scope := range r.scopes() {
		fmt.Fprintf(tw, "\n%s\tbase\thead\thead vs base (%g%% CI)\tp (Holm)\tverdict\n", scope, 100*(1-r.Alpha))
		for _, row := range r.Rows {
			if row.Scope == scope {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", row.Metric, value(row.Metric, row.Base),
					value(row.Metric, row.Head), change(row), pValue(row), verdictText(row))
			}
		}
	}
	if len(r.Monitored) > 0 {
		fmt.Fprintf(tw, "\n%s\tbase\thead\thead/base\n", MonitoredTitle)
		for _, m := range r.Monitored {
			base, head, change := monitoredCells(m)
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", m.Series, base, head, change)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%s%s\nverdict: %s\n%s", shiftLines(r), footnotes(r), summaryLine(r), findingLines(r))
	return err
}

// findingLines are the findings, one a line, under the verdict they
// qualify.
func findingLines(r *Report) string {
	s := ""
	for _, f := range r.Findings {
		s += f + "\n"
	}
	return s
}

// scopes lists the scopes in the order of the rows.
func (r *Report) scopes() []string {
	var out []string
	seen := map[string]bool{}
	for _, row := range r.Rows {
		if !seen[row.Scope] {
			seen[row.Scope] = true
			out = append(out, row.Scope)
		}
	}
	return out
}

// shiftLines gives the Mann-Whitney second opinion, one line per scope
// and latency.
func shiftLines(r *Report) string {
	s := ""
	for _, sh := range r.Shifts {
		s += fmt.Sprintf("%s, %s: P(head slower) = %.3f, p = %.3f (Mann-Whitney on the histograms, variance ×%.1f for dependence; %.3f without)\n",
			shiftName(r, sh), sh.Scope, sh.Superiority, sh.P, sh.DesignEffect, sh.NaiveP)
	}
	return s
}

// shiftName says which latency a shift tested. Without a test of the
// requests that did not fail in the report, the line reads as it always
// has: there is no other latency to tell it from.
func shiftName(r *Report, sh Shift) string {
	switch {
	case sh.Latency == LatencyOK:
		return "latency distribution of the requests that did not fail"
	case slices.ContainsFunc(r.Shifts, func(o Shift) bool { return o.Latency == LatencyOK }):
		return "latency distribution of all requests"
	}
	return "latency distribution"
}

// footnotes are the method and the notes.
func footnotes(r *Report) string {
	s := "method: " + methodLine(r) + "\n"
	for _, n := range r.Notes {
		s += "note: " + n + "\n"
	}
	return s
}
