package metrics

import (
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Stats is what was measured for one endpoint, or for all of them, over
// some span of time. Stats values handed out by the recorder are owned by
// the receiver: nothing else writes to them.
type Stats struct {
	Name      string
	Requests  int64            // requests that completed, with or without a response
	Errors    int64            // requests that got no response
	Failures  int64            // errors plus responses with an unexpected status
	Codes     map[int]int64    // responses by status code
	Kinds     map[string]int64 // errors by kind name
	BytesSent int64
	BytesRecv int64
	Latency   *hdr.Histogram // from the intended start (coordinated omission corrected)
	Service   *hdr.Histogram // from the actual send
}

// NewStats returns empty statistics with allocated histograms.
func NewStats(name string) Stats {
	return Stats{
		Name:    name,
		Codes:   map[int]int64{},
		Kinds:   map[string]int64{},
		Latency: NewHistogram(),
		Service: NewHistogram(),
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
	if o.Latency != nil {
		s.Latency.Merge(o.Latency)
	}
	if o.Service != nil {
		s.Service.Merge(o.Service)
	}
}

// Clone returns a deep copy.
func (s Stats) Clone() Stats {
	c := NewStats(s.Name)
	c.Add(s)
	return c
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
}

// Count is a per-endpoint request and error count inside one interval.
type Count struct {
	Requests int64
	Errors   int64
	Failures int64
}

// RPS is the interval's completed requests per second.
func (iv Interval) RPS() float64 {
	if iv.Duration <= 0 {
		return 0
	}
	return float64(iv.Stats.Requests) / iv.Duration.Seconds()
}

// Snapshot is the state of a test at one moment: the interval that just
// closed and everything measured since the start.
type Snapshot struct {
	Start     time.Time
	Elapsed   time.Duration
	Interval  Interval
	Total     Stats            // all endpoints since the start
	Endpoints []Stats          // per endpoint since the start, in endpoint order
	VUs       VUs              // since the start
	Failures  []VUFailure      // why VUs failed since the start, most frequent first
	Counters  map[string]int64 // named counters since the start
	Final     bool             // the test has ended; no snapshot follows
}
