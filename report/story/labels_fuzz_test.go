package story

import (
	"fmt"
	"regexp"
	"testing"
)

// labelName is a Prometheus label name, the only kind a series key holds.
var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// FuzzParseLabels checks that parseLabels reads back any pair of labels
// written as the monitor writes a series key ({k="v",…}, values quoted
// as Go strings), and never panics on other text.
func FuzzParseLabels(f *testing.F) {
	f.Add("function_name", "orders-api", "le", "0.25")
	f.Add("a", `quote " and comma , and = sign`, "b", "\x00\u00e9\U0001F600")
	f.Add("x", "", "y", `{}`)
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		parseLabels("{" + k1 + v1 + k2 + v2 + "}") // any text: no panic
		if !labelName.MatchString(k1) || !labelName.MatchString(k2) || k1 == k2 {
			return
		}
		key := fmt.Sprintf("{%s=%q,%s=%q}", k1, v1, k2, v2)
		got := parseLabels(key)
		if len(got) != 2 || got[k1] != v1 || got[k2] != v2 {
			// %q replaces invalid UTF-8 by escapes that unquote to the
			// bytes themselves, so even those come back.
			t.Fatalf("parseLabels(%s) = %q, want %s=%q and %s=%q", key, got, k1, v1, k2, v2)
		}
	})
}
