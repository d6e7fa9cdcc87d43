package compare

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// blockLength chooses the circular block bootstrap's block length for a
// run: the largest of Politis and White's automatic choice (2004, with
// Patton, Politis and White's 2009 correction) on the per-second series of
// the mean latency, the throughput, the failure share and, when the run
// holds it, the mean latency of the requests that did not fail. Blocks must be
// long enough to keep the dependence of whichever series depends longest;
// too long only costs some precision. The result lies between minBlock
// (or the cube root of the run's length, the textbook default, when that
// is longer) and a third of the run.
func (s *series) blockLength() int {
	n := s.len()
	lat := make([]float64, n)
	rps := make([]float64, n)
	fail := make([]float64, n)
	for i := range n {
		lat[i] = safeLog(s.all.sum[i] / float64(max(s.all.n[i], 1)))
		rps[i] = float64(s.counts[i].Requests) / s.secs[i]
		fail[i] = share(s.counts[i].Failures, s.counts[i].Requests)
	}
	b := max(politisWhite(lat), politisWhite(rps), politisWhite(fail))
	if s.okKnown {
		ok := make([]float64, n)
		for i := range n {
			ok[i] = safeLog(s.ok.sum[i] / float64(max(s.ok.n[i], 1)))
		}
		b = max(b, politisWhite(ok))
	}
	return clampBlock(int(math.Ceil(b)), n)
}

// minBlock keeps a second's neighbours together even when the estimate
// finds no dependence: on short runs the autocorrelation is estimated
// poorly, and a block of 1 would trust that estimate completely.
const minBlock = 2

func clampBlock(b, n int) int {
	floor := max(minBlock, int(math.Ceil(math.Cbrt(float64(n)))))
	return max(min(max(b, floor), n/3), 1)
}

func safeLog(v float64) float64 {
	if v > 0 && !math.IsInf(v, 0) {
		return math.Log(v)
	}
	return 0
}

// politisWhite is the automatic block length of the circular block
// bootstrap for series x: b = (2·G²/D)^(1/3)·n^(1/3), where G and D come
// from the autocovariances weighted by a flat-top lag window whose width
// is the lag after which the autocorrelation stays insignificant.
func politisWhite(x []float64) float64 {
	n := len(x)
	if n < 4 {
		return 1
	}
	acov := autocovariances(x)
	if acov[0] == 0 {
		return 1 // a constant series: nothing to keep together
	}
	m := flatTopWidth(acov, n)
	var g, g0 float64
	for k := -m; k <= m; k++ {
		w := flatTop(float64(k) / float64(m)) // m ≥ 1
		a := acov[abs(k)]
		g += w * float64(abs(k)) * a
		g0 += w * a
	}
	d := 4.0 / 3.0 * g0 * g0
	if d <= 0 {
		return 1
	}
	return math.Cbrt(2*g*g/d) * math.Cbrt(float64(n))
}

// autocovariances returns the biased sample autocovariances of x (divided
// by n) at lags 0 … n−1.
func autocovariances(x []float64) []float64 {
	n := len(x)
	mean := stat.Mean(x, nil)
	out := make([]float64, n)
	for k := range n {
		var sum float64
		for i := 0; i+k < n; i++ {
			sum += (x[i] - mean) * (x[i+k] - mean)
		}
		out[k] = sum / float64(n)
	}
	return out
}

// flatTopWidth is 2·m̂, where m̂ is the first lag after which K_n
// consecutive autocorrelations stay within ±2·√(log10(n)/n), capped at
// √n + K_n lags.
func flatTopWidth(acov []float64, n int) int {
	kn := max(5, int(math.Ceil(math.Sqrt(math.Log10(float64(n))))))
	limit := 2 * math.Sqrt(math.Log10(float64(n))/float64(n))
	mMax := min(int(math.Ceil(math.Sqrt(float64(n))))+kn, n-1)
	mHat := mMax
	for m := 0; m+kn < n && m < mMax; m++ {
		if quietAfter(acov, m, kn, limit) {
			mHat = m
			break
		}
	}
	return max(min(2*mHat, mMax), 1)
}

// quietAfter reports whether the kn autocorrelations after lag m are all
// within ±limit.
func quietAfter(acov []float64, m, kn int, limit float64) bool {
	for k := 1; k <= kn; k++ {
		if math.Abs(acov[m+k]/acov[0]) >= limit {
			return false
		}
	}
	return true
}

// flatTop is the trapezoid lag window: 1 up to half the width, falling
// linearly to 0 at the width.
func flatTop(t float64) float64 {
	t = math.Abs(t)
	switch {
	case t <= 0.5:
		return 1
	case t <= 1:
		return 2 * (1 - t)
	}
	return 0
}

func abs(k int) int {
	if k < 0 {
		return -k
	}
	return k
}
