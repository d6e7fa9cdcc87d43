package metrics

import hdr "github.com/HdrHistogram/hdrhistogram-go"

// Hot endpoints. A request's durations normally go into its endpoint's
// sparse histograms: a binary search among the buckets in use, about a
// hundred nanoseconds where a dense histogram takes a few. For the busiest
// endpoints that is most of the cost of recording, so an endpoint that
// takes hotAfter requests in one interval becomes hot, for good: its
// further durations go into dense histograms of the interval alone, which
// the flusher adds to its statistics once per interval. That addition
// scans the dense histograms whole (tens of microseconds), so only maxHot
// endpoints are ever hot: the flush stays short however many endpoints a
// script has, and the memory bounded (two dense sets of two to four,
// 0.75 to 1.5 MB, per hot endpoint).
const (
	maxHot   = 8
	hotAfter = 1000
)

// denseSet is an interval of a hot endpoint, or of every endpoint
// together: latency, service time, and the latency and service time of
// the requests that did not fail. The successes get histograms of their
// own only from the interval's first failure (split): until then every
// request recorded was one, and latency and service are theirs too. A run
// without failures never allocates or writes them, two dense histograms
// (376 KB resident once written) per set.
type denseSet struct {
	latency, service     *hdr.Histogram
	latencyOK, serviceOK *hdr.Histogram // nil before the set's first failure; current only while split
	split                bool
}

func newDenseSet() *denseSet { return &denseSet{latency: newDense(), service: newDense()} }

// add records one request: its latency and service time, and both again
// among the successes unless it failed (once they are kept apart).
func (d *denseSet) add(e *entry) {
	if e.failed && !d.split {
		d.splitOK()
	}
	d.latency.RecordValue(int64(e.latency))
	d.service.RecordValue(int64(e.service))
	if d.split && !e.failed {
		d.latencyOK.RecordValue(int64(e.latency))
		d.serviceOK.RecordValue(int64(e.service))
	}
}

// splitOK starts keeping the successes apart, from a copy of everything
// recorded so far in the interval (all of it successes). The copy scans
// the dense histograms once, tens of microseconds, at most once an
// interval.
func (d *denseSet) splitOK() {
	if d.latencyOK == nil {
		d.latencyOK, d.serviceOK = newDense(), newDense()
	}
	d.latencyOK.Merge(d.latency)
	d.serviceOK.Merge(d.service)
	d.split = true
}

// ok returns the histograms of the interval's successes.
func (d *denseSet) ok() (latency, service *hdr.Histogram) {
	if d.split {
		return d.latencyOK, d.serviceOK
	}
	return d.latency, d.service
}

func (d *denseSet) reset() {
	resetDense(d.latency)
	resetDense(d.service)
	if d.split {
		resetDense(d.latencyOK)
		resetDense(d.serviceOK)
		d.split = false
	}
}

// becomeHot makes the endpoint hot if it has taken hotAfter requests in
// this interval and fewer than maxHot endpoints are. Called by a drain
// holding the endpoint's lock: the rest of the interval goes into dense
// histograms, the part before stays in the work copy. The other
// accumulator gets its dense set at the next swap (withHotSets).
func (r *Recorder) becomeHot(ep *endpointAcc) {
	if ep.hot != nil || ep.requests < hotAfter {
		return
	}
	if r.hot.Add(1) > maxHot {
		r.hot.Add(-1)
		return
	}
	ep.hot = newDenseSet()
}

// withHotSets gives the accumulator starting now a dense set for every
// endpoint that is hot in the closed one. The caller holds r.mu for
// writing, before any drain into r.cur.
func (r *Recorder) withHotSets(closed *accumulator) {
	for _, e := range closed.touched {
		if closed.eps[e].hot != nil && r.cur.eps[e].hot == nil {
			r.cur.eps[e].hot = newDenseSet()
		}
	}
}

// publishHot builds the statistics of the hot endpoints the closed
// interval touched: its work copy if it became hot during the interval,
// else a copy of the last published statistics, with the interval's
// counts and dense histograms added. No lock is needed: once an endpoint
// is hot, drains never read its published statistics (they have no work
// copy to make).
func (r *Recorder) publishHot(closed *accumulator, published []*Stats) {
	for _, e := range closed.touched {
		ep := &closed.eps[e]
		if ep.hot == nil {
			continue
		}
		s := ep.work
		if s == nil {
			c := published[e].Clone()
			s = &c
		}
		ep.fold(s)
		r.addDense(s.Latency, ep.hot.latency)
		r.pauseHere()
		r.addDense(s.Service, ep.hot.service)
		r.pauseHere()
		latencyOK, serviceOK := ep.hot.ok()
		r.addDense(s.LatencyOK, latencyOK)
		r.pauseHere()
		r.addDense(s.ServiceOK, serviceOK)
		r.pauseHere()
		published[e] = s
	}
}

// addDense adds a dense histogram to a sparse one: first into an empty
// sparse scratch, where the buckets arrive in order and are appended, then
// in one linear merge, rather than by a search for each bucket.
func (r *Recorder) addDense(dst *hdr.PackedHistogram, src *hdr.Histogram) {
	r.scratch.Reset()
	r.scratch.MergeFrom(src)
	dst.Merge(r.scratch)
}
