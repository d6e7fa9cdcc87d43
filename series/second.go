package series

import (
	"strings"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Sample is what one second measured, for every endpoint together or for
// one endpoint.
type Sample struct {
	Requests int64 // completed, with or without a response
	Errors   int64 // no response
	Failures int64 // errors plus responses with an unexpected status
	// Latency holds the second's latencies in microseconds; nil where the
	// source keeps none (a results file keeps none per endpoint and second).
	Latency *hdr.PackedHistogram
	// LatencyOK is Latency for the requests that did not fail; nil where
	// the source keeps none (as Latency, and a results file of a Surge
	// that did not record it).
	LatencyOK *hdr.PackedHistogram
}

// Second is one second of a run.
type Second struct {
	Index     int // seconds since the start of the run
	Start     time.Time
	Duration  time.Duration
	Total     Sample
	Endpoints map[string]Sample
	ActiveVUs int64 // running when the second closed
	MaxVUs    int64 // most running during the second
	// Monitor holds the target's series: a gauge as scraped when the
	// second closed, a counter (see IsCounter) as its increase since the
	// previous scrape.
	Monitor map[string]float64
	// Reset marks the first second counted after the statistics were
	// reset (the dashboard's "Reset statistics"): what a rule judges
	// "over the run" starts again here. Never set on the run's first
	// second.
	Reset bool
}

// Whole reports whether the second lasted a whole second. Only a run's
// last second falls short: the fraction after its last whole one, mostly
// the wait for requests in flight. A period or a window that ends on it
// is one the run did not complete, so it is not evaluated: a period of
// 1 s ending on a tail of 1 ms and one request is not a second of one
// request.
func (s Second) Whole() bool { return s.Duration >= time.Second }

// IsCounter reports whether a series is a counter by Prometheus' naming
// conventions: a name ending in _total, or the _count and _sum of a
// histogram or summary. A rule on a counter reads its increase: the
// number of throttles in a period, not how many since the target started.
func IsCounter(series string) bool {
	name, _, _ := strings.Cut(series, "{")
	return strings.HasSuffix(name, "_total") || strings.HasSuffix(name, "_count") || strings.HasSuffix(name, "_sum")
}

// increases turns raw scrapes into a Second's Monitor: counters become
// their increase since prev (a counter that went down restarted, so all
// of its value is new, as Prometheus' rate() reads it); a counter seen
// for the first time has no increase yet and is left out.
func increases(raw, prev map[string]float64) map[string]float64 {
	if len(raw) == 0 {
		return nil
	}
	out := make(map[string]float64, len(raw))
	for k, v := range raw {
		if !IsCounter(k) {
			out[k] = v
			continue
		}
		p, ok := prev[k]
		switch {
		case !ok:
		case v >= p:
			out[k] = v - p
		default:
			out[k] = v
		}
	}
	return out
}
