package results

import (
	"math"
	"strconv"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// Builder turns a stream of snapshots into a results document. It keeps
// each interval in its compact form (histograms encoded) as it arrives, so
// memory grows by a few kilobytes per second of test, not by whole
// histograms; with Spool set, not at all: intervals go to a temporary file
// until the document is built, and stay in memory only if that file fails.
type Builder struct {
	Test    Test
	Version string
	// Spool keeps intervals in a temporary file rather than in memory;
	// Close removes it. For long runs whose intervals are read rarely: at
	// the end, or for a download (the dashboard's frames keep their own
	// copies, without histograms, through OnInterval).
	Spool bool
	// OnInterval, if set, receives each interval as it is added, in the
	// form the document holds it (a stream writes it as it comes), and,
	// when it is the first interval counted after a reset of the
	// statistics, the reset's time (else zero): a line written cannot be
	// marked before_reset later, so the stream records the reset itself.
	OnInterval func(iv Interval, resetAt time.Time)

	intervals []Interval
	spool     spool
	final     *metrics.Snapshot
	err       error
}

// Add consumes one snapshot; the final one completes the document.
func (b *Builder) Add(s metrics.Snapshot) { b.AddWithMonitor(s, nil) }

// AddWithMonitor is Add with the target-side series scraped during the
// snapshot's interval.
func (b *Builder) AddWithMonitor(s metrics.Snapshot, monitor map[string]float64) {
	iv, err := interval(s.Interval)
	iv.Monitor = monitor
	if err != nil && b.err == nil {
		b.err = err
	}
	if b.OnInterval != nil {
		b.OnInterval(iv, resetBefore(s))
	}
	if b.Spool {
		b.spool.add(iv)
	} else {
		b.intervals = append(b.intervals, iv)
	}
	if s.Final {
		b.final = &s
	}
}

// resetBefore is the time of the reset that s's interval is the first
// one after (zero if it is not): FromFinal's marks, known one interval at
// a time.
func resetBefore(s metrics.Snapshot) time.Time {
	if s.FirstInterval > 0 && s.Interval.Index == s.FirstInterval {
		return s.Since
	}
	return time.Time{}
}

// Intervals returns the intervals received so far; nil if spooled ones
// cannot be read back (Results says why).
func (b *Builder) Intervals() []Interval {
	ivs, _ := b.all()
	return ivs
}

func (b *Builder) all() ([]Interval, error) {
	if !b.Spool {
		return b.intervals, nil
	}
	return b.spool.all()
}

// Results returns the document; it needs the final snapshot.
func (b *Builder) Results() (*Results, error) {
	if b.err != nil {
		return nil, b.err
	}
	if b.final == nil {
		return nil, errNoFinal
	}
	ivs, err := b.all()
	if err != nil {
		return nil, err
	}
	return FromFinal(b.Test, b.Version, *b.final, ivs)
}

// Close removes the spool file, if any; the intervals go with it.
func (b *Builder) Close() error { return b.spool.close() }

// FromFinal builds a document from the final snapshot and the intervals.
// After a reset (final.FirstInterval > 0) the aggregate covers the
// intervals from final.FirstInterval on, rates divide by that span, and
// the earlier intervals are marked BeforeReset (in place).
func FromFinal(test Test, version string, final metrics.Snapshot, intervals []Interval) (*Results, error) {
	elapsed, span := final.Elapsed, final.Span()
	test.Started = final.Start
	test.Ended = final.Start.Add(elapsed)
	test.DurationS = elapsed.Seconds()
	if final.FirstInterval > 0 {
		test.ResetAt = final.Since
	}
	for i := range intervals {
		intervals[i].BeforeReset = intervals[i].Index < final.FirstInterval
	}
	agg, err := totalStats(final, span, intervals)
	if err != nil {
		return nil, err
	}
	r := &Results{Schema: Schema, Version: version, Test: test, Intervals: intervals,
		Aggregate: Aggregate{Stats: agg, SpanS: round3(span.Seconds()), Dropped: final.VUs.Dropped,
			VUsers: vus(final.VUs), MaxActiveVUs: maxActive(intervals)}}
	r.Aggregate.VUsers.FailedBy = failedBy(final.Failures)
	for _, e := range final.Endpoints {
		st, err := endpointStats(e, final.Total, agg.Hist, span)
		if err != nil {
			return nil, err
		}
		r.Endpoints = append(r.Endpoints, Endpoint{Name: e.Name, Stats: st})
	}
	r.Counters = Counters(r)
	for k, n := range final.Counters {
		r.Counters[k] += n
	}
	r.Aggregate.Counters = artilleryCounters(r.Counters)
	r.Generator = JudgeGenerator(intervals)
	return r, nil
}

// maxActive is the most VUs running at once in the intervals the
// aggregate covers.
func maxActive(ivs []Interval) int64 {
	var m int64
	for _, iv := range ivs {
		if !iv.BeforeReset {
			m = max(m, iv.MaxActiveVUs)
		}
	}
	return m
}

func vus(v metrics.VUs) VUs { return VUs{Created: v.Created, Completed: v.Completed, Failed: v.Failed} }

func failedBy(fs []metrics.VUFailure) []VUFailure {
	var out []VUFailure
	for _, f := range fs {
		out = append(out, VUFailure{Reason: f.Reason, Count: f.Count, First: f.First})
	}
	return out
}

// Pct is n as a percentage of total, rounded to 0.001 (0 when total is 0).
func Pct(n, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return round3(100 * float64(n) / float64(total))
}

func stats(s metrics.Stats, span time.Duration) (Stats, error) {
	hist, err := histograms(setOf(s))
	if err != nil {
		return Stats{}, err
	}
	return statsWith(s, span, hist), nil
}

// totalStats is stats for the whole run. In a run without a reset, an
// interval that counts as many samples as the total holds all of them
// (a short run's only interval), and its encoded histograms are reused.
func totalStats(final metrics.Snapshot, span time.Duration, intervals []Interval) (Stats, error) {
	lat, svc := count(final.Total.Latency), count(final.Total.Service)
	if final.FirstInterval == 0 && lat > 0 {
		for _, iv := range intervals {
			if iv.Latency.Sample == lat && iv.Service.Sample == svc && iv.Hist.Latency != "" &&
				sameOK(iv.LatencyOK, final.Total.LatencyOK) && sameOK(iv.ServiceOK, final.Total.ServiceOK) {
				return statsWith(final.Total, span, iv.Hist), nil
			}
		}
	}
	return stats(final.Total, span)
}

func count(h *hdr.PackedHistogram) int64 {
	if h == nil {
		return 0
	}
	return h.TotalCount()
}

// endpointStats is stats for an endpoint; when it holds every sample of
// the total (one endpoint, the common case), its histograms are the
// total's, whose encoding is reused rather than compressed once more.
func endpointStats(e, total metrics.Stats, totalHist Histograms, span time.Duration) (Stats, error) {
	if sameSamples(e, total) {
		return statsWith(e, span, totalHist), nil
	}
	return stats(e, span)
}

// sameSamples says whether e's histograms count as many samples as
// total's, of which they are a part: then they are equal.
func sameSamples(e, total metrics.Stats) bool {
	return e.Latency != nil && e.Service != nil &&
		count(e.Latency) == count(total.Latency) && count(e.Service) == count(total.Service) &&
		sameCount(e.LatencyOK, total.LatencyOK) && sameCount(e.ServiceOK, total.ServiceOK)
}

// sameCount says whether two histograms of the requests that did not
// fail were both recorded, or neither, and count as many samples.
func sameCount(a, b *hdr.PackedHistogram) bool {
	return (a == nil) == (b == nil) && count(a) == count(b)
}

// sameOK says whether an interval's summary of the latency or service
// time of the requests that did not fail counts as many samples as h.
func sameOK(l *Latency, h *hdr.PackedHistogram) bool {
	if l == nil || h == nil {
		return l == nil && h == nil
	}
	return l.Sample == h.TotalCount()
}

func statsWith(s metrics.Stats, span time.Duration, hist Histograms) Stats {
	return Stats{
		Requests: s.Requests, Errors: s.Errors, Failures: s.Failures,
		FailureRatePct: Pct(s.Failures, s.Requests), ErrorRatePct: Pct(s.Errors, s.Requests),
		Codes: codes(s.Codes), ErrorKind: s.Kinds,
		RPS: rate(s.Requests, span), BytesSent: s.BytesSent, BytesRecv: s.BytesRecv,
		Latency: Summarise(s.Latency), Service: Summarise(s.Service), LatencyOK: summariseOK(s.LatencyOK),
		ServiceOK: summariseOK(s.ServiceOK), Hist: hist,
	}
}

func interval(iv metrics.Interval) (Interval, error) {
	hist, err := histograms(setOf(iv.Stats))
	out := Interval{
		Index: iv.Index, Start: iv.Start, DurationS: iv.Duration.Seconds(),
		Requests: iv.Stats.Requests, Errors: iv.Stats.Errors, Failures: iv.Stats.Failures,
		FailureRatePct: Pct(iv.Stats.Failures, iv.Stats.Requests), ErrorRatePct: Pct(iv.Stats.Errors, iv.Stats.Requests),
		Codes: codes(iv.Stats.Codes),
		RPS:   iv.RPS(), Latency: Summarise(iv.Stats.Latency), Service: Summarise(iv.Stats.Service),
		LatencyOK: summariseOK(iv.Stats.LatencyOK), ServiceOK: summariseOK(iv.Stats.ServiceOK),
		VUsers: vus(iv.VUs), Dropped: iv.VUs.Dropped, ActiveVUs: iv.ActiveVUs, MaxActiveVUs: iv.MaxActive,
		InFlight: iv.InFlight, Hist: hist, Generator: generatorInterval(iv.Generator),
	}
	if len(iv.Stats.Kinds) > 0 {
		out.ErrorKind = iv.Stats.Kinds
	}
	if len(iv.Counters) > 0 {
		out.Counters = iv.Counters
	}
	for _, c := range iv.Endpoints {
		ec := EndpointCount{Requests: c.Requests, Errors: c.Errors, Failures: c.Failures, ErrorKind: c.Kinds}
		if len(c.Codes) > 0 {
			ec.Codes = codes(c.Codes)
		}
		out.Endpoints = append(out.Endpoints, ec)
	}
	return out, err
}

// histSet is the histograms of a Stats or an Interval; the two of the
// requests that did not fail are nil where they were not recorded.
type histSet struct{ latency, service, latencyOK, serviceOK *hdr.PackedHistogram }

func setOf(s metrics.Stats) histSet { return histSet{s.Latency, s.Service, s.LatencyOK, s.ServiceOK} }

// histograms encodes a set; those of the requests that did not fail are
// left out where they were not recorded.
func histograms(h histSet) (Histograms, error) {
	l, err := metrics.EncodeHistogram(h.latency)
	if err != nil {
		return Histograms{}, err
	}
	s, err := metrics.EncodeHistogram(h.service)
	if err != nil {
		return Histograms{}, err
	}
	out := Histograms{Latency: l, Service: s}
	if out.LatencyOK, err = encodeOK(h.latencyOK, h.latency, l); err != nil {
		return out, err
	}
	out.ServiceOK, err = encodeOK(h.serviceOK, h.service, s)
	return out, err
}

// encodeOK encodes ok, the part of all over the requests that did not
// fail ("" when not recorded). When it holds as many values as all,
// nothing failed and the two are the same: all's encoding is reused
// rather than compressed once more.
func encodeOK(ok, all *hdr.PackedHistogram, allEncoded string) (string, error) {
	switch {
	case ok == nil:
		return "", nil
	case count(ok) == count(all):
		return allEncoded, nil
	}
	return metrics.EncodeHistogram(ok)
}

func codes(m map[int]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for c, n := range m {
		out[strconv.Itoa(c)] = n
	}
	return out
}

func rate(n int64, span time.Duration) float64 {
	if span <= 0 {
		return 0
	}
	return round3(float64(n) / span.Seconds())
}

// Summarise computes the figures of one histogram, in milliseconds.
func Summarise(h *hdr.PackedHistogram) Latency {
	if h == nil || h.TotalCount() == 0 {
		return Latency{}
	}
	ms := func(us int64) float64 { return round3(float64(us) / 1000) }
	return Latency{
		Min: ms(h.Min()), Mean: round3(h.Mean() / 1000), Stdev: round3(h.StdDev() / 1000),
		P50: ms(h.ValueAtPercentile(50)), P90: ms(h.ValueAtPercentile(90)), P95: ms(h.ValueAtPercentile(95)),
		P99: ms(h.ValueAtPercentile(99)), P999: ms(h.ValueAtPercentile(99.9)), Max: ms(h.Max()),
		Sample: h.TotalCount(),
	}
}

// summariseOK is Summarise for the latency or service time of the
// requests that did not fail, nil when it was not recorded.
func summariseOK(h *hdr.PackedHistogram) *Latency {
	if h == nil {
		return nil
	}
	l := Summarise(h)
	return &l
}

// round3 rounds v to 3 decimals. From 2^52 on a float64 is a whole number
// already, and v·1000 could overflow to an infinity JSON cannot hold.
func round3(v float64) float64 {
	if math.Abs(v) >= 1<<52 {
		return v
	}
	return math.Round(v*1000) / 1000
}

// artilleryCounters keeps what Artillery would have emitted: counters that
// moved, and vusers.failed always.
func artilleryCounters(all map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(all))
	for k, n := range all {
		if n != 0 || k == "vusers.failed" {
			out[k] = n
		}
	}
	return out
}

// IntervalOf is one closed interval as the results file keeps it
// (histograms encoded), with the target-side series scraped meanwhile: what
// a worker streams to its coordinator each second.
func IntervalOf(iv metrics.Interval, monitor map[string]float64) (Interval, error) {
	out, err := interval(iv)
	out.Monitor = monitor
	return out, err
}
