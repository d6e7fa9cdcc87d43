package coord

import (
	"fmt"
	"slices"
	"strings"

	"github.com/surge-dev/surge/schedule"
)

// Ready is what a worker says once it has built its plan for its share.
type Ready struct {
	// Plan is engine.Test.PlanHash: the phases, scenarios, seed and
	// sequence, which must be the same on every share.
	Plan string
	// Sequence and Segment are the share as the worker built it.
	Sequence, Segment string
	// Endpoints are the names the worker records requests under, in its
	// order (a second's counts follow it).
	Endpoints []string
	// Expect is the statuses that are not failures, in one spelling: the
	// plan hash leaves them out, and failures summed under two
	// definitions would match neither.
	Expect string
}

// Barrier gathers the shares of one sequence before the start: each share
// is taken by one worker, and the start waits until every share's worker
// is ready with the same plan. Workers are named by the caller's ids.
type Barrier struct {
	seq      schedule.Sequence
	owner    []string // worker holding each share ("": free)
	reserved []bool   // kept for its owner, who has not taken it yet
	ready    []*Ready // by share
}

// NewBarrier waits for the shares of seq.
func NewBarrier(seq schedule.Sequence) *Barrier {
	n := seq.Shares()
	return &Barrier{seq: seq, owner: make([]string, n), reserved: make([]bool, n), ready: make([]*Ready, n)}
}

// Reserve keeps share k for worker: no assignment gives it to another,
// and Take gives it to worker (the coordinator's own share, which must
// not lose a race with the workers that ask for any share).
func (b *Barrier) Reserve(k int, worker string) error {
	if k < 0 || k >= len(b.owner) || b.owner[k] != "" {
		return fmt.Errorf("share %d cannot be reserved", k)
	}
	b.owner[k], b.reserved[k] = worker, true
	return nil
}

// Sequence is the sequence whose shares the barrier gathers.
func (b *Barrier) Sequence() schedule.Sequence { return b.seq }

// Take gives worker the share it asks for ("from:to"), or the lowest free
// one when it asks for none, and returns the share's index and name. A
// share is taken once.
func (b *Barrier) Take(worker, segment string) (int, string, error) {
	k, err := b.find(segment)
	if err != nil {
		return 0, "", err
	}
	if b.reserved[k] && b.owner[k] == worker {
		b.reserved[k] = false
		return k, b.seq.Share(k), nil
	}
	if b.owner[k] != "" {
		return 0, "", fmt.Errorf("share %s is already taken by %s: each share runs once", b.seq.Share(k), b.owner[k])
	}
	b.owner[k] = worker
	return k, b.seq.Share(k), nil
}

func (b *Barrier) find(segment string) (int, error) {
	if segment != "" {
		return b.seq.Find(segment)
	}
	if k := slices.Index(b.owner, ""); k >= 0 {
		return k, nil
	}
	return 0, fmt.Errorf("every share of %s is taken: more workers than shares", b.seq)
}

// Ready records that the worker holding share k is ready, refusing a plan
// or endpoints other than those of the shares ready before it.
func (b *Barrier) Ready(k int, r Ready) error {
	if k < 0 || k >= len(b.ready) || b.owner[k] == "" {
		return fmt.Errorf("share %d was not taken", k)
	}
	if r.Sequence != b.seq.String() || r.Segment != b.seq.Share(k) {
		return fmt.Errorf("%s built the share %s of %s, but was given %s of %s", b.owner[k], r.Segment, r.Sequence, b.seq.Share(k), b.seq)
	}
	for j, other := range b.ready {
		if other == nil {
			continue
		}
		if r.Plan != other.Plan {
			return fmt.Errorf("%s (share %s) has the plan hash %.12s…, but %s (share %s) has %.12s…: not shares of one test (the script, phases, scenarios, seed or flags differ)",
				b.owner[k], r.Segment, r.Plan, b.owner[j], other.Segment, other.Plan)
		}
		if r.Expect != other.Expect {
			return fmt.Errorf("%s (share %s) expects the statuses %s, but %s (share %s) expects %s: not shares of one test (their failures would be counted under different definitions)",
				b.owner[k], r.Segment, r.Expect, b.owner[j], other.Segment, other.Expect)
		}
		if !slices.Equal(r.Endpoints, other.Endpoints) {
			return fmt.Errorf("%s (share %s) records the endpoints %s, but %s (share %s) records %s: not the same script",
				b.owner[k], r.Segment, strings.Join(r.Endpoints, ", "), b.owner[j], other.Segment, strings.Join(other.Endpoints, ", "))
		}
		break
	}
	b.ready[k] = &r
	return nil
}

// Leave frees the share of a worker that went away before the start.
func (b *Barrier) Leave(k int) {
	if k >= 0 && k < len(b.owner) {
		b.owner[k], b.ready[k], b.reserved[k] = "", nil, false
	}
}

// Complete reports whether every share is ready.
func (b *Barrier) Complete() bool { return !slices.Contains(b.ready, nil) }

// Missing lists the shares not ready yet, with the worker holding each
// (if any), for the error that ends a barrier that waited too long.
func (b *Barrier) Missing() []string {
	var out []string
	for k, r := range b.ready {
		switch {
		case r != nil:
		case b.owner[k] == "":
			out = append(out, b.seq.Share(k)+" (no worker)")
		default:
			out = append(out, b.seq.Share(k)+" ("+b.owner[k]+" not ready)")
		}
	}
	return out
}

// Endpoints are the endpoint names every ready share records.
func (b *Barrier) Endpoints() []string {
	for _, r := range b.ready {
		if r != nil {
			return r.Endpoints
		}
	}
	return nil
}
