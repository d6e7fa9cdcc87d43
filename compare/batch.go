package compare

import (
	"errors"
	"math"

	"github.com/aclements/go-moremath/stats"
	"gonum.org/v1/gonum/stat"
)

// Summary is a sample's median with the confidence interval that its
// order statistics give (exact binomial ranks for small samples).
type Summary struct {
	Center, Lo, Hi float64
	N              int
}

// BatchResult compares two samples of repeated measurements, one value
// per run, the way benchstat compares benchmarks: medians, their
// intervals, the change of the median, and the Mann-Whitney U test's
// p-value (exact for small samples).
type BatchResult struct {
	Base, Head Summary
	// Delta is the relative change of the median, head/base − 1.
	Delta float64
	P     float64
	// Significant is P < alpha; benchstat prints "~" when it is not.
	Significant bool
}

// Batch compares repeated measurements (for example the p99 of ten base
// runs and ten head runs) when whole runs, not seconds, are the unit of
// replication: the only way to see variation between runs, such as a
// machine that is faster on some days.
func Batch(base, head []float64, alpha, confidence float64) (BatchResult, error) {
	if len(base) == 0 || len(head) == 0 {
		return BatchResult{}, errors.New("batch: each side needs at least one value")
	}
	res := BatchResult{Base: summarize(base, confidence), Head: summarize(head, confidence), P: 1}
	res.Delta = res.Head.Center/res.Base.Center - 1
	u, err := stats.MannWhitneyUTest(base, head, stats.LocationDiffers)
	if err == nil { // an error means identical samples: no difference
		res.P = u.P
	}
	res.Significant = res.P < alpha
	return res, nil
}

func summarize(xs []float64, confidence float64) Summary {
	ci := stats.QuantileCI(len(xs), 0.5, confidence)
	center, lo, hi := ci.SampleCI(stats.Sample{Xs: xs})
	return Summary{Center: center, Lo: lo, Hi: hi, N: len(xs)}
}

// Spread is the half-width of the summary's interval relative to its
// centre (benchstat's "± x%"), the larger side; +Inf when the sample is
// too small for an interval.
func (s Summary) Spread() float64 {
	return math.Max(s.Center-s.Lo, s.Hi-s.Center) / s.Center
}

// Geomean is the geometric mean, for a summary row over many batches.
func Geomean(xs []float64) float64 { return stat.GeometricMean(xs, nil) }
