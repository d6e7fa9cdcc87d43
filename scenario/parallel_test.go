package scenario

import (
	"strings"
	"testing"
)

// TestParallelAndWhileTrueParse: parallel takes steps and a limit;
// whileTrue is kept as an expression.
func TestParallelAndWhileTrueParse(t *testing.T) {
	s, err := Parse("p.yml", []byte(`scenarios:
  - flow:
      - parallel:
          - get: {url: /a}
          - loop: [{get: {url: /b}}]
            whileTrue: "n < 3"
        limit: 2
`))
	if err != nil {
		t.Fatal(err)
	}
	p := s.Scenarios[0].Flow[0].Parallel
	if p == nil || p.Limit != 2 || len(p.Steps) != 2 || p.Steps[1].Loop.WhileTrue != "n < 3" || !p.Steps[1].Loop.HasWhileTrue {
		t.Fatalf("%+v", s.Scenarios[0].Flow[0])
	}
	if _, err := Parse("p.yml", []byte("scenarios:\n  - flow:\n      - parallel: [{get: {url: /a}}]\n        limit: 0\n")); err == nil ||
		!strings.Contains(err.Error(), "p.yml:4:16: scenarios[0].flow[0].limit: expected at least 1") {
		t.Fatalf("limit 0: %v", err)
	}
}
