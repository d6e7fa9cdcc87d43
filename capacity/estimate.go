package capacity

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/alert"
)

// Verdict is what a probe says about its load.
type Verdict int8

const (
	// Unsure: an objective's confidence interval straddles its limit.
	Unsure Verdict = iota
	// Pass: every objective holds with confidence, the load was served,
	// and latency did not trend upward.
	Pass
	// Fail: an objective is broken with confidence, the load was not
	// served, or latency trended upward.
	Fail
)

var verdictNames = [...]string{Unsure: "UNSURE", Pass: "PASS", Fail: "FAIL"}

func (v Verdict) String() string { return verdictNames[v] }

// Estimate is one objective measured over a probe, with its confidence
// interval and what it says.
type Estimate struct {
	Objective Objective
	Value     float64 // in the objective's unit (ms, a fraction)
	Low, High float64 // the interval at the search's confidence
	Verdict   Verdict
	// NoSuccess: the objective is on the latency of the requests that did
	// not fail and none did. It has no value (NaN) and is broken: an
	// empty histogram is not a latency of 0 ms.
	NoSuccess bool
}

// gridSize is how many latencies a percentile's interval is read at:
// log-spaced from a third of the estimate to three times it, 0.7 % apart,
// with the limit itself as the last, so that the verdict compares the
// share of latencies above the limit exactly.
const gridSize = 301

// sampleSet is a probe's seconds, summarised for resampling.
type sampleSet struct {
	slo   []Objective
	grids [][]float64
	secs  []summary
	// merged is every latency of the seconds, by source (nil: none).
	merged [sources]*hdr.PackedHistogram
}

func newSampleSet(secs []Second, slo []Objective) *sampleSet {
	set := &sampleSet{slo: slo, grids: make([][]float64, len(slo))}
	for src := range sources {
		set.merged[src] = mergedLatency(secs, src)
	}
	for k, o := range slo {
		if isPercentile(o) {
			set.grids[k] = grid(set.quantile(source(o), o.Stat.P/100), o.Value)
		}
	}
	set.secs = make([]summary, len(secs))
	for i, s := range secs {
		set.secs[i] = summarise(s, slo, set.grids)
	}
	return set
}

// isPercentile: a latency percentile, of every request or of those that
// did not fail.
func isPercentile(o Objective) bool {
	return o.Metric.IsLatency() && o.Stat.Kind == alert.Percentile
}

// quantile is the qth quantile over every latency of the seconds from
// source src, ms (0 when there is none).
func (s *sampleSet) quantile(src int, q float64) float64 {
	h := s.merged[src]
	if h == nil || h.TotalCount() == 0 {
		return 0
	}
	return float64(h.ValueAtPercentile(q*100)) / 1000
}

// meanLatency is the mean over every latency of the seconds, ms.
func (s *sampleSet) meanLatency() float64 {
	if h := s.merged[everyRequest]; h != nil {
		return h.Mean() / 1000
	}
	return 0
}

func grid(estimate, limit float64) []float64 {
	g := make([]float64, gridSize)
	if !(estimate > 0) {
		estimate = limit
	}
	lo, hi := math.Log(estimate/3), math.Log(estimate*3)
	for i := range gridSize - 1 {
		g[i] = math.Exp(lo + (hi-lo)*float64(i)/float64(gridSize-2))
	}
	g[gridSize-1] = limit
	return g
}

// totals are a resample's sums.
type totals struct {
	summary
}

func (s *sampleSet) add(picked []int) totals {
	var t totals
	for src := range t.lat {
		t.lat[src] = emptyLatencies()
	}
	t.above = make([][]int64, len(s.grids))
	for k, g := range s.grids {
		if g != nil {
			t.above[k] = make([]int64, len(g))
		}
	}
	for _, i := range picked {
		sec := &s.secs[i]
		t.requests, t.failures, t.errors = t.requests+sec.requests, t.failures+sec.failures, t.errors+sec.errors
		for src, l := range sec.lat {
			t.lat[src] = t.lat[src].plus(l)
		}
		for k, a := range sec.above {
			for g, n := range a {
				t.above[k][g] += n
			}
		}
	}
	return t
}

// value is objective k over the totals; for a percentile, the share of
// latencies above the limit goes beside it. An objective on the requests
// that did not fail, where none did, is broken: +Inf, every latency
// above the limit (a resample of seconds without a success must not
// read as 0 ms and pull the interval inside the limit).
func (t totals) value(s *sampleSet, k int) (v, exceed float64) {
	o := s.slo[k]
	switch o.Metric.Name {
	case alert.FailureRate:
		return share(t.failures, t.requests), 0
	case alert.ErrorRate:
		return share(t.errors, t.requests), 0
	}
	l := t.lat[source(o)]
	if SuccessOnly(o) && l.count == 0 {
		return math.Inf(1), 1
	}
	switch o.Stat.Kind {
	case alert.Average:
		return ratio(l.sum, l.count), 0
	case alert.Minimum:
		return finite(l.min), 0
	case alert.Maximum:
		return l.max, 0
	}
	g := s.grids[k]
	// HDR's rank: the value at the percentile is the first whose count
	// from below reaches ⌊q·n + ½⌋ (at least 1); above it may lie the rest.
	tail := l.count - max(int64(o.Stat.P/100*float64(l.count)+0.5), 1)
	v = g[gridSize-2] // beyond the grid: at least its top
	for i := range gridSize - 1 {
		if t.above[k][i] <= tail {
			v = g[i]
			break
		}
	}
	return v, share(t.above[k][gridSize-1], l.count)
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

func ratio(sum float64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func finite(v float64) float64 {
	if math.IsInf(v, 0) {
		return 0
	}
	return v
}

// estimates measures the objectives over the seconds, with percentile
// intervals from a circular block bootstrap: consecutive seconds are not
// independent (a queue that builds in one second is still there in the
// next), so blocks of about √n seconds are resampled together.
func estimates(set *sampleSet, c Config) []Estimate {
	slo := set.slo
	all := make([]int, len(set.secs))
	for i := range all {
		all[i] = i
	}
	whole := set.add(all)
	draws, exceed := set.bootstrap(c)
	out := make([]Estimate, len(slo))
	for k, o := range slo {
		if SuccessOnly(o) && whole.lat[succeeded].count == 0 {
			nan := math.NaN()
			out[k] = Estimate{Objective: o, Value: nan, Low: nan, High: nan, Verdict: Fail, NoSuccess: true}
			continue
		}
		e := Estimate{Objective: o, Low: quantile(draws[k], 1-c.Confidence), High: quantile(draws[k], c.Confidence)}
		e.Value, _ = whole.value(set, k)
		if isPercentile(o) {
			e.Value = set.quantile(source(o), o.Stat.P/100)
			e.Low, e.High = bracket(set.grids[k], e.Low, e.High, e.Value)
			e.Verdict = decideTail(o, quantile(exceed[k], 1-c.Confidence), quantile(exceed[k], c.Confidence))
		} else {
			e.Verdict = decide(o, e.Low, e.High)
		}
		out[k] = e
	}
	return out
}

// resample draws stat over circular block resamples of n seconds, sorted.
func resample(n int, c Config, stat func(picked []int) float64) []float64 {
	block := max(1, int(math.Round(math.Sqrt(float64(n)))))
	rng := rand.New(rand.NewPCG(c.Seed, uint64(n)+1))
	picked := make([]int, n)
	out := make([]float64, 0, c.Resamples)
	for range c.Resamples {
		pick(picked, block, rng)
		out = append(out, stat(picked))
	}
	slices.Sort(out)
	return out
}

// pick fills picked with circular blocks of seconds at random starts.
func pick(picked []int, block int, rng *rand.Rand) {
	n := len(picked)
	for i := 0; i < n; i += block {
		start := rng.IntN(n)
		for j := 0; j < block && i+j < n; j++ {
			picked[i+j] = (start + j) % n
		}
	}
}

func (s *sampleSet) bootstrap(c Config) (draws, exceed [][]float64) {
	n := len(s.secs)
	block := max(1, int(math.Round(math.Sqrt(float64(n)))))
	rng := rand.New(rand.NewPCG(c.Seed, uint64(n)))
	draws, exceed = make([][]float64, len(s.slo)), make([][]float64, len(s.slo))
	picked := make([]int, n)
	for range c.Resamples {
		pick(picked, block, rng)
		t := s.add(picked)
		for k := range s.slo {
			v, e := t.value(s, k)
			draws[k], exceed[k] = append(draws[k], v), append(exceed[k], e)
		}
	}
	for k := range draws {
		slices.Sort(draws[k])
		slices.Sort(exceed[k])
	}
	return draws, exceed
}

// quantile of sorted values, by linear interpolation. The values may end
// in +Inf (resamples in which no request succeeded): between two of them,
// or on one exactly, the quantile is +Inf, not the NaN of Inf − Inf or
// 0 × Inf.
func quantile(vs []float64, q float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(vs)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(vs)-1)
	frac := pos - float64(lo)
	if frac == 0 || vs[hi] == vs[lo] {
		return vs[lo]
	}
	return vs[lo] + frac*(vs[hi]-vs[lo])
}

// decide: the objective holds with confidence when even the interval's
// high end meets it, is broken when even its low end does not.
func decide(o Objective, low, high float64) Verdict {
	switch {
	case o.Op.Holds(high, o.Value):
		return Pass
	case !o.Op.Holds(low, o.Value):
		return Fail
	}
	return Unsure
}

// decideTail judges "pN < limit" by the share of latencies above the
// limit: it holds when that share is below 1 − N/100 (with confidence:
// even at the interval's high end).
func decideTail(o Objective, low, high float64) Verdict {
	allowed := 1 - o.Stat.P/100
	switch {
	case high < allowed:
		return Pass
	case low >= allowed:
		return Fail
	}
	return Unsure
}

// bracket widens a percentile's interval to the grid its draws are read
// on: each draw is the grid point at or above the resample's percentile
// (totals.value), 0.7 % apart, so the low end goes one point down. The
// interval then holds the estimate too, which HDR reads at its own
// resolution: an interval printed above its value ("301 ms [302, 302]")
// would only confuse.
func bracket(g []float64, low, high, value float64) (float64, float64) {
	ascending := g[:gridSize-1] // the last point is the objective's limit
	if i := sort.SearchFloat64s(ascending, low); i > 0 && i < len(ascending) {
		low = ascending[i-1]
	}
	return math.Min(low, value), math.Max(high, value)
}
