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
		"not the server; %s", strings.Join(spans, ", "), GeneratorEvidence(worst, g.Cores), generatorAdvice(g.Spans))
}

// generatorAdvice is what to change: connections when only the pool's
// growth held arrivals back, else the load or the generator's cores.
func generatorAdvice(spans []results.GeneratorSpan) string {
	for _, s := range spans {
		if s.Why != "pool" {
			return "lower --rate, add cores or split the load with --local or --segment"
		}
	}
	return "open the connections the load needs from the start with --connections (rate × latency)"
}

// GeneratorEvidence is a span's worst second in words: "scheduling lag
// p99 1.8s at 99% CPU of 1 core"; "… wanting all of its 1 core (it got
// 45%; other processes held the rest)" when it was starved rather than
// busy, with ", falling further behind every second" when it counted
// for that (starved); "…, the pacer falling further behind every second"
// for a runaway; "…, arrivals waiting for connections its growing pool
// had not opened yet" for a pool too small for the load.
func GeneratorEvidence(s results.GeneratorSpan, cores int) string {
	out := "scheduling lag p99 " + msf(s.LagP99Ms)
	coreWord := fmt.Sprintf("%d %s", cores, plural(cores, "core", "cores"))
	switch {
	case s.CPUPct != nil && *s.CPUPct >= 90:
		out += fmt.Sprintf(" at %.0f%% CPU of %s", min(*s.CPUPct, 100), coreWord)
	case s.DemandPct != nil && *s.DemandPct >= 90:
		got := ""
		if s.CPUPct != nil {
			got = fmt.Sprintf(" (it got %.0f%%; other processes held the rest)", *s.CPUPct)
		}
		out += " wanting all of its " + coreWord + got
	case s.CPUPct != nil:
		out += fmt.Sprintf(" at %.0f%% CPU of %s", *s.CPUPct, coreWord)
	}
	switch s.Why {
	case "runaway":
		out += ", the pacer falling further behind every second"
	case "starved":
		out += ", falling further behind every second"
	case "pool":
		out += ", arrivals waiting for connections its growing pool had not opened yet"
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
