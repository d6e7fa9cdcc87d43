package compare

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// series is a run laid out for resampling: per interval, the latency
// cells on the run's bucket scale and the counts, overall and for each
// compared endpoint.
type series struct {
	b       *buckets
	cells   [][]cell
	secs    []float64
	counts  []Counts   // all endpoints together
	ep      [][]Counts // [interval][compared endpoint]
	latSum  []float64  // Σ mid·count of each interval's latency
	latN    []int64
	nBucket int
	source  []*hdr.PackedHistogram // the intervals' latency
	merged  *hdr.PackedHistogram   // their sum, when asked for
}

// newSeries lays out run; endpoints[i] is the index in run.Endpoints of
// the i-th compared endpoint.
func newSeries(run *Run, endpoints []int) *series {
	hs := make([]*hdr.PackedHistogram, len(run.Intervals))
	for i, iv := range run.Intervals {
		hs[i] = iv.Latency
	}
	s := &series{b: newBuckets(hs...), source: hs}
	s.nBucket = len(s.b.high)
	for _, iv := range run.Intervals {
		cs := s.b.cells(iv.Latency)
		sum, n := s.b.sumMid(cs)
		s.cells = append(s.cells, cs)
		s.latSum = append(s.latSum, sum)
		s.latN = append(s.latN, n)
		s.secs = append(s.secs, iv.Seconds)
		s.counts = append(s.counts, Counts{iv.Requests, iv.Errors, iv.Failures})
		row := make([]Counts, len(endpoints))
		for j, e := range endpoints {
			row[j] = iv.Endpoints[e]
		}
		s.ep = append(s.ep, row)
	}
	return s
}

func (s *series) len() int { return len(s.secs) }

// stat layout of one evaluation: the nine overall metrics, then
// throughput, error rate and failure rate of each compared endpoint.
// Latency metrics are kept as logarithms (their ratio is a difference),
// throughput in requests per second (an endpoint may see no request in a
// resample) and rates as fractions.
const perEndpoint = 3

func (s *series) numStats() int { return int(numMetrics) + perEndpoint*len(s.ep[0]) }

// endpointStat is the position of an endpoint metric in the layout.
func endpointStat(e int, m Metric) int {
	return int(numMetrics) + perEndpoint*e + int(m-Throughput)
}

// scratch is the reusable memory of evaluate.
type scratch struct {
	counts []int64
	qs     []float64
	ep     []Counts
}

func (s *series) newScratch() *scratch {
	return &scratch{counts: make([]int64, s.nBucket), qs: make([]float64, len(quantiles)),
		ep: make([]Counts, len(s.ep[0]))}
}

// evaluate computes every statistic of the intervals picked (indices into
// the series, repeats allowed) into out.
func (s *series) evaluate(picked []int, sc *scratch, out []float64) {
	clear(sc.counts)
	clear(sc.ep)
	var secs, latSum float64
	var latN int64
	var all Counts
	for _, i := range picked {
		addCells(sc.counts, s.cells[i])
		secs += s.secs[i]
		latSum += s.latSum[i]
		latN += s.latN[i]
		all = all.plus(s.counts[i])
		for j, c := range s.ep[i] {
			sc.ep[j] = sc.ep[j].plus(c)
		}
	}
	s.b.quantiles(sc.counts, latN, quantiles, sc.qs)
	for i, v := range sc.qs {
		out[i] = math.Log(v)
	}
	out[Mean] = math.Log(latSum / float64(latN))
	all.rates(secs, out[Throughput:FailureRate+1])
	for j, c := range sc.ep {
		at := endpointStat(j, Throughput)
		c.rates(secs, out[at:at+perEndpoint])
	}
}

func (c Counts) plus(d Counts) Counts {
	return Counts{c.Requests + d.Requests, c.Errors + d.Errors, c.Failures + d.Failures}
}

// rates writes throughput, error rate and failure rate into out.
func (c Counts) rates(secs float64, out []float64) {
	out[0] = float64(c.Requests) / secs
	out[1] = share(c.Errors, c.Requests)
	out[2] = share(c.Failures, c.Requests)
}

func share(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// everything is the identity pick: the whole series once.
func (s *series) everything() []int {
	out := make([]int, s.len())
	for i := range out {
		out[i] = i
	}
	return out
}
