package engine

import (
	"math/bits"
	"math/rand/v2"
)

// runID identifies one scenario run in the whole plan, the same in a
// single run and in whichever share of a segmented test runs it, so that
// both draw the same things for it.
type runID struct {
	// phase is the closed-model phase of a user's run, or open for an
	// arrival.
	phase int
	// user is an arrival's global index, or a user's index in its phase
	// in the single run's spawn order.
	user int64
	// iter counts a user's runs from 0 (0 for an arrival); users is its
	// phase's users in the whole test.
	iter, users int64
}

// open marks the runID of an open-model arrival.
const open = -1

func arrivalRun(global int64) runID { return runID{phase: open, user: global} }

// ordinal is the run's number in the test, VU.Iteration: an arrival's
// global index; for iteration k of user j of a phase of U users, k·U + j,
// as if the users took turns.
func (id runID) ordinal() int64 {
	if id.phase == open {
		return id.user
	}
	return id.iter*id.users + id.user
}

// key hashes the run's identity under the test's seed. Each step is
// SplitMix64's finaliser, a bijection that spreads neighbouring inputs
// over all 64 bits, so consecutive runs draw unrelated values.
func (id runID) key(seed uint64) uint64 {
	h := mix(seed)
	h = mix(h ^ uint64(int64(id.phase)+1))
	h = mix(h ^ uint64(id.user))
	return mix(h ^ uint64(id.iter))
}

func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Streams drawn from one run's key: the scenario choice, and VU.Rand for
// the scenario's own draws, so that neither shifts the other.
const (
	pickStream = 0x7069636b // "pick"
	vuStream   = 0x76752e72 // "vu.r"
)

// startRun makes vu the run id and chooses its scenario.
func (r *runner) startRun(vu *VU, id runID) *Scenario {
	vu.Iteration = id.ordinal()
	vu.key, vu.seeded = id.key(r.test.Seed), false
	return r.pick(vu.key)
}

// pick chooses a scenario by weight, from the run's key alone: the top
// bits of key·total fall in [0, total) with a bias below total/2^64.
func (r *runner) pick(key uint64) *Scenario {
	if len(r.weights) == 1 {
		return &r.test.Scenarios[0]
	}
	n, _ := bits.Mul64(mix(key^pickStream), uint64(r.weights[len(r.weights)-1]))
	for i, w := range r.weights {
		if n < uint64(w) {
			return &r.test.Scenarios[i]
		}
	}
	return &r.test.Scenarios[len(r.weights)-1]
}

// Rand is the VU's random source for the current run, seeded from the
// test's Seed and the run's global identity (VU.Iteration and, in the
// closed model, the user): a share of a segmented test draws from it
// exactly what a single run draws for the same run. Scripts take their
// payload rows and list variables from it.
func (vu *VU) Rand() *rand.Rand {
	if vu.rng == nil {
		vu.pcg = rand.NewPCG(0, 0)
		vu.rng = rand.New(vu.pcg)
	}
	if !vu.seeded {
		vu.pcg.Seed(vu.key, vuStream)
		vu.seeded = true
	}
	return vu.rng
}
