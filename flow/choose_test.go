package flow

import (
	"strings"
	"testing"
)

// TestScenarioName: one scenario runs, chosen by exact name or by a
// regular expression; none or several matching is an error before load.
func TestScenarioName(t *testing.T) {
	script := "scenarios:\n  - {name: browse, weight: 9, flow: [{get: {url: /b}}]}\n  - {name: checkout, weight: 0, flow: [{get: {url: /c}}]}\n"
	for _, tt := range []struct{ name, want string }{{"checkout", "checkout"}, {"^che", "checkout"}, {"browse", "browse"}} {
		p, err := Build(parse(t, script), Options{Target: "http://127.0.0.1:1", ScenarioName: tt.name})
		if err != nil || len(p.Test.Scenarios) != 1 || p.Test.Scenarios[0].Name != tt.want {
			t.Fatalf("--scenario-name %s: %v %+v", tt.name, err, p)
		}
	}
	for _, tt := range []struct{ name, want string }{{"pay", "no scenario has that name (names: browse, checkout)"}, {"o", "matches 2 scenarios"}} {
		if _, err := Build(parse(t, script), Options{Target: "http://127.0.0.1:1", ScenarioName: tt.name}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("--scenario-name %s: %v", tt.name, err)
		}
	}
}
