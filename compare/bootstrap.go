package compare

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat"
)

// runStats is one run's statistics (series layout) with their bootstrap
// standard deviations.
type runStats struct {
	point []float64
	sd    []float64
	block int
	// df is the degrees of freedom of the variances: the number of
	// blocks in the run, less one.
	df float64
}

// bootstrap estimates the sampling spread of every statistic of s by the
// circular block bootstrap: each resample strings together blocks of
// `block` consecutive seconds starting at random seconds, wrapping from
// the end of the run to its start so that every second is equally likely
// to be drawn, until the resample is as long as the run.
func (s *series) bootstrap(resamples int, rng *rand.Rand) *runStats {
	n, k := s.len(), s.numStats()
	rs := &runStats{point: make([]float64, k), sd: make([]float64, k), block: s.blockLength()}
	rs.df = max(float64(n)/float64(rs.block)-1, 1)
	sc := s.newScratch()
	s.evaluate(s.everything(), sc, rs.point)
	reps := make([][]float64, k)
	for i := range reps {
		reps[i] = make([]float64, 0, resamples)
	}
	picked := make([]int, 0, n)
	out := make([]float64, k)
	for range resamples {
		picked = circularBlocks(picked[:0], n, rs.block, rng)
		s.evaluate(picked, sc, out)
		for i, v := range out {
			if !math.IsNaN(v) {
				reps[i] = append(reps[i], v)
			}
		}
	}
	for i, r := range reps {
		rs.sd[i] = spread(r)
	}
	return rs
}

// circularBlocks appends n interval indices made of blocks of length
// block, each from a uniformly drawn start, wrapping around.
func circularBlocks(picked []int, n, block int, rng *rand.Rand) []int {
	for len(picked) < n {
		start := rng.IntN(n)
		for j := 0; j < block && len(picked) < n; j++ {
			picked = append(picked, (start+j)%n)
		}
	}
	return picked
}

// spread is the standard deviation of the replicates (0 with fewer than
// two).
func spread(r []float64) float64 {
	if len(r) < 2 {
		return 0
	}
	return stat.StdDev(r, nil)
}
