package session

import (
	"fmt"

	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/selfwatch"
)

// generatorWatch judges the generator's watch on itself as the test
// goes, to say the moment Surge becomes (or stops being) the bottleneck,
// not only in the summary at the end.
type generatorWatch struct {
	secs  []selfwatch.Second
	bound bool
}

// snapshot takes one interval and returns what to say, if anything.
func (w *generatorWatch) snapshot(s *metrics.Snapshot) []string {
	if s.Interval.Generator.Cores == 0 {
		return nil // a snapshot without a watch (a replayed one)
	}
	w.secs = append(w.secs, engine.GeneratorSecond(s.Interval))
	v := selfwatch.Judge(w.secs, selfwatch.Limits{})
	switch {
	case v.Open && !w.bound:
		w.bound = true
		last := v.Spans[len(v.Spans)-1]
		return []string{fmt.Sprintf("surge: the generator itself is the bottleneck since %s (%s): "+
			"latencies from then on describe Surge, not the server",
			clock(last.FromS), console.GeneratorEvidence(results.SpanOf(last), last.Worst.Cores))}
	case !v.Open && w.bound:
		w.bound = false
		return []string{fmt.Sprintf("surge: the generator kept up again from %s", clock(v.Spans[len(v.Spans)-1].ToS))}
	}
	return nil
}

// clock is seconds since the start as the progress line writes them.
func clock(s float64) string {
	t := int(s + 0.5)
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
