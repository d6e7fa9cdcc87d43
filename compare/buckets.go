package compare

import (
	"math"
	"slices"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// buckets is the value scale shared by the histograms of one run: the
// populated HDR buckets, ascending, with the value each stands for.
type buckets struct {
	index map[int64]int32 // a bucket's lowest value → its position
	// high is the bucket's highest equivalent value (what HDR reports as a
	// percentile, so that points match the results file); mid its middle
	// (what HDR uses for the mean). Microseconds.
	high, mid []float64
}

// newBuckets collects the populated buckets of every histogram given.
func newBuckets(hs ...*hdr.PackedHistogram) *buckets {
	seen := map[int64]bool{}
	for _, h := range hs {
		h.ForEachBucket(func(v, _ int64) bool { seen[v] = true; return true })
	}
	lows := make([]int64, 0, len(seen))
	for v := range seen {
		lows = append(lows, v)
	}
	slices.Sort(lows)
	b := &buckets{index: make(map[int64]int32, len(lows))}
	scratch := metrics.NewHistogram()
	for i, low := range lows {
		b.index[low] = int32(i)
		high := highestEquivalent(scratch, low)
		b.high = append(b.high, float64(high))
		b.mid = append(b.mid, (float64(low)+float64(high))/2)
	}
	return b
}

// highestEquivalent asks HDR for the top of v's bucket, so the bucket
// geometry stays the library's business.
func highestEquivalent(scratch *hdr.PackedHistogram, v int64) int64 {
	scratch.Reset()
	_ = scratch.RecordValue(v) // v came out of a histogram of this geometry
	return scratch.ValueAtPercentile(100)
}

// cell is one populated bucket of one histogram.
type cell struct {
	bucket int32
	count  int64
}

// cells lists h's populated buckets on the scale b (which must hold them).
func (b *buckets) cells(h *hdr.PackedHistogram) []cell {
	out := make([]cell, 0, h.Populated())
	h.ForEachBucket(func(v, n int64) bool {
		out = append(out, cell{bucket: b.index[v], count: n})
		return true
	})
	return out
}

// dense adds the cells into counts (one slot per bucket).
func addCells(counts []int64, cs []cell) {
	for _, c := range cs {
		counts[c.bucket] += c.count
	}
}

// rank is HDR's rank of the q-th quantile (0 < q ≤ 1) among total values,
// so percentiles agree with the results file.
func rank(q float64, total int64) int64 {
	r := q*float64(total) + 0.5
	if !(r >= 1) {
		return 1
	}
	if r >= float64(total) {
		return total
	}
	return int64(r)
}

// quantiles writes the value of each quantile qs[i] (ascending, at most
// 8) of the counts into out[i], in one pass.
func (b *buckets) quantiles(counts []int64, total int64, qs []float64, out []float64) {
	if total == 0 {
		for i := range out {
			out[i] = math.NaN()
		}
		return
	}
	var ranks [8]int64
	for i, q := range qs {
		ranks[i] = rank(q, total)
	}
	var running int64
	next := 0
	for i, c := range counts {
		running += c
		for next < len(qs) && running >= ranks[next] {
			out[next] = b.high[i]
			next++
		}
		if next == len(qs) {
			return
		}
	}
}

// subtractCells takes the cells out of counts.
func subtractCells(counts []int64, cs []cell) {
	for _, c := range cs {
		counts[c.bucket] -= c.count
	}
}

// less is the cells of all (on the scale b) less the values of h, in
// bucket order; false when h holds a value all does not.
func (b *buckets) less(all []cell, h *hdr.PackedHistogram) ([]cell, bool) {
	left := make(map[int32]int64, len(all))
	for _, c := range all {
		left[c.bucket] = c.count
	}
	ok := true
	h.ForEachBucket(func(v, n int64) bool {
		i, found := b.index[v]
		if ok = found && left[i] >= n; ok {
			left[i] -= n
		}
		return ok
	})
	if !ok {
		return nil, false
	}
	var out []cell
	for _, c := range all {
		if n := left[c.bucket]; n > 0 {
			out = append(out, cell{bucket: c.bucket, count: n})
		}
	}
	return out, true
}

// sumMid is Σ mid·count, for means.
func (b *buckets) sumMid(cs []cell) (sum float64, n int64) {
	for _, c := range cs {
		sum += b.mid[c.bucket] * float64(c.count)
		n += c.count
	}
	return sum, n
}
