package selfwatch

import "math"

// Span is a stretch of seconds during which the generator was bound.
type Span struct {
	From, To int // interval indices: From included, To excluded
	// FromS and ToS are the same in seconds since the start.
	FromS, ToS float64
	// Worst is the span's strained second with the highest lag.
	Worst Second
	Why   string // Busy, Runaway, Starved or Pool: why its first second was strained
}

// Verdict is the judgement over a run's seconds.
type Verdict struct {
	Bound bool // some span was generator-bound
	Spans []Span
	// Seconds is how many intervals fall within spans.
	Seconds int
	// Open: the last span had not ended at the last second (a live
	// run is bound now).
	Open bool
}

// Judge decides, second by second and with hysteresis, when the
// generator was its own bottleneck. A span starts at the first of
// l.Enter strained seconds in a row, or at the late seconds (a lag past
// l.MaxLagMs) just before them, but not before the span before ended;
// it ends before the first of l.Leave healthy ones in a row. Within a
// span a second whose arrivals all began late past the runaway share
// (its backlog, drained late) counts as strained.
func Judge(secs []Second, l Limits) Verdict {
	j := NewJudgement(l)
	var v Verdict
	for _, s := range secs {
		if span, ok := j.Add(s); ok {
			v.Spans = append(v.Spans, span)
		}
	}
	if span, ok := j.finish(); ok {
		v.Spans = append(v.Spans, span)
		v.Open = true
	}
	for _, s := range v.Spans {
		v.Seconds += s.To - s.From
	}
	v.Bound = len(v.Spans) > 0
	return v
}

// draining says whether every arrival of s began late past the runaway
// share: within a span, the backlog of a generator that fell behind, not
// yet caught up.
func draining(s Second, l Limits) bool {
	return s.Arrivals > 0 && s.LagMinMs > l.RunawayShare*s.DurationS*1000
}

// note keeps the second with the highest lag as the span's worst.
func (s *Span) note(sec Second) {
	if s.Worst.DurationS == 0 || sec.Lag() > s.Worst.Lag() {
		s.Worst = sec
	}
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
