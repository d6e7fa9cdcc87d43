package metrics

import (
	"maps"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Stats is what was measured for one endpoint, or for all of them, over
// some span of time. Stats in a snapshot are read-only: the recorder never
// changes them after handing them out, and may hand the same maps and
// histograms out again in later snapshots while they do not change, so
// that keeping a snapshot is safe and each one costs little. Use Clone for
// a copy to change.
type Stats struct {
	Name      string
	Requests  int64            // requests that completed, with or without a response
	Errors    int64            // requests that got no response
	Failures  int64            // errors plus responses with an unexpected status
	Codes     map[int]int64    // responses by status code
	Kinds     map[string]int64 // errors by kind name
	BytesSent int64
	BytesRecv int64
	Latency   *hdr.PackedHistogram // from the intended start (coordinated omission corrected)
	Service   *hdr.PackedHistogram // from the actual send
	// LatencyOK is Latency for the requests that did not fail: its count
	// is Requests − Failures. Failures are often fast (a 429 or 503 sent
	// at once) and pull every percentile of Latency down, so a run that
	// fails more would look faster without it.
	LatencyOK *hdr.PackedHistogram
	// ServiceOK is Service for the requests that did not fail, for the
	// same reason: a throttled function's handler runs for its successes,
	// and its instant 429s would make it look shorter.
	ServiceOK *hdr.PackedHistogram
}

// NewStats returns empty statistics with allocated histograms.
func NewStats(name string) Stats {
	return Stats{
		Name:      name,
		Codes:     map[int]int64{},
		Kinds:     map[string]int64{},
		Latency:   NewHistogram(),
		Service:   NewHistogram(),
		LatencyOK: NewHistogram(),
		ServiceOK: NewHistogram(),
	}
}

// Add merges o into s exactly.
func (s *Stats) Add(o Stats) {
	s.Requests += o.Requests
	s.Errors += o.Errors
	s.Failures += o.Failures
	s.BytesSent += o.BytesSent
	s.BytesRecv += o.BytesRecv
	for c, n := range o.Codes {
		s.Codes[c] += n
	}
	for k, n := range o.Kinds {
		s.Kinds[k] += n
	}
	if o.Latency != nil && o.Latency.TotalCount() > 0 {
		s.Latency.Merge(o.Latency)
	}
	if o.Service != nil && o.Service.TotalCount() > 0 {
		s.Service.Merge(o.Service)
	}
	if o.LatencyOK != nil && o.LatencyOK.TotalCount() > 0 {
		if s.LatencyOK == nil {
			s.LatencyOK = NewHistogram()
		}
		s.LatencyOK.Merge(o.LatencyOK)
	}
	if o.ServiceOK != nil && o.ServiceOK.TotalCount() > 0 {
		if s.ServiceOK == nil {
			s.ServiceOK = NewHistogram()
		}
		s.ServiceOK.Merge(o.ServiceOK)
	}
}

// Clone returns a deep copy.
func (s Stats) Clone() Stats {
	c := s
	c.Codes, c.Kinds = maps.Clone(s.Codes), maps.Clone(s.Kinds)
	if c.Codes == nil {
		c.Codes = map[int]int64{}
	}
	if c.Kinds == nil {
		c.Kinds = map[string]int64{}
	}
	c.Latency, c.Service = cloneHistogram(s.Latency), cloneHistogram(s.Service)
	c.LatencyOK, c.ServiceOK = cloneHistogram(s.LatencyOK), cloneHistogram(s.ServiceOK)
	return c
}

func cloneHistogram(h *hdr.PackedHistogram) *hdr.PackedHistogram {
	if h == nil {
		return NewHistogram()
	}
	return h.Clone()
}

// VUs counts virtual users over a span of time.
type VUs struct {
	Created   int64
	Completed int64
	Failed    int64
	Dropped   int64 // arrivals not started because maxVusers was reached
}

// Add sums o into v.
func (v *VUs) Add(o VUs) {
	v.Created += o.Created
	v.Completed += o.Completed
	v.Failed += o.Failed
	v.Dropped += o.Dropped
}

// Interval is one closed second (or the final part of one) of a test.
type Interval struct {
	Index     int       // seconds since the start of the test
	Start     time.Time // wall-clock start of the interval
	Duration  time.Duration
	Stats     Stats   // all endpoints together
	Endpoints []Count // per endpoint requests and errors, in endpoint order
	VUs       VUs
	ActiveVUs int64            // VUs running when the interval closed
	InFlight  int64            // requests in flight when the interval closed
	MaxActive int64            // highest number of VUs running during the interval
	Counters  map[string]int64 // named counters (see Counter) during the interval
	// Generator is what the generator measured of itself during the
	// interval (the engine fills it in; zero from a bare Recorder).
	Generator Generator
}

// Generator is the load generator's watch on itself over one interval
// (package selfwatch judges it).
type Generator struct {
	// Arrivals is how many open-model arrivals began; LagMin, LagP99 and
	// LagMax are how late after their intended time (send lag), a wait
	// for a free connection of a bounded pool included.
	Arrivals               int64
	LagMin, LagP99, LagMax time.Duration
	// Paced is how many arrivals the pacer handed on (begun, queued or
	// dropped): the open model's demand over the interval.
	Paced int64
	// PacerLagMin, PacerLagP99 and PacerLagMax are how late the pacer
	// handed arrivals on (begun or dropped): the generator's own
	// lateness alone.
	PacerLagMin, PacerLagP99, PacerLagMax time.Duration
	// TimerLagP99 is how late the watch's own timer fired (99th
	// percentile), in either load model.
	TimerLagP99 time.Duration
	// CPU is the process's CPU time as a share of Cores, the cores it may
	// use (GOMAXPROCS); Demand is the time its threads ran or waited to
	// run, as the same share. NaN where the platform does not say.
	CPU, Demand float64
	Cores       int
	// ConnsOpened is how many connections were dialled; Conns is the
	// open model's pool of connections (workers) when the interval
	// closed, 0 without one.
	ConnsOpened int64
	Conns       int64
	// PoolWaits is how many of the interval's arrivals found every
	// connection of the open model's growing pool busy at its ceiling,
	// in a second after which it grew: waits for connections it had not
	// opened yet, Surge's shortfall rather than the server's limit (0 for
	// a pool the test bounded, or one that stopped growing because more
	// connections did not help).
	PoolWaits int64
}

// Count is a per-endpoint request, error and failure count inside one
// interval, with the responses by status code and the errors by kind
// (nil when there were none), so that an endpoint's totals can be
// rebuilt from its intervals alone.
type Count struct {
	Requests int64
	Errors   int64
	Failures int64
	Codes    map[int]int64
	Kinds    map[string]int64
}

// RPS is the interval's completed requests per second.
func (iv Interval) RPS() float64 {
	if iv.Duration <= 0 {
		return 0
	}
	return float64(iv.Stats.Requests) / iv.Duration.Seconds()
}

// Snapshot is the state of a test at one moment: the interval that just
// closed and everything measured since the start, or since the statistics
// were last reset (see Recorder.Reset).
type Snapshot struct {
	Start   time.Time
	Elapsed time.Duration // since Start
	// Since is when the span of the totals below began: Start, or the start
	// of the interval in which the statistics were last reset. Rates over
	// the totals divide by the time from Since to Start+Elapsed.
	Since time.Time
	// FirstInterval is the index of the interval that began at Since:
	// the totals are the sum of the intervals from it on.
	FirstInterval int
	Interval      Interval
	Total         Stats            // all endpoints since Since
	Endpoints     []Stats          // per endpoint since Since, in endpoint order
	VUs           VUs              // since Since
	Failures      []VUFailure      // why VUs failed since Since, most frequent first
	Counters      map[string]int64 // named counters since Since
	Final         bool             // the test has ended; no snapshot follows
}

// Span is the time the totals cover: from Since to the end of the
// interval that just closed.
func (s *Snapshot) Span() time.Duration {
	return s.Start.Add(s.Elapsed).Sub(s.Since)
}
