package compare

import (
	"fmt"
	"io"
	"strings"
)

// MarkdownMarker starts every Markdown report, so that a CI job can find
// and update its earlier comment on a pull request.
const MarkdownMarker = "<!-- surge-compare -->"

// WriteMarkdown writes the report for a pull-request comment: the verdict
// line first, then the rows that changed or could not be decided, and the
// unchanged rows folded away in a <details> block.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### %s\n\n", MarkdownMarker, headline(r))
	section(&b, r)
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdownReports writes the comparisons of several heads with one
// base as one comment: the marker once, then a line with the outcome of
// them all (the exit code's: any head that regressed fails the job), then
// each head under its own heading. One report is written as WriteMarkdown
// writes it.
func WriteMarkdownReports(w io.Writer, reports []*Report) error {
	if len(reports) == 1 {
		return WriteMarkdown(w, reports[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n### %s\n", MarkdownMarker, overallHeadline(reports))
	for _, r := range reports {
		fmt.Fprintf(&b, "\n#### %s: %s\n\n", escape(r.Head.Label), headline(r))
		section(&b, r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// overallHeadline is the verdict line over several heads.
func overallHeadline(reports []*Report) string {
	regressed, inconclusive := 0, 0
	for _, r := range reports {
		switch {
		case r.Count(Regressed) > 0:
			regressed++
		case r.Count(Inconclusive) > 0:
			inconclusive++
		}
	}
	switch {
	case regressed > 0:
		return fmt.Sprintf("❌ Regression in %d of %d heads", regressed, len(reports))
	case inconclusive > 0:
		return fmt.Sprintf("⚠️ No regression found in %d heads, some rows inconclusive", len(reports))
	}
	return fmt.Sprintf("✅ No regression in %d heads", len(reports))
}

// section is one comparison below its verdict line: the runs, the rows
// that changed or could not be decided, the unchanged rows folded away,
// the target's series and the footnotes.
func section(b *strings.Builder, r *Report) {
	for _, f := range r.Findings {
		fmt.Fprintf(b, "> %s\n\n", escape(f))
	}
	fmt.Fprintf(b, "**base** %s  \n**head** %s\n\n", escape(runLine(r.Base)), escape(runLine(r.Head)))
	var shown, folded []Row
	for _, row := range r.Rows {
		if row.Verdict == NoChange {
			folded = append(folded, row)
		} else {
			shown = append(shown, row)
		}
	}
	if len(shown) > 0 {
		table(b, r, shown)
	}
	if len(folded) > 0 {
		fmt.Fprintf(b, "\n<details><summary>%s without change</summary>\n\n", rowCount(len(folded)))
		table(b, r, folded)
		b.WriteString("\n</details>\n")
	}
	monitoredTable(b, r)
	lines := strings.Split(strings.TrimSpace(shiftLines(r)+footnotes(r)), "\n")
	for i, l := range lines {
		lines[i] = escape(l)
	}
	fmt.Fprintf(b, "\n<sub>%s</sub>\n", strings.Join(lines, "<br>"))
}

// headline is the verdict line.
func headline(r *Report) string {
	switch {
	case r.Count(Regressed) > 0:
		return "❌ Regression: " + summaryLine(r)
	case r.Count(Inconclusive) > 0:
		return "⚠️ No regression found, some rows inconclusive: " + summaryLine(r)
	}
	return "✅ No regression: " + summaryLine(r)
}

func table(b *strings.Builder, r *Report, rows []Row) {
	fmt.Fprintf(b, "| scope | metric | base | head | head vs base (%g%% CI) | p (Holm) | verdict |\n", 100*(1-r.Alpha))
	b.WriteString("|---|---|---:|---:|---:|---:|---|\n")
	for _, row := range rows {
		verdict := verdictText(row)
		if row.Verdict == Regressed || row.Verdict == Improved {
			verdict = "**" + verdict + "**"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", escape(row.Scope), row.Metric,
			value(row.Metric, row.Base), value(row.Metric, row.Head), change(row), pValue(row), escape(verdict))
	}
}

// monitoredTable shows the target's series, described rather than
// judged: gauges by mean and peak, counters by their increase.
func monitoredTable(b *strings.Builder, r *Report) {
	if len(r.Monitored) == 0 {
		return
	}
	fmt.Fprintf(b, "\n#### %s\n\n| series | base | head | head/base |\n|---|---:|---:|---:|\n", escape(MonitoredTitle))
	for _, m := range r.Monitored {
		base, head, change := monitoredCells(m)
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", escape(m.Series), base, head, change)
	}
}

// escape keeps endpoint names from breaking the table or the page.
func escape(s string) string { return MarkdownText(s) }

// MarkdownText escapes text for a cell of a GitHub-flavoured Markdown
// table or a line of a page: a pipe would end the cell, a line break the
// row (a script's request name may hold one), angle brackets open HTML,
// a backquote code, and an ampersand an entity (a name holding "&lt;"
// would show "<").
func MarkdownText(s string) string { return markdownEscaper.Replace(s) }

// markdownEscaper lists "\r\n" before "\r" and "\n": a replacer tries its
// pairs in order, so a CRLF becomes one space.
var markdownEscaper = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`",
	"\r\n", " ", "\n", " ", "\r", " ")

// rowCount is "1 row" or "n rows".
func rowCount(n int) string {
	if n == 1 {
		return "1 row"
	}
	return fmt.Sprintf("%d rows", n)
}
