package metrics

import (
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// accumulator is the interval in progress, for all shards together: shards
// drain into it, holding the recorder's lock for reading, the
// accumulator's own lock for the totals and each endpoint's lock for that
// endpoint, so that drains to different endpoints run in parallel. The
// recorder keeps two accumulators and swaps them at each Flush (holding
// its lock for writing, so no drain is half done), and recording carries
// on into one while the flusher turns the other into a snapshot.
//
// The interval's totals for all endpoints together go into dense
// histograms (an array increment per value), turned into sparse ones once
// per interval. Per endpoint, an interval only needs counts: the
// endpoint's statistics since the start are updated in place, in a
// private copy ("work") of the last published ones, taken at the
// endpoint's first request of the interval. At the swap, that copy
// becomes the published statistics, read-only from then on; nothing is
// merged at flush time, and the cost of an endpoint is the size of its
// histograms, not the size of their geometry.
type accumulator struct {
	mu    sync.Mutex // guards the fields up to eps
	all   tally
	codes [maxCode]int64
	kinds [MaxErrorKinds]int64
	// totals is every endpoint together, made once an interval has had
	// more than fewMax requests; until then they wait in few. Its dense
	// histograms are 0.4 MB, 0.75 MB once a request failed (twice that for
	// both accumulators), and reading
	// them into a snapshot touches every page: for a one-request run that
	// was a garbage collection and a fifth of its page faults, and a test
	// of a few requests a second needs none of it.
	totals  *denseSet
	few     []entry
	touched []int32       // endpoints with requests, in order of first request
	eps     []endpointAcc // each under its own lock
}

// tally is what is summed per request.
type tally struct {
	requests, errors, failures, bytesSent, bytesRecv int64
}

func (t *tally) add(e *entry) {
	t.requests++
	t.bytesSent += e.bytesSent
	t.bytesRecv += e.bytesRecv
	if e.failed {
		t.failures++
	}
	if e.kind != NoError {
		t.errors++
	}
}

func (t *tally) addTo(s *Stats) {
	s.Requests += t.requests
	s.Errors += t.errors
	s.Failures += t.failures
	s.BytesSent += t.bytesSent
	s.BytesRecv += t.bytesRecv
}

// endpointAcc is one endpoint's part of the interval in progress. Counts
// are kept here and folded into the statistics at the swap. Durations go
// into work, a private copy of the published statistics, or, for a busy
// endpoint (see hot.go), into dense histograms of the interval alone.
type endpointAcc struct {
	mu    sync.Mutex
	tally                       // this interval only
	codes []keyCount[uint16]    // this interval only
	kinds []keyCount[ErrorKind] // this interval only
	work  *Stats                // since Since; nil before the first request, and always for a hot endpoint
	hot   *denseSet             // set for good once the endpoint is hot
	_     [16]byte              // 128 bytes in all: neighbours' locks on separate cache lines
}

// keyCount is one entry of a short list of counts: an endpoint sees few
// distinct status codes and error kinds, so a list searched in order is
// faster than a map and smaller than an array of every code.
type keyCount[K comparable] struct {
	key K
	n   int64
}

func bump[K comparable](list []keyCount[K], key K) []keyCount[K] {
	for i := range list {
		if list[i].key == key {
			list[i].n++
			return list
		}
	}
	return append(list, keyCount[K]{key, 1})
}

// fold adds the interval's counts to s; called once no shard drains into
// the accumulator.
func (ep *endpointAcc) fold(s *Stats) *Stats {
	ep.tally.addTo(s)
	for _, c := range ep.codes {
		s.Codes[int(c.key)] += c.n
	}
	for _, k := range ep.kinds {
		s.Kinds[k.key.String()] += k.n
	}
	return s
}

func newAccumulator(endpoints int) *accumulator {
	return &accumulator{eps: make([]endpointAcc, endpoints)}
}

// addAll adds a drained shard buffer; the caller holds the recorder's lock
// for reading.
func (r *Recorder) addAll(a *accumulator, es []entry) {
	a.mu.Lock()
	for i := range es {
		a.addTotal(&es[i])
	}
	a.mu.Unlock()
	for i := 0; i < len(es); {
		j := i + 1
		for j < len(es) && es[j].endpoint == es[i].endpoint {
			j++
		}
		r.addEndpoint(a, es[i:j])
		i = j
	}
}

func (a *accumulator) addTotal(e *entry) {
	a.all.add(e)
	if e.kind != NoError {
		a.kinds[e.kind]++
	} else if e.status != 0 {
		a.codes[e.status]++
	}
	if a.totals == nil {
		if len(a.few) < fewMax {
			a.few = append(a.few, *e)
			return
		}
		a.totals = newDenseSet()
		for i := range a.few {
			a.totals.add(&a.few[i])
		}
		a.few = a.few[:0]
	}
	a.totals.add(e)
}

// fewMax is how many requests an interval's totals hold before they take
// dense histograms: up to it, a snapshot records them into its sparse
// histograms one by one, which costs less than reading dense ones.
const fewMax = 128

// addFew records the requests waiting in few into s.
func (a *accumulator) addFew(s *Stats) {
	for i := range a.few {
		e := &a.few[i]
		s.Latency.RecordValue(int64(e.latency))
		s.Service.RecordValue(int64(e.service))
		if !e.failed {
			s.LatencyOK.RecordValue(int64(e.latency))
			s.ServiceOK.RecordValue(int64(e.service))
		}
	}
}

// addEndpoint adds requests that all went to one endpoint. Its work copy
// starts from the endpoint's last published statistics.
func (r *Recorder) addEndpoint(a *accumulator, es []entry) {
	e := es[0].endpoint
	ep := &a.eps[e]
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.requests == 0 {
		a.mu.Lock()
		a.touched = append(a.touched, int32(e))
		a.mu.Unlock()
	}
	if ep.work == nil && ep.hot == nil {
		w := r.published[e].Clone()
		ep.work = &w
	}
	for i := range es {
		ep.add(&es[i])
		r.becomeHot(ep)
	}
}

func (ep *endpointAcc) add(e *entry) {
	ep.tally.add(e)
	if e.kind != NoError {
		ep.kinds = bump(ep.kinds, e.kind)
	} else if e.status != 0 {
		ep.codes = bump(ep.codes, e.status)
	}
	if ep.hot != nil {
		ep.hot.add(e)
		return
	}
	ep.work.Latency.RecordValue(int64(e.latency))
	ep.work.Service.RecordValue(int64(e.service))
	if !e.failed {
		ep.work.LatencyOK.RecordValue(int64(e.latency))
		ep.work.ServiceOK.RecordValue(int64(e.service))
	}
}

// clear empties the accumulator for the next interval but one, keeping its
// memory. The work copies it built now belong to the published statistics;
// hot endpoints keep their (emptied) dense histograms.
func (a *accumulator) clear() {
	for _, e := range a.touched {
		ep := &a.eps[e]
		ep.tally, ep.codes, ep.kinds, ep.work = tally{}, ep.codes[:0], ep.kinds[:0], nil
		if ep.hot != nil {
			ep.hot.reset()
		}
	}
	a.touched = a.touched[:0]
	a.all = tally{}
	a.codes = [maxCode]int64{}
	a.kinds = [MaxErrorKinds]int64{}
	a.few = a.few[:0]
	if a.totals != nil {
		a.totals.reset()
	}
}

// resetDense clears h unless it is already empty: a reset writes every
// page of its counts, and an idle interval (or one without a success)
// left them untouched.
func resetDense(h *hdr.Histogram) {
	if h.TotalCount() > 0 {
		h.Reset()
	}
}
