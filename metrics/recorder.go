package metrics

import (
	"fmt"
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
//
// Memory is laid out so that it does not grow with shards × endpoints:
// each shard holds only a small buffer of raw requests (plus VU and
// counter tallies); the interval in progress is accumulated once for all
// shards (see accumulator), and the statistics since the start exist once
// per endpoint, published read-only in snapshots, plus the copy being
// built for the interval in progress. Histograms are sparse, so an
// endpoint costs in proportion to the latencies it saw.
type Recorder struct {
	names  []string
	shards []shard
	start  time.Time

	active    atomic.Int64
	maxActive atomic.Int64
	inFlight  atomic.Int64

	resetPending atomic.Bool
	failures     vuFailures
	hot          atomic.Int32 // endpoints made hot (see hot.go)

	// mu guards cur, spare and published: shards drain into cur holding
	// it for reading, one buffer at a time; Flush swaps cur and spare and
	// writes published holding it for writing.
	mu        sync.RWMutex
	cur       *accumulator
	spare     *accumulator
	published []*Stats // per endpoint, read-only once published

	// Owned by the goroutine that calls Flush.
	scratch  *hdr.PackedHistogram // for addDense
	pause    func()               // see SetPause
	index    int
	last     time.Time
	since    time.Time
	first    int
	total    Stats
	vus      VUs
	counters map[string]int64
}

// NewRecorder returns a recorder for the named endpoints, starting at start.
// shards is how many independent locks recording is spread over; 0 picks
// twice GOMAXPROCS.
func NewRecorder(endpoints []string, shards int, start time.Time) *Recorder {
	if shards <= 0 {
		shards = 2 * runtime.GOMAXPROCS(0)
	}
	r := &Recorder{names: endpoints, shards: make([]shard, shards), start: start, last: start, since: start}
	r.cur = newAccumulator(len(endpoints))
	r.spare = newAccumulator(len(endpoints))
	r.published = make([]*Stats, len(endpoints))
	r.scratch = NewHistogram()
	r.clearPublished()
	r.total = NewStats("")
	r.counters = map[string]int64{}
	return r
}

// Endpoints returns the endpoint names in index order.
func (r *Recorder) Endpoints() []string { return r.names }

// Shards is the number of shards; callers spread work by id % Shards().
func (r *Recorder) Shards() int { return len(r.shards) }

// Record adds one finished request. key picks the shard (a VU id does).
// It takes the shard's lock and, once every shardBuffer requests, the
// recorder's lock to move the shard's buffer into the interval.
func (r *Recorder) Record(key uint64, s *Sample) {
	if uint(s.Endpoint) >= uint(len(r.names)) {
		panic(fmt.Sprintf("metrics: endpoint %d out of range (%d endpoints)", s.Endpoint, len(r.names)))
	}
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	if sh.n == len(sh.buf) {
		r.drain(sh)
	}
	sh.buf[sh.n] = newEntry(s)
	sh.n++
	sh.mu.Unlock()
}

// drain moves a shard's buffered requests into the interval in progress;
// the caller holds the shard's lock. Lock order: shard, recorder (read),
// endpoint, accumulator.
func (r *Recorder) drain(sh *shard) {
	if sh.n == 0 {
		return
	}
	r.mu.RLock()
	r.addAll(r.cur, sh.buf[:sh.n])
	r.mu.RUnlock()
	sh.n = 0
}

// Span numbers the spans of statistics a test's resets divide it into
// (see Reset): 0 until the first reset, then one more at each.
type Span uint32

// VUStarted counts a VU that began its flow and returns the span it
// started in, which its VUFinished is given back.
func (r *Recorder) VUStarted(key uint64) Span {
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	sh.vus.Created++
	span := sh.span
	sh.mu.Unlock()
	n := r.active.Add(1)
	for {
		m := r.maxActive.Load()
		if n <= m || r.maxActive.CompareAndSwap(m, n) {
			return span
		}
	}
}

// VUFinished counts a VU that ended, given the key and the span of its
// VUStarted. reason is "" for a VU that completed; for one that failed
// it says why, as a short code (EINVALIDURL, ETIMEDOUT, a failed
// capture, …), and message is the text of the error, of which the first
// per reason is kept for the summary.
//
// A VU counts in the span it started in, so that a span never has more
// VUs completed and failed than created: the end of one that started
// before a reset is left out of the new span (its requests are not; they
// count when they complete, as every request does). The span travels
// with the VU because its shard cannot tell old VUs from new ones.
func (r *Recorder) VUFinished(key uint64, span Span, reason, message string) {
	r.active.Add(-1)
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	counted := span == sh.span
	switch {
	case !counted:
	case reason != "":
		sh.vus.Failed++
	default:
		sh.vus.Completed++
	}
	sh.mu.Unlock()
	if counted && reason != "" {
		r.failures.add(reason, message)
	}
}

// Dropped counts an arrival that was not started because of maxVusers.
func (r *Recorder) Dropped(key uint64) {
	r.bumpVUs(key, func(v *VUs) { v.Dropped++ })
}

// DroppedMany counts n arrivals that were not started at once: the rest
// of a schedule that the generator could not pace before its last start.
func (r *Recorder) DroppedMany(key uint64, n int64) {
	r.bumpVUs(key, func(v *VUs) { v.Dropped += n })
}

func (r *Recorder) bumpVUs(key uint64, f func(*VUs)) {
	sh := &r.shards[key%uint64(len(r.shards))]
	sh.mu.Lock()
	f(&sh.vus)
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
