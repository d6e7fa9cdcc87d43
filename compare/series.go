package compare

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// series is a run laid out for resampling: per interval, the latency
// cells on the run's bucket scale and the counts, overall and for each
// compared endpoint.
type series struct {
	b *buckets
	// all is the latency of every request; ok that of the requests that
	// did not fail, without its cells: a resample's counts of ok are its
	// counts of all less the failed cells of its intervals (all less ok),
	// and when few requests fail there are few of those to subtract.
	all, ok latencies
	failed  [][]cell
	// okKnown: every interval holds the latency of the requests that did
	// not fail (files of an earlier Surge do not); ok is empty otherwise.
	okKnown bool
	secs    []float64
	counts  []Counts   // all endpoints together
	ep      [][]Counts // [interval][compared endpoint]
	nBucket int
}

// latencies are one latency histogram of each interval, on the run's
// bucket scale.
type latencies struct {
	cells  [][]cell
	sum    []float64 // Σ mid·count of each interval's latency
	n      []int64
	source []*hdr.PackedHistogram
	total  *hdr.PackedHistogram // their sum, when asked for
}

// add appends h, one interval's latency.
func (l *latencies) add(b *buckets, h *hdr.PackedHistogram) {
	cs := b.cells(h)
	sum, n := b.sumMid(cs)
	l.cells, l.sum, l.n = append(l.cells, cs), append(l.sum, sum), append(l.n, n)
	l.source = append(l.source, h)
}

// newSeries lays out run; endpoints[i] is the index in run.Endpoints of
// the i-th compared endpoint.
func newSeries(run *Run, endpoints []int) *series {
	s := &series{}
	hs := make([]*hdr.PackedHistogram, len(run.Intervals))
	for i, iv := range run.Intervals {
		hs[i] = iv.Latency
	}
	s.b = newBuckets(hs...)
	s.nBucket = len(s.b.high)
	for _, iv := range run.Intervals {
		s.all.add(s.b, iv.Latency)
		s.secs = append(s.secs, iv.Seconds)
		s.counts = append(s.counts, Counts{iv.Requests, iv.Errors, iv.Failures})
		row := make([]Counts, len(endpoints))
		for j, e := range endpoints {
			row[j] = iv.Endpoints[e]
		}
		s.ep = append(s.ep, row)
	}
	s.okKnown = run.okKnown() && s.addOK(run)
	return s
}

// addOK lays out the latency of the requests that did not fail, and
// returns false, leaving it unknown, when a second's successes are not
// part of its latency (a file that does not hold together: Surge records
// every success in both).
func (s *series) addOK(run *Run) bool {
	for i, iv := range run.Intervals {
		failed, ok := s.b.less(s.all.cells[i], iv.LatencyOK)
		if !ok {
			s.failed, s.ok = nil, latencies{}
			return false
		}
		sum, n := s.b.sumMid(failed)
		s.failed = append(s.failed, failed)
		s.ok.sum = append(s.ok.sum, s.all.sum[i]-sum)
		s.ok.n = append(s.ok.n, s.all.n[i]-n)
		s.ok.source = append(s.ok.source, iv.LatencyOK)
	}
	return true
}

// latencies is the latency `which` (LatencyAll or LatencyOK).
func (s *series) latencies(which string) *latencies {
	if which == LatencyOK {
		return &s.ok
	}
	return &s.all
}

func (s *series) len() int { return len(s.secs) }

// stat layout of one evaluation: the overall metrics, then
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
// the series, repeats allowed) into out. The statistics of the requests
// that did not fail are NaN when the run does not hold their latency or
// none of the intervals picked has one.
func (s *series) evaluate(picked []int, sc *scratch, out []float64) {
	clear(sc.ep)
	var secs float64
	var all Counts
	for _, i := range picked {
		secs += s.secs[i]
		all = all.plus(s.counts[i])
		for j, c := range s.ep[i] {
			sc.ep[j] = sc.ep[j].plus(c)
		}
	}
	clear(sc.counts)
	for _, i := range picked {
		addCells(sc.counts, s.all.cells[i])
	}
	s.latency(&s.all, picked, sc, out[P50:Mean+1])
	if s.okKnown {
		for _, i := range picked {
			subtractCells(sc.counts, s.failed[i])
		}
		s.latency(&s.ok, picked, sc, out[OKP50:OKMean+1])
	} else {
		fill(out[OKP50:OKMean+1], math.NaN())
	}
	all.rates(secs, out[Throughput:FailureRate+1])
	for j, c := range sc.ep {
		at := endpointStat(j, Throughput)
		c.rates(secs, out[at:at+perEndpoint])
	}
}

// latency writes the logarithms of the quantiles and the mean of the
// intervals picked of l, whose counts sc holds, into out (NaN when they
// hold no value).
func (s *series) latency(l *latencies, picked []int, sc *scratch, out []float64) {
	var sum float64
	var n int64
	for _, i := range picked {
		sum += l.sum[i]
		n += l.n[i]
	}
	if n == 0 {
		fill(out, math.NaN())
		return
	}
	s.b.quantiles(sc.counts, n, quantiles, sc.qs)
	for i, v := range sc.qs {
		out[i] = math.Log(v)
	}
	out[len(quantiles)] = math.Log(sum / float64(n))
}

func fill(xs []float64, v float64) {
	for i := range xs {
		xs[i] = v
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
