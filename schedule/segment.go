package schedule

import (
	"container/heap"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Segment is one share of a test cut by a Sequence: the global indices
// (of arrivals, or of a phase's users) that this share runs. Every share
// of a sequence derives its indices from the whole sequence, so that
// together the shares run each index exactly once: arrival i, wherever it
// runs, is due at the plan's Due(i), as in a single run.
//
// Indices are dealt in stripes that repeat every period P, the least
// common multiple of the denominators of the shares' lengths; a share of
// length a/P owns a of every P consecutive indices. Within a period the
// indices go out one at a time, in order: index i goes to the first share,
// biggest first (ties in sequence order), that is due another one, a
// share of a slots being due its (c+1)-th index from i·a ≥ c·P on. So each
// share's indices are spread evenly, a big share's never bunch, and equal
// shares get i mod N. This is the striping k6 describes for its execution
// segments, written anew from that description.
type Segment struct {
	seq     Sequence
	index   int
	period  int64
	offsets []int64 // the positions in [0, period) this share owns, ascending
}

// Whole is the test in one share, as a run without segments is.
func Whole() *Segment {
	return &Segment{seq: WholeSequence(), period: 1, offsets: []int64{0}}
}

// NewSegment returns share k (0-based) of seq.
func NewSegment(seq Sequence, k int) (*Segment, error) {
	if k < 0 || k >= seq.Shares() {
		return nil, fmt.Errorf("share %d does not exist: the sequence %s has shares 0 to %d", k, seq, seq.Shares()-1)
	}
	slots, period, err := seq.slots()
	if err != nil {
		return nil, err
	}
	return &Segment{seq: seq, index: k, period: period, offsets: stripes(slots, period)[k]}, nil
}

// ParseSegment reads the command line's --segment and --segments. Without
// a sequence, segment is "K/N": share K (0 to N-1) of N equal shares. With
// one, segment names one of its shares as "from:to". A lone "a:b" without
// the sequence is refused: a share's stripe depends on every share, so
// shares started without the same sequence would run some arrivals twice
// and others never.
func ParseSegment(segment, sequence string) (*Segment, error) {
	if sequence == "" {
		if strings.Contains(segment, ":") {
			return nil, fmt.Errorf("segment %q: a from:to segment needs the whole sequence (--segments), which every share must be given", segment)
		}
		return parseEqualShare(segment)
	}
	seq, err := ParseSequence(sequence)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(segment, ":") {
		return nil, fmt.Errorf("segment %q: with a sequence, name the share as from:to, one of %s", segment, strings.Join(seq.shareList(), ", "))
	}
	k, err := seq.Find(segment)
	if err != nil {
		return nil, err
	}
	return NewSegment(seq, k)
}

// parseEqualShare reads "K/N". Unlike k6, where a lone 2/8 means the
// segment 0:2/8, here it is only ever share 2 of 8.
func parseEqualShare(s string) (*Segment, error) {
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(strings.TrimSpace(ks))
	n, errN := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || errK != nil || errN != nil {
		return nil, fmt.Errorf("segment %q: want K/N, share K (0 to N-1) of N equal shares, e.g. 0/4", s)
	}
	if n < 1 || n > MaxShares || k < 0 || k >= n {
		return nil, fmt.Errorf("segment %q: want 0 <= K < N <= %d (shares are numbered from 0)", s, MaxShares)
	}
	seq, err := EqualSequence(n)
	if err != nil {
		return nil, err
	}
	return NewSegment(seq, k)
}

// Index is the share's position in its sequence, from 0.
func (s *Segment) Index() int { return s.index }

// Sequence is the sequence the share belongs to.
func (s *Segment) Sequence() Sequence { return s.seq }

// String writes the share as "from:to", e.g. "1/4:1/2"; the whole test is
// "0:1".
func (s *Segment) String() string { return s.seq.Share(s.index) }

// IsWhole reports whether the share is the whole test.
func (s *Segment) IsWhole() bool { return s.seq.Shares() == 1 }

// Global returns the global index of the share's n-th index (0-based), or
// math.MaxInt64 past any index an int64 holds.
func (s *Segment) Global(n int64) int64 {
	slots := int64(len(s.offsets))
	q, r := n/slots, n%slots
	if q > (math.MaxInt64-s.period)/s.period {
		return math.MaxInt64
	}
	return q*s.period + s.offsets[r]
}

// Count is how many of the global indices 0 to v-1 the share owns. Over
// the shares of a sequence the counts add up to v, and each only grows
// with v: it is how a number of users, or a cap like maxVusers, is split.
func (s *Segment) Count(v int64) int64 {
	if v <= 0 {
		return 0
	}
	q, r := v/s.period, v%s.period
	below, _ := slices.BinarySearch(s.offsets, r)
	return q*int64(len(s.offsets)) + int64(below)
}

// Owns reports whether global index i belongs to the share.
func (s *Segment) Owns(i int64) bool {
	if i < 0 {
		return false
	}
	_, found := slices.BinarySearch(s.offsets, i%s.period)
	return found
}

// Users is the share of a closed-model phase's users: the users whose
// index in the phase (in the single run's spawn order) the share owns.
func (s *Segment) Users(ph Phase) int64 { return s.Count(ph.Users) }

// MaxVUsers is the share's cap on VUs running at once in an open-model
// phase, split as Count splits it (so the shares' caps add up to the
// phase's), and whether there is one: a phase's cap of 0 means none, but
// a share's cap of 0 drops every arrival.
func (s *Segment) MaxVUsers(ph Phase) (limit int64, capped bool) {
	if ph.MaxVUsers <= 0 {
		return 0, false
	}
	return s.Count(ph.MaxVUsers), true
}

// stripes deals the indices 0 to period-1 to shares owning slots[k] of
// them each (the slots add up to period), as the Segment comment says,
// and returns each share's indices in ascending order. Shares wait in
// pending until due, then in ready, from which the first in dealing order
// takes the index: O(period · log shares).
func stripes(slots []int64, period int64) [][]int64 {
	rank := make([]int, len(slots)) // dealing order: biggest first, ties in sequence order
	order := make([]int, len(slots))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int { return int(slots[b] - slots[a]) })
	for r, k := range order {
		rank[k] = r
	}
	taken := make([]int64, len(slots))
	due := func(k int) int64 { return ceilDiv(taken[k]*period, slots[k]) }
	ready := &intHeap{less: func(a, b int) bool { return rank[a] < rank[b] }}
	pending := &intHeap{less: func(a, b int) bool { return due(a) < due(b) }}
	for k := range slots {
		heap.Push(pending, k)
	}
	out := make([][]int64, len(slots))
	for i := range period {
		for pending.Len() > 0 && due(pending.items[0]) <= i {
			heap.Push(ready, heap.Pop(pending))
		}
		k := heap.Pop(ready).(int) // never empty: the shares taken so far are i in all
		out[k] = append(out[k], i)
		if taken[k]++; taken[k] < slots[k] {
			heap.Push(pending, k)
		}
	}
	return out
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// intHeap is a heap of share numbers under a given order.
type intHeap struct {
	items []int
	less  func(a, b int) bool
}

func (h *intHeap) Len() int           { return len(h.items) }
func (h *intHeap) Less(i, j int) bool { return h.less(h.items[i], h.items[j]) }
func (h *intHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *intHeap) Push(x any)         { h.items = append(h.items, x.(int)) }
func (h *intHeap) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}
