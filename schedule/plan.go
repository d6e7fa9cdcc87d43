package schedule

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"
)

// Plan is a sequence of phases run back to back.
type Plan struct {
	phases []Phase
	starts []time.Duration // phase start offsets
	first  []int64         // index of each phase's first arrival
	ramps  [][]int64       // per-phase prefix sums of ramp period counts
	total  int64
	length time.Duration
}

// New builds a plan, validating every phase.
func New(phases []Phase) (*Plan, error) {
	p := &Plan{phases: phases}
	var at time.Duration
	for i, ph := range phases {
		if err := ph.Validate(); err != nil {
			return nil, fmt.Errorf("phase %d: %w", i+1, err)
		}
		if at > math.MaxInt64-ph.Duration {
			return nil, errors.New("the phases last longer than 292 years in all")
		}
		n := ph.arrivals()
		if p.total > math.MaxInt64-n {
			return nil, errors.New("the phases start more than 2^63 virtual users in all")
		}
		p.starts = append(p.starts, at)
		p.first = append(p.first, p.total)
		p.ramps = append(p.ramps, rampPrefix(ph))
		p.total += n
		at += ph.Duration
	}
	p.first = append(p.first, p.total)
	p.length = at
	return p, nil
}

func rampPrefix(ph Phase) []int64 {
	if ph.Kind != Ramp {
		return nil
	}
	n := ph.rampPeriods()
	prefix := make([]int64, n+1)
	for s := range n {
		prefix[s+1] = prefix[s] + ph.rampPeriodCount(s)
	}
	return prefix
}

// Phases returns the plan's phases.
func (p *Plan) Phases() []Phase { return p.phases }

// PhaseStart is the offset at which phase i begins.
func (p *Plan) PhaseStart(i int) time.Duration { return p.starts[i] }

// Arrivals is the total number of open-model arrivals in the plan.
func (p *Plan) Arrivals() int64 { return p.total }

// ArrivalsThrough is how many arrivals the phases 0 to i start in all:
// the global index at which the phase after i begins.
func (p *Plan) ArrivalsThrough(i int) int64 { return p.first[i+1] }

// Length is the sum of the phase durations.
func (p *Plan) Length() time.Duration { return p.length }

// Due returns the intended offset of arrival i (0-based) from the start of
// the plan, and the phase it belongs to. ok is false past the last arrival.
func (p *Plan) Due(i int64) (at time.Duration, phase int, ok bool) {
	if i < 0 || i >= p.total {
		return 0, 0, false
	}
	// The search lands on the last phase whose first index is <= i, so
	// phases without arrivals are skipped by construction.
	phase = searchPrefix(p.first, i)
	ph := p.phases[phase]
	return p.starts[phase] + ph.offset(i-p.first[phase], p.ramps[phase]), phase, true
}

// DueIn returns the n-th arrival (0-based) of the share s: its global
// index in the plan, its intended offset and its phase, all as a single run
// has them. ok is false past the share's last arrival.
func (p *Plan) DueIn(s *Segment, n int64) (i int64, at time.Duration, phase int, ok bool) {
	if n < 0 {
		return 0, 0, 0, false
	}
	i = s.Global(n)
	at, phase, ok = p.Due(i)
	return i, at, phase, ok
}

// ArrivalsBefore is how many arrivals the plan starts before offset t.
func (p *Plan) ArrivalsBefore(t time.Duration) int64 {
	return int64(sort.Search(int(p.total), func(i int) bool {
		at, _, _ := p.Due(int64(i))
		return at >= t
	}))
}

// Rate is the intended arrival rate per second at offset t, for charts.
func (p *Plan) Rate(t time.Duration) float64 {
	for i, ph := range p.phases {
		if t < p.starts[i] || t >= p.starts[i]+ph.Duration {
			continue
		}
		switch ph.Kind {
		case Constant:
			return ph.ArrivalRate
		case Count:
			return float64(ph.ArrivalCount) / ph.Duration.Seconds()
		case Ramp:
			s := int64((t - p.starts[i]) / time.Second)
			return float64(ph.rampPeriodCount(min(s, ph.rampPeriods()-1)))
		}
		return 0
	}
	return 0
}

// PhaseAt is the index of the phase running at offset t: the last phase
// begun by then, so a phase of zero length gives way to the one after it.
// Before the start it is the first phase; after the end, the last.
func (p *Plan) PhaseAt(t time.Duration) int {
	i, _ := slices.BinarySearchFunc(p.starts, t, func(start, t time.Duration) int {
		if start <= t {
			return -1
		}
		return 1
	})
	return max(i-1, 0)
}
