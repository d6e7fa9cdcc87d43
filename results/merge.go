package results

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// Input is one document given to Merge, with the name errors give it
// (its file).
type Input struct {
	Source  string
	Results *Results
}

// Merge adds the shares of one segmented test into the document a single
// run of the whole plan would have written, exactly where the figures
// allow it: histograms are added bucket by bucket (one geometry, checked),
// so every latency figure is recomputed from exactly the histogram one
// process recording every request would hold; counts, codes, bytes, VU
// counts, failures by reason and counters are summed; endpoints are
// matched by name; intervals are matched by their index in the plan (the
// second since each share's start), not by wall clock. Gauges are summed
// per interval: active_vus and in_flight exactly (each share's value at
// the end of the same plan second), max_active_vus as an upper bound
// (the shares' maxima need not coincide). Target-side monitor series come
// from one share, the first in the sequence that has any.
//
// The documents must be the shares of one plan: each has a plan whose
// hash and sequence agree, their segments cover the sequence once, none
// was reset through the dashboard, and every histogram has Surge's
// geometry. Otherwise Merge says which file is wrong and why.
func Merge(inputs []Input) (*Results, error) {
	shares, err := orderShares(inputs)
	if err != nil {
		return nil, err
	}
	endpoints := endpointList(shares[0].Results.Endpoints) // every share's, maybe in another order (checkAgainst)
	out := &Results{Schema: Schema, Version: shares[0].Results.Version, Test: mergeTest(shares)}
	if out.Intervals, err = mergeIntervals(shares, endpoints); err != nil {
		return nil, err
	}
	if err := mergeAggregate(out, shares, endpoints); err != nil {
		return nil, err
	}
	out.Plan = mergedPlan(shares)
	out.Generator = JudgeGenerator(out.Intervals)
	return out, nil
}

// orderShares checks that the inputs are the shares of one plan, each
// once, and returns them in sequence order.
func orderShares(inputs []Input) ([]Input, error) {
	if len(inputs) == 0 {
		return nil, errors.New("merge: no results to merge")
	}
	first := inputs[0]
	if err := checkPlan(first); err != nil {
		return nil, err
	}
	seq, err := schedule.ParseSequence(first.Results.Plan.Sequence)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", first.Source, err)
	}
	owner := make([]int, seq.Shares()) // input holding each share, +1 (0: none yet)
	for i, in := range inputs {
		if err := checkAgainst(in, first); err != nil {
			return nil, err
		}
		covers, err := coveredShares(in, seq)
		if err != nil {
			return nil, err
		}
		for _, k := range covers {
			if owner[k] != 0 {
				return nil, fmt.Errorf("%s and %s both hold the share %s: a share may be merged once", inputs[owner[k]-1].Source, in.Source, seq.Share(k))
			}
			owner[k] = i + 1
		}
	}
	return sharesInOrder(inputs, owner, seq)
}

// checkPlan refuses a document without a plan or with a reset.
func checkPlan(in Input) error {
	r := in.Results
	if r.Plan == nil || r.Plan.SHA256 == "" {
		return fmt.Errorf("%s: no plan hash: the file was written by a Surge without segments, or not by surge run", in.Source)
	}
	if !r.Test.ResetAt.IsZero() {
		return fmt.Errorf("%s: its statistics were reset during the test (reset_at %s), so it no longer holds its whole share", in.Source, r.Test.ResetAt.Format(time.RFC3339))
	}
	return nil
}

// checkAgainst refuses a document of another plan than first's.
func checkAgainst(in, first Input) error {
	if err := checkPlan(in); err != nil {
		return err
	}
	p, want := in.Results.Plan, first.Results.Plan
	switch {
	case p.SHA256 != want.SHA256:
		return fmt.Errorf("%s: plan hash %.12s…, but %s has %.12s…: not shares of one test (the phases, scenarios, seed or segment sequence differ)", in.Source, p.SHA256, first.Source, want.SHA256)
	case p.Sequence != want.Sequence:
		return fmt.Errorf("%s: segment sequence %s, but %s has %s", in.Source, p.Sequence, first.Source, want.Sequence)
	}
	// Nor does it cover which statuses are failures (--expect-status,
	// config.http.expectStatus): the sum of failures counted under two
	// definitions would match neither.
	if got, want := in.Results.Test.Expected(), first.Results.Test.Expected(); got != want {
		return fmt.Errorf("%s: expected statuses %s, but %s has %s: not shares of one test (their failures are counted under different definitions)",
			in.Source, got, first.Source, want)
	}
	// The hash leaves out what the scenarios send; their endpoints, all
	// listed by every share of one script (as the coordinator checks),
	// tell two scripts of the same phases apart. They are matched by name,
	// so their order may differ.
	if got, want := endpointList(in.Results.Endpoints), endpointList(first.Results.Endpoints); !sameNames(got, want) {
		return fmt.Errorf("%s: endpoints %s, but %s has %s: not shares of one test (not the same requests)",
			in.Source, strings.Join(got, ", "), first.Source, strings.Join(want, ", "))
	}
	return nil
}

// sameNames says whether a and b hold the same names, in any order.
func sameNames(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// coveredShares is the shares of seq a document holds: its own, or all
// of them for a merged document (segment 0:1).
func coveredShares(in Input, seq schedule.Sequence) ([]int, error) {
	segment := in.Results.Plan.Segment
	if segment == schedule.WholeSequence().Share(0) {
		all := make([]int, seq.Shares())
		for k := range all {
			all[k] = k
		}
		return all, nil
	}
	k, err := seq.Find(segment)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.Source, err)
	}
	return []int{k}, nil
}

// sharesInOrder lists the inputs by the first share each holds, or says
// which shares no input holds.
func sharesInOrder(inputs []Input, owner []int, seq schedule.Sequence) ([]Input, error) {
	var missing []string
	var order []Input
	taken := make([]bool, len(inputs))
	for k, o := range owner {
		switch {
		case o == 0:
			missing = append(missing, seq.Share(k))
		case !taken[o-1]: // a merged document holds every share
			taken[o-1] = true
			order = append(order, inputs[o-1])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: shares missing from the sequence %s: %s (%d of %d given)", seq, strings.Join(missing, ", "), seq.Shares()-len(missing), seq.Shares())
	}
	return order, nil
}

// mergeTest describes the merged run: the first share's names, the
// earliest start, the longest duration (the shares ran one plan side by
// side), interrupted if any share was, cut short if any share's stream
// was (the merge then holds only what that stream holds), and what
// stopped it early (a rule, the test's own code) as the first share that
// says so names it: a rule or a task that ends a share ends only that
// share, and the merge must not lose it.
func mergeTest(shares []Input) Test {
	t := shares[0].Results.Test
	for _, in := range shares[1:] {
		s := in.Results.Test
		if s.Started.Before(t.Started) {
			t.Started = s.Started
		}
		t.DurationS = max(t.DurationS, s.DurationS)
		t.Interrupted = t.Interrupted || s.Interrupted
		t.CutShort = t.CutShort || s.CutShort
		t.AbortedBy = cmp.Or(t.AbortedBy, s.AbortedBy)
		t.StoppedBy = cmp.Or(t.StoppedBy, s.StoppedBy)
	}
	t.Ended = t.Started.Add(time.Duration(t.DurationS * float64(time.Second)))
	return t
}

// mergedPlan is the shares' plan, now whole, with the list of shares.
func mergedPlan(shares []Input) *Plan {
	p := *shares[0].Results.Plan
	p.Segment = schedule.WholeSequence().Share(0)
	p.Shares = nil
	for _, in := range shares {
		r := in.Results
		if r.Plan.Shares != nil { // a merged document keeps its own list
			p.Shares = append(p.Shares, r.Plan.Shares...)
			continue
		}
		p.Shares = append(p.Shares, Share{Segment: r.Plan.Segment, Source: in.Source, Started: r.Test.Started,
			DurationS: r.Test.DurationS, Requests: r.Aggregate.Requests, Interrupted: r.Test.Interrupted,
			CutShort: r.Test.CutShort})
	}
	return &p
}

// StartSpread is how far apart the shares of a merged document started,
// by their own clocks (the latest start minus the earliest), and the
// share that started last; zero with fewer than two shares.
func (p *Plan) StartSpread() (time.Duration, Share) {
	if len(p.Shares) < 2 {
		return 0, Share{}
	}
	first, last := p.Shares[0], p.Shares[0]
	for _, s := range p.Shares[1:] {
		if s.Started.Before(first.Started) {
			first = s
		}
		if s.Started.After(last.Started) {
			last = s
		}
	}
	return last.Started.Sub(first.Started), last
}
