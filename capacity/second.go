package capacity

import (
	"math"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/alert"
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
	// LatencyOK holds the latencies of the requests that did not fail
	// (Requests − Failures of them), as Latency does: an objective on
	// them (ok_p(99)<300ms) is judged on it, since fast failures would
	// pull every percentile of Latency down. Nil holds none: such an
	// objective then fails as if no request had succeeded, rather than
	// pass on latencies nobody measured.
	LatencyOK *hdr.PackedHistogram
	// InFlight is the requests in flight when the second closed.
	InFlight int64
}

// The latencies an objective reads: the index of summary.lat and of
// sampleSet.merged.
const (
	everyRequest = iota // Second.Latency
	succeeded           // Second.LatencyOK
	sources
)

// source is the latencies objective o reads.
func source(o Objective) int {
	if o.Metric.Name == alert.LatencyOK {
		return succeeded
	}
	return everyRequest
}

// SuccessOnly reports whether o is judged on the latency of the requests
// that did not fail (ok_p(99)<300ms, or k6's
// http_req_duration{expected_response:true}).
func SuccessOnly(o Objective) bool { return source(o) == succeeded }

func (s Second) histogram(src int) *hdr.PackedHistogram {
	if src == succeeded {
		return s.LatencyOK
	}
	return s.Latency
}

// latencies is what the bootstrap needs of one second's histogram: sums
// it can add.
type latencies struct {
	count    int64   // latencies recorded
	sum      float64 // of latencies, ms
	min, max float64 // ms (min +Inf, max 0 when empty)
}

func emptyLatencies() latencies { return latencies{min: math.Inf(1)} }

func (t latencies) plus(u latencies) latencies {
	return latencies{count: t.count + u.count, sum: t.sum + u.sum, min: math.Min(t.min, u.min), max: math.Max(t.max, u.max)}
}

// summary is what the bootstrap needs of one second: sums it can add.
type summary struct {
	requests, failures, errors int64
	lat                        [sources]latencies // by source
	// above[k][g] counts latencies above the gth value of the kth
	// objective's grid (nil for objectives that are not percentiles),
	// over the latencies the objective reads.
	above [][]int64
}

// summarise reads a second against the grids of the objectives.
func summarise(s Second, slo []Objective, grids [][]float64) summary {
	out := summary{requests: s.Requests, failures: s.Failures, errors: s.Errors}
	out.above = make([][]int64, len(grids))
	tallies := make([][]int64, len(grids))
	for k, g := range grids {
		if g != nil {
			tallies[k] = make([]int64, len(g)+1)
		}
	}
	for src := range sources {
		out.lat[src] = scan(s.histogram(src), func(ms float64, n int64) {
			for k, g := range grids {
				if g != nil && source(slo[k]) == src {
					countAbove(tallies[k], g, ms, n)
				}
			}
		})
	}
	for k, t := range tallies {
		if t != nil {
			out.above[k] = suffixAbove(t)
		}
	}
	return out
}

// scan sums a histogram (nil: empty), handing each bucket to each. The
// sum, min and max are read as the results file reads them (HDR's Mean,
// Min and Max: a bucket's middle, lowest and highest equivalent value),
// so that a probe's avg and max agree with its results, and its max is
// never below its p99.
func scan(h *hdr.PackedHistogram, each func(ms float64, n int64)) latencies {
	t := emptyLatencies()
	if h == nil || h.TotalCount() == 0 {
		return t
	}
	h.ForEachBucket(func(v, n int64) bool {
		t.count += n
		each(float64(v)/1000, n) // the bucket's lowest value: HDR's 0.1 % resolution
		return true
	})
	t.sum = h.Mean() / 1000 * float64(t.count)
	t.min, t.max = float64(h.Min())/1000, float64(h.Max())/1000
	return t
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

// mergedLatency is every latency of the seconds from one source in one
// histogram (nil when no second has one).
func mergedLatency(secs []Second, src int) *hdr.PackedHistogram {
	var out *hdr.PackedHistogram
	for _, s := range secs {
		h := s.histogram(src)
		if h == nil {
			continue
		}
		if out == nil {
			out = h.Clone()
			continue
		}
		out.Merge(h)
	}
	return out
}
