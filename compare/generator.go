package compare

import (
	"fmt"
	"strings"

	"github.com/surge-dev/surge/results"
)

// boundSpans says when a run's generator was its own bottleneck, as
// "from 3s to 10s (busy)", spans joined by commas; "" when it kept up or
// the file has no watch on it. The file's own verdict counts when it has
// one; a stream cut short has none, so its intervals are judged.
func boundSpans(r *results.Results) string {
	g := r.Generator
	if g == nil {
		g = results.JudgeGenerator(r.Intervals)
	}
	if g == nil || !g.Bound {
		return ""
	}
	parts := make([]string, len(g.Spans))
	for i, s := range g.Spans {
		parts[i] = fmt.Sprintf("from %gs to %gs (%s)", s.FromS, s.ToS, s.Why)
	}
	return strings.Join(parts, ", ")
}

// noteBound warns, for each side whose generator was its own bottleneck,
// that its latencies there are Surge's: a verdict on them may judge the
// generator rather than the server.
func (c *comparison) noteBound() {
	for _, r := range []*Run{c.base, c.head} {
		if r.Bound != "" {
			c.note("%s: Surge itself was the bottleneck %s: its latencies there describe the generator, "+
				"not the server, and a change in them may be the generator's", r.Label, r.Bound)
		}
	}
}
