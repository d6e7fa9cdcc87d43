package coord

import (
	"maps"
	"strconv"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// View turns merged seconds into the snapshots a live run's outputs read
// (progress line, dashboard, thresholds and alerts), with totals that are
// the sums of the seconds so far. A second of the results file holds
// every endpoint's latency together but only counts per endpoint, so the
// endpoints' totals have counts and empty histograms; bytes are not in
// the seconds either (the final merge has them).
type View struct {
	start     time.Time
	total     metrics.Stats
	endpoints []metrics.Stats
	vus       metrics.VUs
	counters  map[string]int64
}

// NewView starts a view of a test that started at start (the
// coordinator's clock) recording endpoints, whose seconds last one second
// (the last one less).
func NewView(start time.Time, endpoints []string) *View {
	v := &View{start: start, total: metrics.NewStats(""), counters: map[string]int64{}}
	for _, e := range endpoints {
		v.endpoints = append(v.endpoints, metrics.NewStats(e))
	}
	return v
}

// Snapshot adds one merged second and returns the snapshot of the test
// at its end; final marks the last.
func (v *View) Snapshot(iv results.Interval, final bool) (metrics.Snapshot, error) {
	stats, err := statsOf(iv)
	if err != nil {
		return metrics.Snapshot{}, err
	}
	d := time.Duration(iv.DurationS * float64(time.Second))
	mi := metrics.Interval{Index: iv.Index, Start: iv.Start, Duration: d, Stats: stats,
		VUs:       metrics.VUs{Created: iv.VUsers.Created, Completed: iv.VUsers.Completed, Failed: iv.VUsers.Failed, Dropped: iv.Dropped},
		ActiveVUs: iv.ActiveVUs, InFlight: iv.InFlight, MaxActive: iv.MaxActiveVUs, Counters: iv.Counters}
	for i, c := range iv.Endpoints {
		mc := metrics.Count{Requests: c.Requests, Errors: c.Errors, Failures: c.Failures, Codes: intCodes(c.Codes), Kinds: c.ErrorKind}
		mi.Endpoints = append(mi.Endpoints, mc)
		if i < len(v.endpoints) {
			e := &v.endpoints[i]
			e.Requests, e.Errors, e.Failures = e.Requests+c.Requests, e.Errors+c.Errors, e.Failures+c.Failures
			for code, n := range mc.Codes {
				e.Codes[code] += n
			}
			for kind, n := range mc.Kinds {
				e.Kinds[kind] += n
			}
		}
	}
	v.total.Add(stats)
	v.vus.Add(mi.VUs)
	for k, n := range iv.Counters {
		v.counters[k] += n
	}
	// Elapsed counts plan seconds, not a worker's clock.
	elapsed := time.Duration(iv.Index)*time.Second + d
	return metrics.Snapshot{Start: v.start, Elapsed: elapsed, Since: v.start, Interval: mi,
		Total: v.total.Clone(), Endpoints: v.cloneEndpoints(), VUs: v.vus, Counters: maps.Clone(v.counters), Final: final}, nil
}

func (v *View) cloneEndpoints() []metrics.Stats {
	out := make([]metrics.Stats, len(v.endpoints))
	for i, e := range v.endpoints {
		out[i] = e.Clone()
	}
	return out
}

// intCodes reads status codes written as text; nil for none.
func intCodes(codes map[string]int64) map[int]int64 {
	var out map[int]int64
	for code, n := range codes {
		if c, err := strconv.Atoi(code); err == nil {
			if out == nil {
				out = make(map[int]int64, len(codes))
			}
			out[c] += n
		}
	}
	return out
}

// statsOf is a second's statistics with its histograms decoded.
func statsOf(iv results.Interval) (metrics.Stats, error) {
	s := metrics.NewStats("")
	s.Requests, s.Errors, s.Failures = iv.Requests, iv.Errors, iv.Failures
	maps.Copy(s.Codes, intCodes(iv.Codes))
	maps.Copy(s.Kinds, iv.ErrorKind)
	var err error
	if iv.Hist.Latency != "" {
		if s.Latency, err = metrics.DecodeHistogram(iv.Hist.Latency); err != nil {
			return s, err
		}
	}
	if iv.Hist.Service != "" {
		if s.Service, err = metrics.DecodeHistogram(iv.Hist.Service); err != nil {
			return s, err
		}
	}
	if s.LatencyOK, err = decodeOK(iv.Hist.LatencyOK); err != nil {
		return s, err
	}
	s.ServiceOK, err = decodeOK(iv.Hist.ServiceOK)
	return s, err
}

// decodeOK decodes a histogram of the requests that did not fail: nil,
// not recorded, unless the second holds it (a worker of an earlier Surge
// does not).
func decodeOK(enc string) (*hdr.PackedHistogram, error) {
	if enc == "" {
		return nil, nil
	}
	return metrics.DecodeHistogram(enc)
}
