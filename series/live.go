package series

import (
	"maps"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// Live turns a running test's snapshots into seconds. A snapshot holds
// per-endpoint latency only since the start (or the last reset), so Live
// keeps the previous totals and takes each second's as the difference.
// The zero value is ready; feed it every snapshot in order.
type Live struct {
	// Latency names the endpoints whose latency each second is wanted;
	// nil wants every endpoint's. The difference costs a pass over the
	// endpoint's histogram each second, which thousands of endpoints
	// nobody watches need not pay.
	Latency map[string]bool

	prevLatency map[string]*hdr.PackedHistogram
	prevMonitor map[string]float64
}

// Second is s as a Second; monitor is the target's series scraped during
// the snapshot's interval (nil without a monitor).
func (l *Live) Second(s *metrics.Snapshot, monitor map[string]float64) Second {
	iv := s.Interval
	out := Second{
		Index: iv.Index, Start: iv.Start, Duration: iv.Duration,
		Total: Sample{Requests: iv.Stats.Requests, Errors: iv.Stats.Errors, Failures: iv.Stats.Failures,
			Latency: iv.Stats.Latency},
		Endpoints: make(map[string]Sample, len(s.Endpoints)),
		ActiveVUs: iv.ActiveVUs, MaxVUs: iv.MaxActive,
		Monitor: increases(monitor, l.prevMonitor),
		Reset:   iv.Index > 0 && s.FirstInterval == iv.Index,
	}
	// The totals cover this interval alone at the start and right after a
	// reset: the difference is then from nothing.
	fresh := s.FirstInterval == iv.Index
	latency := make(map[string]*hdr.PackedHistogram, len(s.Endpoints))
	for i, e := range s.Endpoints {
		smp := Sample{}
		if i < len(iv.Endpoints) {
			c := iv.Endpoints[i]
			smp = Sample{Requests: c.Requests, Errors: c.Errors, Failures: c.Failures}
		}
		if l.Latency == nil || l.Latency[e.Name] {
			var before *hdr.PackedHistogram
			if !fresh {
				before = l.prevLatency[e.Name]
			}
			smp.Latency = difference(e.Latency, before)
			latency[e.Name] = e.Latency
		}
		out.Endpoints[e.Name] = smp
	}
	l.prevLatency = latency
	l.prevMonitor = maps.Clone(monitor)
	return out
}

// difference is the histogram of the values in now that were not in
// before (now's counts minus before's, bucket by bucket). Snapshots never
// change a histogram they handed out, so before is now's past.
func difference(now, before *hdr.PackedHistogram) *hdr.PackedHistogram {
	out := metrics.NewHistogram()
	if now == nil {
		return out
	}
	now.ForEachBucket(func(value, count int64) bool {
		if before != nil {
			count -= before.CountAtValue(value)
		}
		if count > 0 {
			_ = out.RecordValues(value, count) // value came from a histogram of the same geometry
		}
		return true
	})
	return out
}
