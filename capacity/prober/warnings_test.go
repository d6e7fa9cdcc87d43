package prober

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/surge-dev/surge/capacity"
)

// The warning that an SLO judges only the requests that did not fail is
// in every output of the search, not only on stderr before it: the JSON
// document's warnings, the summary's text and the report page, so that
// any of them on its own says that its verdicts ignore failures. With
// failure_rate beside it there is none, and the JSON has no warnings key.
func TestOutputsCarryTheSLOsWarnings(t *testing.T) {
	for _, c := range []struct {
		slo  string
		want bool
	}{
		{"ok_p99<300ms", true},
		{"ok_p99<300ms, error_rate<1%", true},
		{"ok_p99<300ms, failure_rate<1%", false},
		{"p99<300ms", false},
	} {
		slo, err := capacity.ParseSLO(c.slo)
		if err != nil {
			t.Fatal(err)
		}
		res := Result{Config: capacity.Config{SLO: slo, Start: 10}}
		b, err := NewDocument(res, Options{}).JSON()
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		var warnings []string
		_, has := raw["warnings"]
		if has {
			_ = json.Unmarshal(raw["warnings"], &warnings)
		}
		var page bytes.Buffer
		if err := writePage(&page, res); err != nil {
			t.Fatal(err)
		}
		const says = "judges only the requests that did not fail"
		got := []bool{has, len(warnings) == 1 && strings.Contains(warnings[0], says) && strings.Contains(warnings[0], "failure_rate"),
			hasLine(Text(res), "Warning:", "ok_p99<300ms "+says), strings.Contains(page.String(), `role="alert">Warning: ok_p99&lt;300ms `+says)}
		for i, what := range []string{"a warnings key in the JSON", "the warning in it", "the warning in the text", "the warning on the page"} {
			if got[i] != c.want {
				t.Errorf("--slo %q: %s: %v, want %v\n%s", c.slo, what, got[i], c.want, b)
			}
		}
	}
}

// hasLine reports whether a line of text starts with label and holds
// want (the summary's labels are padded to a column).
func hasLine(text, label, want string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, label) && strings.Contains(line, want) {
			return true
		}
	}
	return false
}
