package compare

import (
	"errors"
	"fmt"
	"slices"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	persecond "github.com/surge-dev/surge/series"
)

// Run is one side of a comparison: the per-second intervals of a results
// file inside the window, and each endpoint's latency over the aggregate's
// span.
type Run struct {
	Label     string
	Intervals []Interval
	Endpoints []Endpoint
	// Skipped counts the intervals left out: before a statistics reset or
	// outside the window.
	Skipped int
	// ShortTail is the requests of the intervals left out for being under
	// half a second (a test's last fraction of a second), so that the
	// figures compared can be told from the results file's.
	ShortTail int64
	// Bound says when the run's generator was its own bottleneck ("" when
	// it kept up or the file does not say).
	Bound string
	// Plan is the hash of the run's plan (phases, scenario names and
	// weights, seed: results.Plan.SHA256); "" when the file has none.
	Plan string
	// Expected is the statuses that are not failures, in one spelling
	// (results.Test.Expected): the definition of the run's failures; ""
	// when unknown.
	Expected string
}

// Interval is one second (the last of a run may be shorter).
type Interval struct {
	Seconds float64
	Latency *hdr.PackedHistogram
	// LatencyOK is the latency of the requests that did not fail
	// (hist.latency_ok); nil when the file does not hold it (written
	// before Surge recorded it, or merged from a share without it).
	LatencyOK *hdr.PackedHistogram
	Requests  int64
	Errors    int64
	Failures  int64
	// Endpoints holds the counts of each of the run's endpoints, in the
	// order of Run.Endpoints.
	Endpoints []Counts
	// Monitor holds the target's series scraped in this second (--monitor):
	// a gauge as scraped, a counter as its increase since the previous
	// scrape, as alerts read them (series.IsCounter).
	Monitor map[string]float64
}

// Counts are the request counts of one endpoint in one interval.
type Counts struct {
	Requests, Errors, Failures int64
}

// Endpoint is one endpoint's latency over the aggregate's span: results
// files keep per-second histograms only for all endpoints together.
// Latency is nil when the file holds none of the endpoint's own: a stream
// cut short has only the seconds, and they hold no per-endpoint latency
// (docs/results.md).
// LatencyOK is, the same way, the latency of its requests that did not
// fail, nil when the file does not hold it.
type Endpoint struct {
	Name      string
	Latency   *hdr.PackedHistogram
	LatencyOK *hdr.PackedHistogram
}

// latency is the endpoint's latency `which` (LatencyAll or LatencyOK).
func (e Endpoint) latency(which string) *hdr.PackedHistogram {
	if which == LatencyOK {
		return e.LatencyOK
	}
	return e.Latency
}

// okKnown says whether every interval holds the latency of the requests
// that did not fail.
func (r *Run) okKnown() bool {
	for _, iv := range r.Intervals {
		if iv.LatencyOK == nil {
			return false
		}
	}
	return true
}

// FromResults reads the intervals of r inside w. Intervals before a
// statistics reset never count (the aggregate leaves them out too), nor
// does one shorter than half a second: a test's last interval is the
// fraction of a second after its last full one, mostly the wait for
// requests in flight, whose rates are noise. It fails when a histogram
// does not decode or when the counts disagree with the endpoints.
func FromResults(label string, r *results.Results, w Window) (*Run, error) {
	run := &Run{Label: label, Bound: boundSpans(r), Expected: r.Test.Expected()}
	if r.Plan != nil {
		run.Plan = r.Plan.SHA256
	}
	length := runLength(r.Intervals)
	monitor, err := monitorSeconds(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", label, err)
	}
	for i, iv := range r.Intervals {
		if iv.BeforeReset || iv.DurationS < minSeconds || !w.contains(iv, length) {
			run.Skipped++
			if !iv.BeforeReset && iv.DurationS < minSeconds && w.contains(iv, length) {
				run.ShortTail += iv.Requests
			}
			continue
		}
		conv, err := convertInterval(iv, len(r.Endpoints))
		if err != nil {
			return nil, fmt.Errorf("%s: interval %d: %w", label, i, err)
		}
		if monitor != nil {
			conv.Monitor = monitor[i]
		}
		run.Intervals = append(run.Intervals, conv)
	}
	for _, e := range r.Endpoints {
		ep, err := endpointLatency(e)
		if err != nil {
			return nil, fmt.Errorf("%s: endpoint %q: %w", label, e.Name, err)
		}
		run.Endpoints = append(run.Endpoints, ep)
	}
	return run, nil
}

// endpointLatency decodes an endpoint's latency histograms: nil where the
// file has none (a stream cut short, a file of an earlier Surge), which
// is not an error.
func endpointLatency(e results.Endpoint) (Endpoint, error) {
	out := Endpoint{Name: e.Name}
	if e.Hist.Latency == "" {
		return out, nil
	}
	var err error
	if out.Latency, err = metrics.DecodeHistogram(e.Hist.Latency); err != nil {
		return out, err
	}
	out.LatencyOK, err = okHistogram(e.Hist.LatencyOK, e.Requests-e.Failures)
	return out, err
}

// okHistogram decodes the latency of the requests that did not fail. An
// empty one is known when none of them did (there was nothing to
// record), and unknown (nil) otherwise.
func okHistogram(s string, succeeded int64) (*hdr.PackedHistogram, error) {
	if s == "" && succeeded > 0 {
		return nil, nil
	}
	h, err := decodeOrEmpty(s)
	if err != nil {
		return nil, fmt.Errorf("latency_ok histogram: %w", err)
	}
	return h, nil
}

// monitorSeconds is each interval's monitored series as alerts read
// them (counters as increases, counted from the scrape before even when
// that second is outside the window); nil when nothing was monitored.
func monitorSeconds(r *results.Results) ([]map[string]float64, error) {
	if !slices.ContainsFunc(r.Intervals, func(iv results.Interval) bool { return len(iv.Monitor) > 0 }) {
		return nil, nil
	}
	secs, err := persecond.FromResults(r)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]float64, len(secs))
	for i, s := range secs {
		out[i] = s.Monitor
	}
	return out, nil
}

// minSeconds is the shortest interval compared.
const minSeconds = 0.5

// runLength is the seconds the intervals cover, for windows counted from
// the end.
func runLength(ivs []results.Interval) float64 {
	if len(ivs) == 0 {
		return 0
	}
	last := ivs[len(ivs)-1]
	return float64(last.Index) + last.DurationS
}

func convertInterval(iv results.Interval, endpoints int) (Interval, error) {
	if len(iv.Endpoints) != endpoints {
		return Interval{}, fmt.Errorf("%d endpoint counts for %d endpoints", len(iv.Endpoints), endpoints)
	}
	if iv.DurationS <= 0 {
		return Interval{}, errors.New("duration_s is not positive")
	}
	h, err := decodeOrEmpty(iv.Hist.Latency)
	if err != nil {
		return Interval{}, err
	}
	ok, err := okHistogram(iv.Hist.LatencyOK, iv.Requests-iv.Failures)
	if err != nil {
		return Interval{}, err
	}
	out := Interval{Seconds: iv.DurationS, Latency: h, LatencyOK: ok, Requests: iv.Requests,
		Errors: iv.Errors, Failures: iv.Failures}
	for _, e := range iv.Endpoints {
		out.Endpoints = append(out.Endpoints, Counts{Requests: e.Requests, Errors: e.Errors, Failures: e.Failures})
	}
	return out, nil
}

// decodeOrEmpty decodes a histogram; a second without requests may carry
// none.
func decodeOrEmpty(s string) (*hdr.PackedHistogram, error) {
	if s == "" {
		return metrics.NewHistogram(), nil
	}
	return metrics.DecodeHistogram(s)
}
