package scalability

import (
	"errors"
	"math"
)

// Curve says which way a curve bends.
type Curve int8

const (
	// Concave is a curve that rises and flattens: throughput against
	// offered load.
	Concave Curve = iota
	// Convex is a curve that rises slowly, then steeply: latency against
	// load, the hockey stick.
	Convex
)

// Knee is the point where a curve bends.
type Knee struct {
	Index int // of the point in the input
	X, Y  float64
}

// ErrNoKnee says the curve has no knee that the sensitivity confirms
// (a straight line, or too few points).
var ErrNoKnee = errors.New("no knee: the curve does not bend enough")

// Kneedle finds the knee of an increasing curve given as points sorted by
// x, with Satopää et al.'s sensitivity s (1 is their default; larger is
// more conservative). Both axes are scaled to [0, 1]; the difference
// curve is the distance of each point above the chord (concave) or below
// it (convex). A local maximum of the difference is a knee once the
// difference afterwards falls below it by s times the mean spacing of x,
// before it rises to another maximum.
func Kneedle(x, y []float64, curve Curve, s float64) (Knee, error) {
	if len(x) != len(y) || len(x) < 3 {
		return Knee{}, ErrNoKnee
	}
	diff, ok := differenceCurve(x, y, curve)
	if !ok {
		return Knee{}, ErrNoKnee
	}
	threshold := s / float64(len(x)-1) // mean spacing of x scaled to [0, 1]
	for i := 1; i < len(diff)-1; i++ {
		if diff[i] < diff[i-1] || diff[i] < diff[i+1] {
			continue // not a local maximum
		}
		if confirmed(diff, i, diff[i]-threshold) {
			return Knee{Index: i, X: x[i], Y: y[i]}, nil
		}
	}
	return Knee{}, ErrNoKnee
}

// differenceCurve scales x and y to [0, 1] and measures each point's
// distance from the diagonal on the bending side.
func differenceCurve(x, y []float64, curve Curve) ([]float64, bool) {
	xs, okX := unitScale(x)
	ys, okY := unitScale(y)
	if !okX || !okY {
		return nil, false
	}
	diff := make([]float64, len(x))
	for i := range diff {
		diff[i] = ys[i] - xs[i]
		if curve == Convex {
			diff[i] = xs[i] - ys[i]
		}
	}
	return diff, true
}

// confirmed reports whether the difference curve falls below threshold
// after the local maximum at i, before the next local maximum.
func confirmed(diff []float64, i int, threshold float64) bool {
	for j := i + 1; j < len(diff); j++ {
		if diff[j] < threshold {
			return true
		}
		if j < len(diff)-1 && diff[j] > diff[j-1] && diff[j] >= diff[j+1] {
			return false // another maximum came first
		}
	}
	return false
}

func unitScale(v []float64) ([]float64, bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil, false
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = (x - lo) / (hi - lo)
	}
	return out, true
}
