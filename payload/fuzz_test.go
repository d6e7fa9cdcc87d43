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
