package promexport

import (
	"math"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// ClassicBounds are the upper bounds of the classic histogram buckets, in
// seconds, from half a millisecond to a minute: a latency quantile read
// from them (histogram_quantile) is known to within its bucket.
var ClassicBounds = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// NativeSchema is the native histograms' resolution: each bucket is
// 2^(2^-5), about 2.2 %, wider than the one before (the HDR histograms
// they are made from resolve 0.1 %).
const NativeSchema = 5

// histData is one HDR histogram in Prometheus's terms, in seconds.
type histData struct {
	count uint64
	sum   float64
	// cumulative[i] counts the values at most ClassicBounds[i].
	cumulative []uint64
	// native counts values by native bucket index: bucket i holds
	// (2^((i-1)/2^NativeSchema), 2^(i/2^NativeSchema)].
	native map[int]int64
}

// fromHDR converts a histogram of microseconds. Each HDR bucket counts
// at its lowest value (as HDR's own iteration reports it), so classic and
// native buckets are as exact as the HDR histogram: a value within 0.1 %
// of a bound may fall on either side of it.
func fromHDR(h *hdr.PackedHistogram) histData {
	d := histData{cumulative: make([]uint64, len(ClassicBounds)), native: map[int]int64{}}
	if h == nil {
		return d
	}
	h.ForEachBucket(func(micros, n int64) bool {
		v := float64(micros) / 1e6
		d.count += uint64(n)
		d.sum += v * float64(n)
		if i := sort.SearchFloat64s(ClassicBounds, v); i < len(ClassicBounds) {
			d.cumulative[i] += uint64(n)
		}
		d.native[nativeIndex(v)] += n
		return true
	})
	for i := 1; i < len(d.cumulative); i++ {
		d.cumulative[i] += d.cumulative[i-1]
	}
	return d
}

// nativeIndex is the native bucket of a positive value: the smallest i
// with v <= 2^(i/2^NativeSchema). math.Log2 is exact at powers of two, so
// a power of two lands in the bucket it bounds, as Prometheus puts it.
func nativeIndex(v float64) int {
	return int(math.Ceil(math.Log2(v) * (1 << NativeSchema)))
}
