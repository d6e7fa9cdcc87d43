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
// l.Enter strained seconds in a row and ends before the first of l.Leave
// healthy ones in a row.
func Judge(secs []Second, l Limits) Verdict {
	l = l.WithDefaults()
	var v Verdict
	var cur *Span
	strained, healthy, floor := 0, 0, 0
	for i := range secs {
		why := Strained(prevOf(secs, i), secs[i], l)
		if why == "" && cur != nil && draining(secs[i], l) {
			why = Backlog
		}
		if why == "" {
			strained, healthy = 0, healthy+1
		} else {
			strained, healthy = strained+1, 0
		}
		switch {
		case cur == nil && strained == l.Enter:
			v.Spans = append(v.Spans, openSpan(secs, i-l.Enter+1, floor, l))
			cur = &v.Spans[len(v.Spans)-1]
		case cur != nil && healthy == l.Leave:
			floor = i - l.Leave + 1
			cur.close(secs, floor)
			cur = nil
		}
		if cur != nil && why != "" {
			cur.note(secs[i])
		}
	}
	if cur != nil {
		cur.close(secs, len(secs))
		v.Open = true
	}
	for _, s := range v.Spans {
		v.Seconds += s.To - s.From
	}
	v.Bound = len(v.Spans) > 0
	return v
}

// openSpan starts a span whose first strained second is secs[strained],
// noting the seconds before the current one; it reaches back over the
// late seconds before it, down to floor (where the span before ended).
func openSpan(secs []Second, strained, floor int, l Limits) Span {
	first := leadIn(secs, strained, floor, l)
	s := Span{From: first, Why: Strained(prevOf(secs, strained), secs[strained], l)}
	for k := first; k < strained+l.Enter-1; k++ {
		s.note(secs[k])
	}
	return s
}

// leadIn moves a span's first second back over the seconds just before
// it that were already late past l.MaxLagMs: the lag a generator falling
// behind builds up before a second counts as strained (a first second
// still partly on time, its CPU not yet at the limit). It stops at floor.
func leadIn(secs []Second, first, floor int, l Limits) int {
	for first > floor && secs[first-1].Lag() > l.MaxLagMs {
		first--
	}
	return first
}

// draining says whether every arrival of s began late past the runaway
// share: within a span, the backlog of a generator that fell behind, not
// yet caught up.
func draining(s Second, l Limits) bool {
	return s.Arrivals > 0 && s.LagMinMs > l.RunawayShare*s.DurationS*1000
}

func prevOf(secs []Second, i int) *Second {
	if i == 0 {
		return nil
	}
	return &secs[i-1]
}

// note keeps the second with the highest lag as the span's worst.
func (s *Span) note(sec Second) {
	if s.Worst.DurationS == 0 || sec.Lag() > s.Worst.Lag() {
		s.Worst = sec
	}
}

// close ends the span before secs[end] (end may be len(secs)).
func (s *Span) close(secs []Second, end int) {
	s.To = end
	s.FromS = startOf(secs, s.From)
	s.ToS = round3(startOf(secs, end-1) + secs[end-1].DurationS)
	s.From, s.To = secs[s.From].Index, secs[end-1].Index+1
}

// startOf is when secs[i] began, in seconds since the start: the sum of
// the intervals before it, offset by the first one's index.
func startOf(secs []Second, i int) float64 {
	t := float64(secs[0].Index)
	for _, s := range secs[:i] {
		t += s.DurationS
	}
	return round3(t)
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }
