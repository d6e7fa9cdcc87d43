package series

import (
	"fmt"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// FromResults returns the seconds of a results file. The file keeps
// latency per second for every endpoint together (of every request, and,
// since Surge records it, of the requests that did not fail) but only
// counts per endpoint and second, so the endpoints' Latency is nil: a rule on one
// endpoint's latency can judge a file only over the whole run. The first
// interval after those marked before_reset is the second marked Reset.
func FromResults(r *results.Results) ([]Second, error) {
	out := make([]Second, 0, len(r.Intervals))
	var prev map[string]float64
	before := false // the previous interval was before a reset
	for _, iv := range r.Intervals {
		s, err := fromInterval(r, iv)
		if err != nil {
			return nil, fmt.Errorf("results interval %d: %w", iv.Index, err)
		}
		s.Monitor = increases(iv.Monitor, prev)
		if iv.Monitor != nil {
			prev = iv.Monitor
		}
		s.Reset = before && !iv.BeforeReset
		before = iv.BeforeReset
		out = append(out, s)
	}
	return out, nil
}

func fromInterval(r *results.Results, iv results.Interval) (Second, error) {
	lat := metrics.NewHistogram()
	if iv.Hist.Latency != "" {
		var err error
		if lat, err = metrics.DecodeHistogram(iv.Hist.Latency); err != nil {
			return Second{}, err
		}
	}
	ok, err := latencyOK(iv)
	if err != nil {
		return Second{}, err
	}
	if len(iv.Endpoints) != 0 && len(iv.Endpoints) != len(r.Endpoints) {
		return Second{}, fmt.Errorf("%d endpoint counts for %d endpoints", len(iv.Endpoints), len(r.Endpoints))
	}
	s := Second{
		Index: iv.Index, Start: iv.Start, Duration: time.Duration(iv.DurationS * float64(time.Second)),
		Total:     Sample{Requests: iv.Requests, Errors: iv.Errors, Failures: iv.Failures, Latency: lat, LatencyOK: ok},
		Endpoints: make(map[string]Sample, len(iv.Endpoints)),
		ActiveVUs: iv.ActiveVUs, MaxVUs: iv.MaxActiveVUs,
	}
	for i, c := range iv.Endpoints {
		s.Endpoints[r.Endpoints[i].Name] = Sample{Requests: c.Requests, Errors: c.Errors, Failures: c.Failures}
	}
	return s, nil
}

// latencyOK is the interval's latency of the requests that did not fail,
// nil when the file does not hold it. A histogram that does not count
// them would judge other requests than the file says: refused.
func latencyOK(iv results.Interval) (*hdr.PackedHistogram, error) {
	if iv.Hist.LatencyOK == "" {
		return nil, nil
	}
	h, err := metrics.DecodeHistogram(iv.Hist.LatencyOK)
	if err == nil && h.TotalCount() != iv.Requests-iv.Failures {
		err = fmt.Errorf("hist.latency_ok holds %d values, but requests less failures are %d", h.TotalCount(), iv.Requests-iv.Failures)
	}
	return h, err
}
