package compare

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func regressionReport(t *testing.T) *Report {
	t.Helper()
	base, head := simPair(realistic(60), 1.1, 5)
	return mustCompare(t, base, head, fast)
}

func TestTextHasOneRowPerMetricAndTheVerdicts(t *testing.T) {
	rep := regressionReport(t)
	var b bytes.Buffer
	if err := WriteText(&b, rep); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"head vs base (95% CI)", "  p50 ", "  p99.9 ", "  failure_rate ",
		"regressed", "no change (±5%)", "method: circular block bootstrap", "verdict: " + summaryLine(rep)} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	p50 := rep.row(AllEndpoints, P50)
	line := "  p50  " // the all-endpoints table comes first
	if i := strings.Index(out, line); i < 0 || !strings.Contains(out[i:i+200], change(p50)) {
		t.Errorf("the p50 row does not carry its change %q", change(p50))
	}
}

func TestMarkdownLeadsWithTheVerdictAndFoldsUnchangedRows(t *testing.T) {
	rep := regressionReport(t)
	var b bytes.Buffer
	if err := WriteMarkdown(&b, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if lines[0] != MarkdownMarker || !strings.HasPrefix(lines[1], "### ❌ Regression") {
		t.Fatalf("starts with %q", lines[:2])
	}
	open := strings.Index(b.String(), "<details>")
	if open < 0 {
		t.Fatal("no <details> block")
	}
	shown, folded := b.String()[:open], b.String()[open:]
	if strings.Contains(shown, "no change (") || !strings.Contains(folded, "no change (") {
		t.Error("unchanged rows are not (all) folded")
	}
	if !strings.Contains(shown, "**regressed**") {
		t.Error("regressed rows are not shown above the fold")
	}
}

func TestMarkdownEscapesEndpointNames(t *testing.T) {
	base, head := simPair(realistic(MinIntervals), 1, 6)
	base.Endpoints[0].Name, head.Endpoints[0].Name = "GET /a|b<script>", "GET /a|b<script>"
	var b bytes.Buffer
	if err := WriteMarkdown(&b, mustCompare(t, base, head, fast)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script>") || !strings.Contains(b.String(), `GET /a\|b&lt;script&gt;`) {
		t.Errorf("endpoint name not escaped:\n%s", b.String())
	}
}

// A request's name may hold a line break (a script's name: "a\r\nb") or
// an entity's text: every row of the table stays one line of seven
// cells, and "&lt;" shows as written.
func TestMarkdownKeepsOddEndpointNamesInTheirRow(t *testing.T) {
	base, head := simPair(realistic(MinIntervals), 1, 6)
	name := "GET /a\r\nb &lt;c\nd"
	base.Endpoints[0].Name, head.Endpoints[0].Name = name, name
	var b bytes.Buffer
	if err := WriteMarkdown(&b, mustCompare(t, base, head, fast)); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(b.String(), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		if cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); cells != 8 {
			t.Errorf("a row of %d cells: %q", cells-1, line)
		}
		rows++
	}
	if rows < 3*len(Metrics()) || !strings.Contains(b.String(), "| GET /a b &amp;lt;c d |") {
		t.Errorf("%d table lines, endpoint not written as one cell:\n%s", rows, b.String())
	}
}

func TestJSONCarriesEveryNumber(t *testing.T) {
	rep := regressionReport(t)
	var b bytes.Buffer
	if err := WriteJSON(&b, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema      string
		Comparisons []struct {
			Tests    int
			Verdicts map[string]int
			Rows     []map[string]any
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != JSONSchema || len(doc.Comparisons) != 1 {
		t.Fatalf("schema %q, %d comparisons", doc.Schema, len(doc.Comparisons))
	}
	c := doc.Comparisons[0]
	if len(c.Rows) != len(rep.Rows) || c.Tests != rep.Tests || c.Verdicts["regressed"] != rep.Count(Regressed) {
		t.Fatalf("%d rows, %d tests, verdicts %v", len(c.Rows), c.Tests, c.Verdicts)
	}
	for i, row := range rep.Rows {
		got := c.Rows[i]
		if got["metric"] != row.Metric.String() || got["verdict"] != row.Verdict.String() {
			t.Errorf("row %d: %v", i, got)
		}
		if math.IsNaN(row.P) != (got["p"] == nil) || !math.IsNaN(row.P) && got["p"].(float64) != row.P {
			t.Errorf("row %d: p %v, report %v", i, got["p"], row.P)
		}
		if !math.IsNaN(row.Ratio) && got["ratio"].(float64) != row.Ratio {
			t.Errorf("row %d: ratio %v, report %v", i, got["ratio"], row.Ratio)
		}
	}
}

// With several heads the comment is one comment: one marker for the CI
// job to find, and a first line that tells the pipeline's outcome, even
// when the head that regressed is not the first (it used to start with the
// first head's "✅ No regression" and repeat the marker per head).
func TestMarkdownOfSeveralHeadsLeadsWithTheOverallVerdict(t *testing.T) {
	base, same := simPair(realistic(60), 1, 5)
	_, slow := simPair(realistic(60), 1.1, 5)
	same.Label, slow.Label = "same", "slow"
	reports := []*Report{mustCompare(t, base, same, fast), mustCompare(t, base, slow, fast)}
	if reports[0].Count(Regressed) > 0 || reports[1].Count(Regressed) == 0 {
		t.Fatalf("want the first head unchanged, the second regressed: %s; %s", summaryLine(reports[0]), summaryLine(reports[1]))
	}
	var b bytes.Buffer
	if err := WriteMarkdownReports(&b, reports); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(out, "\n")
	if lines[0] != MarkdownMarker || !strings.HasPrefix(lines[1], "### ❌ Regression in 1 of 2 heads") {
		t.Fatalf("starts with %q", lines[:2])
	}
	if n := strings.Count(out, MarkdownMarker); n != 1 {
		t.Errorf("%d markers, want 1", n)
	}
	for _, want := range []string{"#### same: ", "#### slow: ❌ Regression"} {
		if !strings.Contains(out, want) {
			t.Errorf("lacks %q", want)
		}
	}
	var one bytes.Buffer
	if err := WriteMarkdownReports(&one, reports[1:]); err != nil {
		t.Fatal(err)
	}
	var single bytes.Buffer
	if err := WriteMarkdown(&single, reports[1]); err != nil {
		t.Fatal(err)
	}
	if one.String() != single.String() {
		t.Error("one head: not the single report")
	}
}

func TestRowCountSaysRowOrRows(t *testing.T) {
	for n, want := range map[int]string{0: "0 rows", 1: "1 row", 2: "2 rows"} {
		if got := rowCount(n); got != want {
			t.Errorf("rowCount(%d) = %q, want %q", n, got, want)
		}
	}
}
