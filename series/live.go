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
	// LatencyOK names the endpoints whose latency of the requests that
	// did not fail each second is wanted, as Latency does.
	LatencyOK map[string]bool

	prevLatency, prevLatencyOK map[string]*hdr.PackedHistogram
	prevMonitor                map[string]float64
}

// Second is s as a Second; monitor is the target's series scraped during
// the snapshot's interval (nil without a monitor).
func (l *Live) Second(s *metrics.Snapshot, monitor map[string]float64) Second {
	iv := s.Interval
	out := Second{
		Index: iv.Index, Start: iv.Start, Duration: iv.Duration,
		Total: Sample{Requests: iv.Stats.Requests, Errors: iv.Stats.Errors, Failures: iv.Stats.Failures,
			Latency: iv.Stats.Latency, LatencyOK: iv.Stats.LatencyOK},
		Endpoints: make(map[string]Sample, len(s.Endpoints)),
		ActiveVUs: iv.ActiveVUs, MaxVUs: iv.MaxActive,
		Monitor: increases(monitor, l.prevMonitor),
		Reset:   iv.Index > 0 && s.FirstInterval == iv.Index,
	}
	// The totals cover this interval alone at the start and right after a
	// reset: the difference is then from nothing.
	fresh := s.FirstInterval == iv.Index
	latency := make(map[string]*hdr.PackedHistogram, len(s.Endpoints))
	latencyOK := make(map[string]*hdr.PackedHistogram, len(s.Endpoints))
	for i, e := range s.Endpoints {
		smp := Sample{}
		if i < len(iv.Endpoints) {
			c := iv.Endpoints[i]
			smp = Sample{Requests: c.Requests, Errors: c.Errors, Failures: c.Failures}
		}
		smp.Latency = perSecond(l.Latency, e.Name, e.Latency, l.prevLatency, latency, fresh)
		smp.LatencyOK = perSecond(l.LatencyOK, e.Name, e.LatencyOK, l.prevLatencyOK, latencyOK, fresh)
		out.Endpoints[e.Name] = smp
	}
	l.prevLatency, l.prevLatencyOK = latency, latencyOK
	l.prevMonitor = maps.Clone(monitor)
	return out
}

// perSecond is an endpoint's histogram of one second: its histogram since
// the start now less the one of the previous snapshot (prev), or less
// nothing when fresh. It keeps now in next for the next second. nil when
// the endpoint is not wanted, or now was not recorded.
func perSecond(wanted map[string]bool, name string, now *hdr.PackedHistogram, prev, next map[string]*hdr.PackedHistogram, fresh bool) *hdr.PackedHistogram {
	if wanted != nil && !wanted[name] || now == nil {
		return nil
	}
	var before *hdr.PackedHistogram
	if !fresh {
		before = prev[name]
	}
	next[name] = now
	return difference(now, before)
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
