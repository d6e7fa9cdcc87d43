package selfwatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The Judgement keeps a few seconds' state where Judge once kept the
// whole slice and walked it back; judgeBySlice below is that former
// implementation, kept as the reference: over random runs of healthy,
// busy, late, draining and pool-short seconds, both give the same spans,
// and after every second the Judgement's open span is the one the
// reference finds open over the seconds so far.
func TestJudgementAgreesWithTheSliceJudge(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := []func(i int) Second{
		healthy, func(i int) Second { return busy(i, 50) }, func(i int) Second { return hog(i, 40, 90, 3) },
		func(i int) Second { return backlogged(i, 1900) }, func(i int) Second { return poolShort(i, 300) },
		func(i int) Second { return starved(i, 300+float64(i)*300, 600+float64(i)*300) },
		func(i int) Second { return dropping(i, float64(i)*300, float64(i)*400+300) },
	}
	for trial := range 2000 {
		secs := make([]Second, 1+rng.IntN(30))
		for i := range secs {
			secs[i] = kinds[rng.IntN(len(kinds))](i)
			secs[i].DurationS = 0.5 + rng.Float64()
		}
		l := Limits{Enter: 1 + rng.IntN(3), Leave: 1 + rng.IntN(3)}
		want, got := judgeBySlice(secs, l), Judge(secs, l)
		if !sameVerdict(want, got) {
			t.Fatalf("trial %d, %+v:\nslice %+v\nincremental %+v", trial, l, want, got)
		}
		j := NewJudgement(l)
		for k, s := range secs {
			j.Add(s)
			ref := judgeBySlice(secs[:k+1], l)
			span, open := j.Open()
			if open != ref.Open || (open && (span.From != ref.Spans[len(ref.Spans)-1].From || span.Why != ref.Spans[len(ref.Spans)-1].Why)) {
				t.Fatalf("trial %d after %d seconds: open %v %+v, the reference %+v", trial, k+1, open, span, ref)
			}
		}
	}
}

func sameVerdict(a, b Verdict) bool {
	if a.Bound != b.Bound || a.Open != b.Open || a.Seconds != b.Seconds || len(a.Spans) != len(b.Spans) {
		return false
	}
	for i := range a.Spans {
		x, y := a.Spans[i], b.Spans[i]
		// The reference rounded the end twice (the start of the last
		// second, then the end): a millisecond apart at most.
		if x.From != y.From || x.To != y.To || math.Abs(x.FromS-y.FromS) > 0.0015 || math.Abs(x.ToS-y.ToS) > 0.0015 ||
			x.Why != y.Why || x.Worst.Index != y.Worst.Index {
			return false
		}
	}
	return true
}

func judgeBySlice(secs []Second, l Limits) Verdict {
	l = l.WithDefaults()
	var v Verdict
	var cur *Span
	strained, healthy, floor := 0, 0, 0
	for i := range secs {
		why := Strained(slicePrev(secs, i), secs[i], l)
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
			v.Spans = append(v.Spans, sliceOpen(secs, i-l.Enter+1, floor, l))
			cur = &v.Spans[len(v.Spans)-1]
		case cur != nil && healthy == l.Leave:
			floor = i - l.Leave + 1
			sliceClose(cur, secs, floor)
			cur = nil
		}
		if cur != nil && why != "" {
			cur.note(secs[i])
		}
	}
	if cur != nil {
		sliceClose(cur, secs, len(secs))
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
func sliceOpen(secs []Second, strained, floor int, l Limits) Span {
	first := sliceLeadIn(secs, strained, floor, l)
	s := Span{From: first, Why: Strained(slicePrev(secs, strained), secs[strained], l)}
	for k := first; k < strained+l.Enter-1; k++ {
		s.note(secs[k])
	}
	return s
}

// leadIn moves a span's first second back over the seconds just before
// it that were already late past l.MaxLagMs: the lag a generator falling
// behind builds up before a second counts as strained (a first second
// still partly on time, its CPU not yet at the limit). It stops at floor.
func sliceLeadIn(secs []Second, first, floor int, l Limits) int {
	for first > floor && secs[first-1].Lag() > l.MaxLagMs {
		first--
	}
	return first
}

// draining says whether every arrival of s began late past the runaway
// share: within a span, the backlog of a generator that fell behind, not
// yet caught up.
func slicePrev(secs []Second, i int) *Second {
	if i == 0 {
		return nil
	}
	return &secs[i-1]
}

// close ends the span before secs[end] (end may be len(secs)).
func sliceClose(s *Span, secs []Second, end int) {
	s.To = end
	s.FromS = sliceStart(secs, s.From)
	s.ToS = round3(sliceStart(secs, end-1) + secs[end-1].DurationS)
	s.From, s.To = secs[s.From].Index, secs[end-1].Index+1
}

// startOf is when secs[i] began, in seconds since the start: the sum of
// the intervals before it, offset by the first one's index.
func sliceStart(secs []Second, i int) float64 {
	t := float64(secs[0].Index)
	for _, s := range secs[:i] {
		t += s.DurationS
	}
	return round3(t)
}
