package compare

import (
	"maps"
	"math"
	"slices"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Shift is the binned Mann-Whitney test of two latency histograms: a
// second opinion on whether the whole distribution moved, beside the
// percentile rows.
type Shift struct {
	Scope string
	// Latency says which latency was tested: LatencyAll or LatencyOK.
	Latency string
	// Superiority is the probability that a request of the head is slower
	// than one of the base, ties counting half: 0.5 means no shift.
	Superiority float64
	// Z and P are the test corrected for the runs' dependence (the
	// variance inflated by DesignEffect); NaiveP treats every request as
	// independent, as a per-request test does.
	Z, P, NaiveP float64
	DesignEffect float64
}

// The latencies a Shift reads.
const (
	// LatencyAll is the latency of every request, failed or not.
	LatencyAll = "all"
	// LatencyOK is the latency of the requests that did not fail (the
	// results file's hist.latency_ok), as the ok_ rows read it.
	LatencyOK = "ok"
)

// mannWhitney computes the U statistic of head against base from their
// histograms: with every value in a bucket tied with its bucket mates,
// U = Σ_i head_i·(base values below bucket i + base_i/2). Its variance
// carries the tie correction, (n1·n2/12)·((N+1) − Σ(t³−t)/(N(N−1))).
// When every value sits alone in its bucket this is the ordinary test.
func mannWhitney(base, head *hdr.PackedHistogram, deff float64) Shift {
	b, h := bucketCounts(base), bucketCounts(head)
	n1, n2 := float64(base.TotalCount()), float64(head.TotalCount())
	if n1 == 0 || n2 == 0 {
		return Shift{Superiority: 0.5, P: 1, NaiveP: 1, DesignEffect: deff}
	}
	var u, below, ties float64
	for _, low := range unionKeys(b, h) {
		nb, nh := float64(b[low]), float64(h[low])
		u += nh * (below + nb/2)
		below += nb
		t := nb + nh
		ties += t*t*t - t
	}
	n := n1 + n2
	variance := n1 * n2 / 12 * ((n + 1) - ties/(n*(n-1)))
	s := Shift{Superiority: u / (n1 * n2), DesignEffect: max(deff, 1), P: 1, NaiveP: 1}
	if variance <= 0 {
		return s
	}
	naive := (u - n1*n2/2) / math.Sqrt(variance)
	s.Z = naive / math.Sqrt(s.DesignEffect)
	s.P, s.NaiveP = twoSided(s.Z), twoSided(naive)
	return s
}

func bucketCounts(h *hdr.PackedHistogram) map[int64]int64 {
	out := make(map[int64]int64, h.Populated())
	h.ForEachBucket(func(v, n int64) bool { out[v] += n; return true })
	return out
}

// unionKeys lists the buckets of either histogram, ascending.
func unionKeys(a, b map[int64]int64) []int64 {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
