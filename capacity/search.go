package capacity

import (
	"cmp"
	"slices"
)

// Purpose is why a probe is run.
type Purpose int8

// The search's probes.
const (
	Grow    Purpose = iota // exponential growth until a load fails
	Bisect                 // halving the bracket between a pass and a fail
	Extend                 // more seconds at an UNSURE load
	Confirm                // a run at the answer that must pass on its own
)

var purposeNames = [...]string{Grow: "grow", Bisect: "bisect", Extend: "extend", Confirm: "confirm"}

func (p Purpose) String() string { return purposeNames[p] }

// Probe is what was measured at one load: its steady seconds (warm-up
// and cool-down already cut), the arrivals due in each (open model), and
// what the generator measured of itself.
type Probe struct {
	Load      float64
	Purpose   Purpose
	Seconds   []Second
	Offered   []float64
	Generator Generator
}

// Record is a probe with its own verdict.
type Record struct {
	Probe
	Judgement Judgement
}

// Outcome is how a search ended.
type Outcome int8

// The ways a search ends.
const (
	Searching          Outcome = iota
	Found                      // the bracket is within the precision and confirmed
	AboveMax                   // even the maximum load passed
	BelowStart                 // even the start load failed
	GeneratorSaturated         // the generator could not hold a load it had to judge
	Exhausted                  // the probe budget ran out first
)

var outcomeNames = [...]string{Searching: "searching", Found: "found", AboveMax: "above max",
	BelowStart: "below start", GeneratorSaturated: "generator saturated", Exhausted: "probe budget exhausted"}

func (o Outcome) String() string { return outcomeNames[o] }

// Answer is the result of a search.
type Answer struct {
	Outcome Outcome
	// Max is the highest load that passed (0: none did); Fail the lowest
	// that failed above it (0: none did). The load the SLO breaks at lies
	// between them.
	Max, Fail float64
	// Precision is the bracket's width relative to Max.
	Precision float64
	// Recommended is Max × Headroom, the operating point to plan for.
	Recommended float64
	// Binding is what broke at Fail (or at the start load).
	Binding []Constraint
	Probes  int
	// Generator is what the generator read of itself in the probe that
	// ended a GeneratorSaturated search.
	Generator Generator
}

// Next is the probe the search asks for.
type Next struct {
	Load    float64
	Purpose Purpose
}

// Step is the search's answer to the probes so far: the next probe, or
// the end.
type Step struct {
	Done   bool
	Next   Next
	Answer Answer
}

// level is everything measured at one load.
type level struct {
	load     float64
	records  []int // into Search.records
	combined Judgement
	// demoted: a confirmation at this load did not pass on its own.
	demoted   bool
	demotedBy []Constraint
	confirmed int
	confirms  []int // the confirmation probes still being extended
}

// Search is the breaking-point search as a step function: Add a measured
// probe, ask Next for the next one or the answer. It holds only what it
// was given: no clock, no goroutines.
type Search struct {
	c       Config
	records []Record
	levels  []*level
}

// New starts a search.
func New(c Config) (*Search, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Search{c: c.withDefaults()}, nil
}

// Config is the search's configuration with its defaults filled in.
func (s *Search) Config() Config { return s.c }

// Records are the probes so far, each with its own verdict.
func (s *Search) Records() []Record { return s.records }

// Levels are the loads probed, ascending, each judged on every second
// measured at it.
func (s *Search) Levels() []Judgement {
	out := make([]Judgement, 0, len(s.levels))
	for _, l := range s.sorted() {
		out = append(out, l.combined)
	}
	return out
}

// Add judges a probe on its own and its load on all its seconds.
func (s *Search) Add(p Probe) Judgement {
	own := Judge(s.c, p.Load, p.Seconds, p.Offered, p.Generator)
	s.records = append(s.records, Record{Probe: p, Judgement: own})
	l := s.level(p.Load)
	l.records = append(l.records, len(s.records)-1)
	var secs []Second
	var offered []float64
	for _, i := range l.records {
		secs, offered = append(secs, s.records[i].Seconds...), append(offered, s.records[i].Offered...)
	}
	l.combined = Judge(s.c, p.Load, secs, offered, p.Generator)
	if p.Purpose == Confirm {
		s.confirm(l, len(s.records)-1)
	}
	return own
}

// confirm judges a load's confirmation probes together, apart from the
// probes that chose it: they must pass on their own evidence. An UNSURE
// confirmation is extended like any probe; one that fails, or stays
// UNSURE, demotes the load.
func (s *Search) confirm(l *level, record int) {
	l.confirms = append(l.confirms, record)
	var secs []Second
	var offered []float64
	for _, i := range l.confirms {
		secs, offered = append(secs, s.records[i].Seconds...), append(offered, s.records[i].Offered...)
	}
	j := Judge(s.c, l.load, secs, offered, s.records[record].Generator)
	switch {
	case j.Verdict == Pass:
		l.confirmed++
		l.confirms = nil
	case j.Verdict == Fail:
		l.demoted, l.demotedBy = true, j.Reasons
	case len(l.confirms) > s.c.Extensions:
		l.demoted, l.demotedBy = true, []Constraint{NotShown}
	}
}

func (s *Search) level(load float64) *level {
	for _, l := range s.levels {
		if l.load == load {
			return l
		}
	}
	l := &level{load: load}
	s.levels = append(s.levels, l)
	return l
}

func (s *Search) sorted() []*level {
	ls := slices.Clone(s.levels)
	slices.SortFunc(ls, func(a, b *level) int { return cmp.Compare(a.load, b.load) })
	return ls
}
