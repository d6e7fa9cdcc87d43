package report

import (
	"math"
	"slices"
	"sort"

	"github.com/surge-dev/surge/results"
)

// DefaultMaxPoints is how many points a time series keeps at most unless
// [Options.MaxPoints] says otherwise: 2,000 covers half an hour at one
// point per second, and a one-hour run in 4-second buckets.
const DefaultMaxPoints = 2000

// maxEndpointSeries caps the per-endpoint rate series: more lines than
// this make an unreadable chart and a large file.
const maxEndpointSeries = 20

// Timeline is the time-series data the charts draw (the "timeline" of
// web/src/charts.js). Every Series is aligned on T, seconds since the start
// of the test. Counts are per second; latencies are milliseconds.
//
// When the run has more intervals than the point budget, consecutive
// intervals are grouped in buckets of BucketS seconds and each bucket
// becomes two points: for rates and gauges its minimum and maximum in the
// order they happened, so spikes and dips survive; for latency its maximum
// twice, the worst case. Endpoints holds the first 20 endpoints.
type Timeline struct {
	BucketS       int               `json:"bucket_s"`
	T             Series            `json:"t"`
	RPS           Series            `json:"rps"`
	Errors        Series            `json:"errors"`
	Dropped       Series            `json:"dropped"`
	InFlight      Series            `json:"in_flight"`
	ActiveVUs     Series            `json:"active_vus"`
	VUsersCreated Series            `json:"vusers_created"`
	Latency       Percentiles       `json:"latency"`
	Service       Percentiles       `json:"service"`
	Codes         map[string]Series `json:"codes"`
	ErrorKind     map[string]Series `json:"errors_by_kind"`
	Endpoints     []EndpointSeries  `json:"endpoints"`
	Monitor       map[string]Series `json:"monitor,omitempty"`
	// LatencyOK is Latency over the requests that did not fail (the
	// intervals' latency_ok_ms), with a gap where none did: fast failures
	// pull Latency down. Nil when no interval recorded it (a file of an
	// earlier Surge).
	LatencyOK *Percentiles `json:"latency_ok,omitempty"`
	// Marks are the alerts' changes of state (results.Results.Alerts).
	Marks []Mark `json:"marks,omitempty"`
	// Bands are the spans in which Surge itself was the bottleneck
	// (results.Results.Generator).
	Bands []Band `json:"bands,omitempty"`
}

// Percentiles are latency percentiles over time, in milliseconds.
type Percentiles struct {
	P50 Series `json:"p50"`
	P95 Series `json:"p95"`
	P99 Series `json:"p99"`
}

// EndpointSeries is one endpoint's request rate over time.
type EndpointSeries struct {
	Name string `json:"name"`
	RPS  Series `json:"rps"`
}

// MinPlottedS is the shortest interval, after the first, that the charts
// plot. A test's last interval is the fraction of a second between the
// last full second and the end, mostly the wait for requests in flight:
// a rate over a few milliseconds of that drawn as the test's last point
// is a spike or a dip that never happened. Intervals of at least half a
// second are plotted, as rates over their real length; shorter ones only
// count in the totals and tables.
const MinPlottedS = 0.5

// BuildTimeline turns the per-second intervals of r into chart series of
// at most maxPoints points each (DefaultMaxPoints if maxPoints < 2). It
// returns nil when r has no intervals to plot.
func BuildTimeline(r *results.Results, maxPoints int) *Timeline {
	ivs := plotted(r.Intervals)
	if len(ivs) == 0 {
		return nil
	}
	if maxPoints < 2 {
		maxPoints = DefaultMaxPoints
	}
	d := sampler{ivs: ivs, k: bucketWidth(len(ivs), maxPoints)}
	tl := &Timeline{
		BucketS:       d.k,
		T:             d.times(),
		RPS:           d.envelope(func(iv *results.Interval) float64 { return iv.RPS }),
		Errors:        d.envelope(func(iv *results.Interval) float64 { return rate(iv, iv.Errors) }),
		Dropped:       d.envelope(func(iv *results.Interval) float64 { return rate(iv, iv.Dropped) }),
		InFlight:      d.envelope(func(iv *results.Interval) float64 { return float64(iv.InFlight) }),
		ActiveVUs:     d.envelope(func(iv *results.Interval) float64 { return float64(iv.ActiveVUs) }),
		VUsersCreated: d.envelope(func(iv *results.Interval) float64 { return rate(iv, iv.VUsers.Created) }),
		Latency:       d.percentiles(func(iv *results.Interval) *results.Latency { return measured(iv, &iv.Latency) }),
		Service:       d.percentiles(func(iv *results.Interval) *results.Latency { return measured(iv, &iv.Service) }),
		LatencyOK:     d.latencyOK(),
		Codes:         d.counts(func(iv *results.Interval) map[string]int64 { return iv.Codes }),
		ErrorKind:     d.counts(func(iv *results.Interval) map[string]int64 { return iv.ErrorKind }),
		Monitor:       d.monitor(),
		Marks:         append(marks(r.Alerts), loadMarks(r.LoadChanges)...),
		Bands:         generatorBands(r.Generator),
	}
	for i, e := range r.Endpoints[:min(len(r.Endpoints), maxEndpointSeries)] {
		tl.Endpoints = append(tl.Endpoints, EndpointSeries{Name: e.Name, RPS: d.envelope(endpointRate(i))})
	}
	return tl
}

// plotted leaves out the intervals too short to plot (see MinPlottedS).
// The first interval is always kept: a test shorter than half a second
// has nothing else. A zero duration (a file that does not record it)
// counts as a whole second.
func plotted(ivs []results.Interval) []results.Interval {
	var out []results.Interval
	for i := range ivs {
		iv := &ivs[i]
		short := iv.Index > 0 && iv.DurationS > 0 && iv.DurationS < MinPlottedS
		switch {
		case short && out == nil:
			out = append(make([]results.Interval, 0, len(ivs)), ivs[:i]...)
		case !short && out != nil:
			out = append(out, *iv)
		}
	}
	if out == nil {
		return ivs
	}
	return out
}

// bucketWidth is the number of intervals per bucket so that n intervals
// make at most maxPoints points: 1 (no downsampling) when they fit,
// otherwise buckets of two points each.
func bucketWidth(n, maxPoints int) int {
	if n <= maxPoints {
		return 1
	}
	buckets := maxPoints / 2
	return (n + buckets - 1) / buckets
}

// rate is a per-interval count per second.
func rate(iv *results.Interval, n int64) float64 {
	if iv.DurationS <= 0 {
		return float64(n)
	}
	return float64(n) / iv.DurationS
}

func endpointRate(i int) func(iv *results.Interval) float64 {
	return func(iv *results.Interval) float64 {
		if i >= len(iv.Endpoints) {
			return 0
		}
		return rate(iv, iv.Endpoints[i].Requests)
	}
}

// sampler downsamples interval columns into buckets of k intervals.
type sampler struct {
	ivs []results.Interval
	k   int
}

// buckets calls f with the bounds [lo, hi) of each bucket.
func (d sampler) buckets(f func(lo, hi int)) {
	for lo := 0; lo < len(d.ivs); lo += d.k {
		f(lo, min(lo+d.k, len(d.ivs)))
	}
}

// times is the x of every point: each interval's second, or for a bucket
// its first second and its middle.
func (d sampler) times() Series {
	out := make(Series, 0, d.points())
	d.buckets(func(lo, hi int) {
		t := float64(d.ivs[lo].Index)
		out = append(out, t)
		if d.k > 1 {
			out = append(out, t+float64(hi-lo)/2)
		}
	})
	return out
}

func (d sampler) points() int {
	if d.k == 1 {
		return len(d.ivs)
	}
	return 2 * ((len(d.ivs) + d.k - 1) / d.k)
}

// envelope keeps each bucket's minimum and maximum, in time order.
func (d sampler) envelope(get func(*results.Interval) float64) Series {
	return d.reduce(get, false)
}

// peak keeps each bucket's maximum.
func (d sampler) peak(get func(*results.Interval) float64) Series {
	return d.reduce(get, true)
}

func (d sampler) reduce(get func(*results.Interval) float64, peak bool) Series {
	out := make(Series, 0, d.points())
	d.buckets(func(lo, hi int) {
		if d.k == 1 {
			out = append(out, get(&d.ivs[lo]))
			return
		}
		a, b := extremes(d.ivs[lo:hi], get)
		if peak {
			a = max(a, b)
			b = a
		}
		out = append(out, a, b)
	})
	return out
}

// extremes returns the minimum and maximum of get over ivs in the order
// they occur, ignoring NaN; both NaN when every value is.
func extremes(ivs []results.Interval, get func(*results.Interval) float64) (first, second float64) {
	lo, hi := -1, -1
	var vlo, vhi float64
	for i := range ivs {
		v := get(&ivs[i])
		if math.IsNaN(v) {
			continue
		}
		if lo < 0 || v < vlo {
			lo, vlo = i, v
		}
		if hi < 0 || v > vhi {
			hi, vhi = i, v
		}
	}
	if lo < 0 {
		return math.NaN(), math.NaN()
	}
	if lo <= hi {
		return vlo, vhi
	}
	return vhi, vlo
}

// percentiles are latency percentiles; an interval for which get returns
// nil has none (a gap).
func (d sampler) percentiles(get func(*results.Interval) *results.Latency) Percentiles {
	pick := func(p func(*results.Latency) float64) Series {
		return d.peak(func(iv *results.Interval) float64 {
			l := get(iv)
			if l == nil {
				return math.NaN()
			}
			return p(l)
		})
	}
	return Percentiles{
		P50: pick(func(l *results.Latency) float64 { return l.P50 }),
		P95: pick(func(l *results.Latency) float64 { return l.P95 }),
		P99: pick(func(l *results.Latency) float64 { return l.P99 }),
	}
}

// measured is l, or nil for an interval without requests: its zeros are
// not measurements.
func measured(iv *results.Interval, l *results.Latency) *results.Latency {
	if iv.Requests == 0 {
		return nil
	}
	return l
}

// latencyOK is the percentiles of the latency of the requests that did
// not fail, with a gap where none did (not a 0, which would read as a
// fast second); nil when no interval recorded them.
func (d sampler) latencyOK() *Percentiles {
	if !slices.ContainsFunc(d.ivs, func(iv results.Interval) bool { return iv.LatencyOK != nil }) {
		return nil
	}
	p := d.percentiles(func(iv *results.Interval) *results.Latency {
		if iv.LatencyOK == nil || iv.LatencyOK.Sample == 0 {
			return nil
		}
		return iv.LatencyOK
	})
	return &p
}

// counts makes one per-second series per key seen in any interval.
func (d sampler) counts(get func(*results.Interval) map[string]int64) map[string]Series {
	out := map[string]Series{}
	for _, key := range d.keys(func(iv *results.Interval) []string { return mapKeys(get(iv)) }) {
		out[key] = d.envelope(func(iv *results.Interval) float64 { return rate(iv, get(iv)[key]) })
	}
	return out
}

// monitor makes one series per target-side series name, with gaps where
// an interval has no value.
func (d sampler) monitor() map[string]Series {
	names := d.keys(func(iv *results.Interval) []string { return mapKeys(iv.Monitor) })
	if len(names) == 0 {
		return nil
	}
	out := make(map[string]Series, len(names))
	for _, name := range names {
		out[name] = d.envelope(func(iv *results.Interval) float64 {
			if v, ok := iv.Monitor[name]; ok {
				return v
			}
			return math.NaN()
		})
	}
	return out
}

// keys returns the sorted union of the keys of every interval.
func (d sampler) keys(get func(*results.Interval) []string) []string {
	seen := map[string]bool{}
	for i := range d.ivs {
		for _, k := range get(&d.ivs[i]) {
			seen[k] = true
		}
	}
	return mapKeys(seen)
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
