package report

import (
	"fmt"

	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/results"
)

// Band is a stretch of the time charts shaded because the generator
// itself was the bottleneck then: the latencies in it describe Surge, not
// the server.
type Band struct {
	From  float64 `json:"from"` // seconds since the start
	To    float64 `json:"to"`
	Label string  `json:"label"`
}

// generatorBands are the spans of results.Generator for the charts.
func generatorBands(g *results.Generator) []Band {
	if g == nil {
		return nil
	}
	var out []Band
	for _, s := range g.Spans {
		out = append(out, Band{From: s.FromS, To: s.ToS,
			Label: "Surge itself was the bottleneck: " + console.GeneratorEvidence(s, g.Cores)})
	}
	return out
}

// generatorFact sums up the generator's watch on itself for the facts
// at the top ("" for a file without one).
func generatorFact(g *results.Generator) string {
	switch {
	case g == nil:
		return ""
	case g.Bound:
		return fmt.Sprintf("the bottleneck for %s of the run, on %d %s", fmtDuration(g.BoundS), g.Cores, cores(g.Cores))
	}
	return fmt.Sprintf("kept up, on %d %s", g.Cores, cores(g.Cores))
}

func cores(n int) string {
	if n == 1 {
		return "core"
	}
	return "cores"
}
