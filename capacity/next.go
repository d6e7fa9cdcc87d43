package capacity

import (
	"math"
	"slices"
)

// Next says what to do after the probes so far.
func (s *Search) Next() Step {
	if len(s.records) == 0 {
		return s.probe(s.c.Start, Grow)
	}
	last := s.records[len(s.records)-1]
	l := s.level(last.Load)
	if last.Judgement.Verdict != Pass && last.Generator.Saturated(s.c.Generator) {
		step := s.done(GeneratorSaturated, 0, last.Load, []Constraint{Saturation})
		step.Answer.Generator = last.Generator
		return step
	}
	if last.Purpose == Confirm && len(l.confirms) > 0 && !l.demoted {
		return s.probe(l.load, Confirm) // an UNSURE confirmation, extended
	}
	if l.combined.Verdict == Unsure && !l.demoted && len(l.records) <= s.c.Extensions {
		return s.probe(l.load, Extend)
	}
	if len(s.records) >= s.c.MaxProbes {
		pass, fail := s.bracket()
		return s.done(Exhausted, loadOf(pass), loadOf(fail), s.binding(fail))
	}
	return s.decide()
}

// decide grows, bisects, confirms or ends, from the bracket.
func (s *Search) decide() Step {
	pass, fail := s.bracket()
	switch {
	case fail == nil && s.c.Max > 0 && pass.load >= s.c.Max:
		return s.done(AboveMax, pass.load, 0, nil)
	case fail == nil:
		return s.probe(s.grown(pass.load), Grow)
	case pass == nil:
		return s.done(BelowStart, 0, fail.load, s.binding(fail))
	case s.wide(pass.load, fail.load):
		return s.probe(s.between(pass.load, fail.load), Bisect)
	case pass.confirmed < s.c.Confirmations:
		return s.probe(pass.load, Confirm)
	}
	return s.done(Found, pass.load, fail.load, s.binding(fail))
}

// bracket is the lowest load that failed, and the highest that passed
// below it. A load broken with confidence ends the bracket: a pass above
// it is noise the search does not trust. A load still UNSURE after every
// extension (not shown to hold) ends it too, unless a higher load then
// passed with confidence: latency does not fall as load rises, so that
// pass shows the SLO held below it as well (a low load has few samples,
// and its interval can stay wide).
func (s *Search) bracket() (pass, fail *level) {
	var notShown *level
	for _, l := range s.sorted() {
		switch {
		case l.demoted || l.combined.Verdict == Fail:
			if notShown != nil {
				return pass, notShown
			}
			return pass, l
		case l.combined.Verdict == Unsure && len(l.records) > s.c.Extensions:
			if notShown == nil {
				notShown = l
			}
		case l.combined.Verdict == Pass:
			pass, notShown = l, nil
		}
	}
	return pass, notShown
}

// binding is what bound at the bracket's top: its reasons, or, when it
// was only not shown to hold, the reasons of the first load above it
// that broke with confidence (what the target ran into), after NotShown.
func (s *Search) binding(fail *level) []Constraint {
	reasons := reasonsOf(fail)
	if fail == nil || !slices.Equal(reasons, []Constraint{NotShown}) {
		return reasons
	}
	for _, l := range s.sorted() {
		if r := reasonsOf(l); l.load > fail.load && (l.demoted || l.combined.Verdict == Fail) && !slices.Equal(r, []Constraint{NotShown}) {
			return append(reasons, r...)
		}
	}
	return reasons
}

func reasonsOf(l *level) []Constraint {
	switch {
	case l == nil:
		return nil
	case l.demoted:
		return l.demotedBy
	case l.combined.Verdict == Unsure:
		return []Constraint{NotShown}
	}
	return l.combined.Reasons
}

func loadOf(l *level) float64 {
	if l == nil {
		return 0
	}
	return l.load
}

func (s *Search) grown(load float64) float64 {
	next := s.round(load * s.c.Growth)
	if s.c.Max > 0 {
		next = math.Min(next, s.c.Max)
	}
	return next
}

// wide reports whether the bracket is still wider than the precision (in
// users, a bracket of one user cannot be narrowed).
func (s *Search) wide(pass, fail float64) bool {
	if s.c.Mode == Users && fail-pass <= 1 {
		return false
	}
	return (fail-pass)/pass > s.c.Precision
}

func (s *Search) between(pass, fail float64) float64 {
	mid := s.round((pass + fail) / 2)
	if mid <= pass || mid >= fail {
		mid = (pass + fail) / 2
	}
	return mid
}

// round keeps loads readable: whole users, or rates to three significant
// digits (a finer rate than the precision asks for means nothing).
func (s *Search) round(v float64) float64 {
	if s.c.Mode == Users {
		return math.Max(1, math.Round(v))
	}
	if v <= 0 {
		return v
	}
	e := math.Pow(10, math.Floor(math.Log10(v))-2)
	return math.Round(v/e) * e
}

func (s *Search) probe(load float64, p Purpose) Step {
	return Step{Next: Next{Load: load, Purpose: p}}
}

func (s *Search) done(o Outcome, pass, fail float64, binding []Constraint) Step {
	a := Answer{Outcome: o, Max: pass, Fail: fail, Binding: binding, Probes: len(s.records),
		Recommended: pass * s.c.Headroom}
	if pass > 0 && fail > 0 {
		a.Precision = (fail - pass) / pass
	}
	if s.c.Mode == Users {
		a.Recommended = math.Floor(a.Recommended)
	}
	return Step{Done: true, Answer: a}
}
