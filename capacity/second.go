package capacity

import (
	"math"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Second is one measured second of a probe.
type Second struct {
	Requests  int64 // completed, with or without a response
	Failures  int64 // errors plus unexpected statuses
	Errors    int64 // no response
	Throttled int64 // 429 Too Many Requests
	// Latency holds the second's latencies in microseconds, from the
	// intended start (metrics.NewHistogram's geometry).
	Latency *hdr.PackedHistogram
	// InFlight is the requests in flight when the second closed.
	InFlight int64
}

// summary is what the bootstrap needs of one second: sums it can add.
type summary struct {
	requests, failures, errors int64
	count                      int64   // latencies recorded
	sum                        float64 // of latencies, ms
	min, max                   float64 // ms (min +Inf, max 0 when empty)
	// above[k][g] counts latencies above the gth value of the kth
	// objective's grid (nil for objectives that are not percentiles).
	above [][]int64
}

// summarise reads a second against the grids.
func summarise(s Second, grids [][]float64) summary {
	out := summary{requests: s.Requests, failures: s.Failures, errors: s.Errors, min: math.Inf(1)}
	out.above = make([][]int64, len(grids))
	tallies := make([][]int64, len(grids))
	for k, g := range grids {
		if g != nil {
			tallies[k] = make([]int64, len(g)+1)
		}
	}
	if s.Latency == nil {
		for k, t := range tallies {
			if t != nil {
				out.above[k] = suffixAbove(t)
			}
		}
		return out
	}
	s.Latency.ForEachBucket(func(v, n int64) bool {
		ms := float64(v) / 1000 // the bucket's lowest value: HDR's 0.1 % resolution
		out.count += n
		out.sum += ms * float64(n)
		out.min, out.max = math.Min(out.min, ms), math.Max(out.max, ms)
		for k, g := range grids {
			if g != nil {
				countAbove(tallies[k], g, ms, n)
			}
		}
		return true
	})
	for k, t := range tallies {
		if t != nil {
			out.above[k] = suffixAbove(t)
		}
	}
	return out
}

// countAbove tallies n latencies of ms by how many of the grid's first
// len−1 values (ascending) lie below them; suffixAbove turns the tallies
// into counts above each value. The grid's last value, the limit, is
// counted directly.
func countAbove(tally []int64, g []float64, ms float64, n int64) {
	last := len(g) - 1
	tally[sort.SearchFloat64s(g[:last], ms)] += n // g[i] < ms for every i below
	if ms > g[last] {
		tally[len(tally)-1] += n
	}
}

// suffixAbove turns tallies (len(g)+1 slots: how many grid values lie
// below, then the limit's count) into counts above each grid value.
func suffixAbove(tally []int64) []int64 {
	last := len(tally) - 2 // the grid's ascending part has last values
	above := make([]int64, last+1)
	var run int64
	for i := last - 1; i >= 0; i-- {
		run += tally[i+1] // latencies with more than i grid values below
		above[i] = run
	}
	above[last] = tally[last+1]
	return above
}

// mergedLatency is every latency of the seconds in one histogram (nil
// when no second has one).
func mergedLatency(secs []Second) *hdr.PackedHistogram {
	var out *hdr.PackedHistogram
	for _, s := range secs {
		if s.Latency == nil {
			continue
		}
		if out == nil {
			out = s.Latency.Clone()
			continue
		}
		out.Merge(s.Latency)
	}
	return out
}
