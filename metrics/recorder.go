package metrics

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Sample is one finished request.
type Sample struct {
	Endpoint int           // index into the recorder's endpoint names
	Latency  time.Duration // completion minus intended start
	Service  time.Duration // completion minus actual send
	Status   int           // 0 when there was no response
	Err      ErrorKind     // NoError when a response arrived
	// Failed marks a request the test counts as a failure: an error, or a
	// response whose status the test did not expect (engine.Test.Expect).
	// Errors are a subset of failures.
	Failed    bool
	BytesSent int64
	BytesRecv int64
}

// Recorder collects samples from many goroutines. Create it with
// NewRecorder; the zero value is not usable.
type Recorder struct {
	names  []string
	shards []shard
	start  time.Time

	active    atomic.Int64
	maxActive atomic.Int64
	inFlight  atomic.Int64

	resetPending atomic.Bool
	failures     vuFailures

	// Owned by the goroutine that calls Flush.
	index     int
	last      time.Time
	total     Stats
	endpoints []Stats
	vus       VUs
	counters  map[string]int64
}

// shard is recorded into under its own lock. Padding keeps neighbouring
// shard locks off one cache line.
type shard struct {
	mu        sync.Mutex
	endpoints []endpointStats // cumulative, per endpoint
	iv        intervalStats   // the current interval, all endpoints
	_         [64]byte
}

type endpointStats struct {
	requests, errors     int64
	failures             int64
	bytesSent, bytesRecv int64
	codes                [600]int64
	kinds                [MaxErrorKinds]int64
	latency, service     *hdr.Histogram
	ivRequests, ivErrors int64
	ivFailures           int64
}

type intervalStats struct {
	endpointStats
	vus      VUs
	counters [MaxCounters]int64
}

// NewRecorder returns a recorder for the named endpoints, starting at start.
// shards is how many independent locks recording is spread over; 0 picks
// twice GOMAXPROCS.
func NewRecorder(endpoints []string, shards int, start time.Time) *Recorder {
	if shards <= 0 {
		shards = 2 * runtime.GOMAXPROCS(0)
	}
	r := &Recorder{names: endpoints, shards: make([]shard, shards), start: start, last: start}
	for i := range r.shards {
		r.shards[i].endpoints = make([]endpointStats, len(endpoints))
		for e := range endpoints {
			r.shards[i].endpoints[e].latency = NewHistogram()
			r.shards[i].endpoints[e].service = NewHistogram()
		}
		r.shards[i].iv.latency = NewHistogram()
		r.shards[i].iv.service = NewHistogram()
	}
	r.total = NewStats("")
	r.counters = map[string]int64{}
	for _, n := range endpoints {
		r.endpoints = append(r.endpoints, NewStats(n))
	}
	return r
}

// Endpoints returns the endpoint names in index order.
func (r *Recorder) Endpoints() []string { return r.names }

// Shards is the number of shards; callers spread work by id % Shards().
func (r *Recorder) Shards() int { return len(r.shards) }

// Record adds one finished request. key picks the shard (a VU id does).
func (r *Recorder) Record(key uint64, s *Sample) {
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	sh.endpoints[s.Endpoint].add(s)
	sh.endpoints[s.Endpoint].ivRequests++
	if s.Err != NoError {
		sh.endpoints[s.Endpoint].ivErrors++
	}
	if s.Failed {
		sh.endpoints[s.Endpoint].ivFailures++
	}
	sh.iv.add(s)
	sh.mu.Unlock()
}

func (e *endpointStats) add(s *Sample) {
	e.requests++
	e.bytesSent += s.BytesSent
	e.bytesRecv += s.BytesRecv
	if s.Failed {
		e.failures++
	}
	if s.Err != NoError {
		e.errors++
		e.kinds[s.Err]++
	} else if s.Status > 0 && s.Status < len(e.codes) {
		e.codes[s.Status]++
	}
	e.latency.RecordValue(micros(s.Latency))
	e.service.RecordValue(micros(s.Service))
}

// VUStarted counts a VU that began its flow and returns how many run now.
func (r *Recorder) VUStarted(key uint64) int64 {
	r.bumpVUs(key, func(v *VUs) { v.Created++ })
	n := r.active.Add(1)
	for {
		m := r.maxActive.Load()
		if n <= m || r.maxActive.CompareAndSwap(m, n) {
			return n
		}
	}
}

// VUFinished counts a VU that ended. reason is "" for a VU that
// completed; for one that failed it says why, as a short code
// (EINVALIDURL, ETIMEDOUT, a failed capture, …), and message is the text
// of the error, of which the first per reason is kept for the summary.
func (r *Recorder) VUFinished(key uint64, reason, message string) {
	r.active.Add(-1)
	r.bumpVUs(key, func(v *VUs) {
		if reason != "" {
			v.Failed++
		} else {
			v.Completed++
		}
	})
	if reason != "" {
		r.failures.add(reason, message)
	}
}

// Dropped counts an arrival that was not started because of maxVusers.
func (r *Recorder) Dropped(key uint64) {
	r.bumpVUs(key, func(v *VUs) { v.Dropped++ })
}

func (r *Recorder) bumpVUs(key uint64, f func(*VUs)) {
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	f(&sh.iv.vus)
	sh.mu.Unlock()
}

// ActiveVUs is how many VUs run now.
func (r *Recorder) ActiveVUs() int64 { return r.active.Load() }

// RequestStarted and RequestDone track requests in flight.
func (r *Recorder) RequestStarted() { r.inFlight.Add(1) }

// RequestDone is the counterpart of RequestStarted.
func (r *Recorder) RequestDone() { r.inFlight.Add(-1) }

// InFlight is how many requests are in flight now.
func (r *Recorder) InFlight() int64 { return r.inFlight.Load() }
