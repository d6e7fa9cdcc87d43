package payload

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks the CSV reader never panics and that every record it
// accepts has the width of the first one; and that quoting the cells of an
// accepted file and reading them back gives the same cells.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"a,b\nc,d\n", "\"a,\"\"b\"\"\",c\r\n", "x\r\ny\r", "\"open", "a\"b", "\"a\"b",
		"\ufeff1,2\n\n3,4", ",\n,", "\"\"\n", "a;b\n",
	} {
		f.Add(s, ",", false)
		f.Add(s, ";", true)
	}
	f.Fuzz(func(t *testing.T, data, delim string, skipHeader bool) {
		opts := Options{Delimiter: delim, SkipHeader: skipHeader, Cast: boolp(false)}
		tab, err := Parse([]byte(data), "fuzz.csv", opts)
		if err != nil {
			return
		}
		rows := tab.Rows()
		for _, row := range rows {
			if len(row) != len(rows[0]) {
				t.Fatalf("ragged rows accepted: %q", rows)
			}
		}
		if delim == "" {
			delim = ","
		}
		again, err := Parse([]byte(quoteAll(rows, delim)), "again.csv", Options{Delimiter: delim, Cast: boolp(false)})
		if err != nil {
			t.Fatalf("re-reading %q: %v", rows, err)
		}
		if !cmp.Equal(again.Rows(), rows) {
			t.Fatalf("round trip of %q gave %q", rows, again.Rows())
		}
	})
}

func quoteAll(rows [][]any, delim string) string {
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			if i > 0 {
				b.WriteString(delim)
			}
			b.WriteString(`"` + strings.ReplaceAll(cell.(string), `"`, `""`) + `"`)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FuzzIndexMatchesOnePass checks that rows parsed back from the index (a
// mark every few rows, re-parsed when picked) equal the rows of one
// straight pass over the file that keeps every field.
func FuzzIndexMatchesOnePass(f *testing.F) {
	for _, s := range []string{
		"a,b\nc,d\n", "h\n\n1\n\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "\"x\ny\",1\r\n2,3\r\n", "a\nb\r\nc\n",
		"\"\"\n\n\"\"\n", "1\r2\r3\r4\r5\r6\r7\r8\r9\r10\r11", "x;\"y;z\"\n;\n",
	} {
		f.Add(s, ",", false, true)
		f.Add(s, ";", true, false)
	}
	f.Fuzz(func(t *testing.T, data, delim string, skipHeader, skipEmpty bool) {
		opts := Options{Delimiter: delim, SkipHeader: skipHeader, SkipEmptyLines: boolp(skipEmpty), Cast: boolp(false)}
		tab, err := Parse([]byte(data), "fuzz.csv", opts)
		if err != nil {
			return
		}
		if delim == "" {
			delim = ","
		}
		var want [][]any
		header := skipHeader
		p := newParser([]byte(strings.TrimPrefix(data, "\ufeff")), []byte(delim), "ref", func(r record) bool {
			switch {
			case header:
				header = false
			case r.empty && skipEmpty:
			default:
				want = append(want, convertRow(r.fields, false))
			}
			return true
		})
		p.keep = true
		if err := p.run(); err != nil {
			t.Fatalf("the one-pass parse failed where the index did not: %v", err)
		}
		if got := tab.Rows(); len(want)+len(got) > 0 && !cmp.Equal(want, got) {
			t.Fatalf("indexed rows %q, one pass %q", got, want)
		}
	})
}
