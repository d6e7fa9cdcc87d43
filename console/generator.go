package console

import (
	"fmt"
	"strings"

	"github.com/surge-dev/surge/results"
)

// GeneratorWarning says, in one paragraph, when Surge itself was the
// bottleneck of a run (results.Generator), so that its limit is not read
// as the server's; "" when it kept up or the file has no watch on it.
func GeneratorWarning(r *results.Results) string {
	g := r.Generator
	if g == nil || !g.Bound {
		return ""
	}
	var spans []string
	worst := g.Spans[0]
	for _, s := range g.Spans {
		spans = append(spans, "from "+fmtSeconds(s.FromS)+" to "+fmtSeconds(s.ToS))
		if s.LagP99Ms > worst.LagP99Ms {
			worst = s
		}
	}
	return fmt.Sprintf("WARNING: Surge itself was the bottleneck %s: %s — these latencies describe the generator, "+
		"not the server; lower --rate, add cores or split the load with --local or --segment",
		strings.Join(spans, ", "), GeneratorEvidence(worst, g.Cores))
}

// GeneratorEvidence is a span's worst second in words: "scheduling lag p99
// 1.8s at 99% CPU of 1 core", or why it counted when its CPU was not
// the limit ("the pacer fell further behind every second").
func GeneratorEvidence(s results.GeneratorSpan, cores int) string {
	lag := "scheduling lag p99 " + msf(s.LagP99Ms)
	cpu := ""
	if s.CPUPct != nil {
		cpu = fmt.Sprintf(" at %.0f%% CPU of %d %s", *s.CPUPct, cores, plural(cores, "core", "cores"))
	}
	if s.Why == "runaway" {
		return lag + cpu + ", the pacer falling further behind every second"
	}
	return lag + cpu
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
