package compare

import (
	"math"
	"sort"
)

// holm adjusts p-values for multiple comparisons by Holm's step-down
// method: the smallest of m p-values is multiplied by m, the next by m−1,
// and so on, each kept at least as large as the one before, so that the
// chance of any false rejection among the m stays at most α. NaN entries
// (rows without a test) are not counted and stay NaN.
func holm(p []float64) []float64 {
	idx := make([]int, 0, len(p))
	for i, v := range p {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	out := make([]float64, len(p))
	for i := range out {
		out[i] = math.NaN()
	}
	m, running := len(idx), 0.0
	for rank, i := range idx {
		running = max(running, min(1, float64(m-rank)*p[i]))
		out[i] = running
	}
	return out
}
