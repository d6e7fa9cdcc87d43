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
	judge *selfwatch.Judgement // nil until the first watched second
	bound bool
}

// snapshot takes one interval and returns what to say, if anything.
func (w *generatorWatch) snapshot(s *metrics.Snapshot) []string {
	if s.Interval.Generator.Cores == 0 {
		return nil // a snapshot without a watch (a replayed one)
	}
	if w.judge == nil {
		w.judge = selfwatch.NewJudgement(selfwatch.Limits{})
	}
	ended, closed := w.judge.Add(engine.GeneratorSecond(s.Interval))
	open, isOpen := w.judge.Open()
	switch {
	case isOpen && !w.bound:
		w.bound = true
		return []string{fmt.Sprintf("surge: the generator itself is the bottleneck since %s (%s): "+
			"latencies from then on describe Surge, not the server",
			clock(open.FromS), console.GeneratorEvidence(results.SpanOf(open), open.Worst.Cores))}
	case !isOpen && w.bound && closed:
		w.bound = false
		return []string{fmt.Sprintf("surge: the generator kept up again from %s", clock(ended.ToS))}
	}
	return nil
}

// clock is seconds since the start as the progress line writes them.
func clock(s float64) string {
	t := int(s + 0.5)
	return fmt.Sprintf("%d:%02d", t/60, t%60)
}
