package results

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// histSum adds encoded histograms into one, refusing any of another
// geometry: re-bucketing would shift values and make the merge inexact.
type histSum struct {
	latency, service     *hdr.PackedHistogram
	latencyOK, serviceOK okSum
}

func newHistSum() *histSum {
	return &histSum{
		latency: metrics.NewHistogram(), service: metrics.NewHistogram(),
		latencyOK: okSum{name: "latency_ok", h: metrics.NewHistogram()},
		serviceOK: okSum{name: "service_ok", h: metrics.NewHistogram()},
	}
}

// add adds one part's histograms; succeeded is its requests less its
// failures, the values its latency_ok and service_ok histograms hold.
func (s *histSum) add(h Histograms, succeeded int64, where string) error {
	if err := addEncoded(s.latency, h.Latency); err != nil {
		return fmt.Errorf("%s, latency histogram: %w", where, err)
	}
	if err := addEncoded(s.service, h.Service); err != nil {
		return fmt.Errorf("%s, service histogram: %w", where, err)
	}
	if err := s.latencyOK.add(h.LatencyOK, succeeded, where); err != nil {
		return err
	}
	return s.serviceOK.add(h.ServiceOK, succeeded, where)
}

// okSum is the sum of one histogram of the requests that did not fail.
// It is unknown once a part that had some did not record it (a file of
// an earlier Surge): the other parts' alone would pass for the whole.
type okSum struct {
	name    string // in the results file, for errors
	h       *hdr.PackedHistogram
	unknown bool
}

func (o *okSum) add(enc string, succeeded int64, where string) error {
	o.unknown = o.unknown || (enc == "" && succeeded > 0)
	if err := addEncoded(o.h, enc); err != nil {
		return fmt.Errorf("%s, %s histogram: %w", where, o.name, err)
	}
	return nil
}

// sum is the sum, nil when unknown.
func (o *okSum) sum() *hdr.PackedHistogram {
	if o.unknown {
		return nil
	}
	return o.h
}

// check refuses a sum that does not count the requests that did not
// fail, as a part that does not hold together (edited, or damaged) would
// make it.
func (o *okSum) check(succeeded int64, where []string) error {
	if h := o.sum(); h != nil && h.TotalCount() != succeeded {
		return fmt.Errorf("%s: the %s histograms hold %d values, but requests less failures are %d: they must be equal",
			partsName(where), o.name, h.TotalCount(), succeeded)
	}
	return nil
}

// partsName names the parts of a sum in an error: the first, and how
// many more.
func partsName(where []string) string {
	switch len(where) {
	case 0:
		return "merge"
	case 1:
		return where[0]
	}
	return fmt.Sprintf("%s and %d more", where[0], len(where)-1)
}

func addEncoded(dst *hdr.PackedHistogram, enc string) error {
	if enc == "" {
		return nil
	}
	h, err := hdr.DecodePacked([]byte(enc))
	if err != nil {
		return err
	}
	if h.LowestTrackableValue() != dst.LowestTrackableValue() || h.HighestTrackableValue() != dst.HighestTrackableValue() ||
		h.SignificantFigures() != dst.SignificantFigures() {
		return fmt.Errorf("geometry %d to %d µs at %d digits, not Surge's %d to %d µs at %d: it cannot be added exactly",
			h.LowestTrackableValue(), h.HighestTrackableValue(), h.SignificantFigures(),
			dst.LowestTrackableValue(), dst.HighestTrackableValue(), dst.SignificantFigures())
	}
	if dropped := dst.Merge(h); dropped > 0 {
		return fmt.Errorf("%d values fell outside the histogram", dropped)
	}
	return nil
}

func (s *histSum) encode() (Histograms, error) {
	return histograms(histSet{s.latency, s.service, s.latencyOK.sum(), s.serviceOK.sum()})
}

// summaries are the figures of a Stats or an Interval made from its
// histograms.
type summaries struct {
	latency, service     Latency
	latencyOK, serviceOK *Latency
	hist                 Histograms
}

// summaries summarises and encodes the sum, once it is checked.
func (s *histSum) summaries(succeeded int64, where []string) (summaries, error) {
	if err := s.latencyOK.check(succeeded, where); err != nil {
		return summaries{}, err
	}
	if err := s.serviceOK.check(succeeded, where); err != nil {
		return summaries{}, err
	}
	hist, err := s.encode()
	return summaries{Summarise(s.latency), Summarise(s.service),
		summariseOK(s.latencyOK.sum()), summariseOK(s.serviceOK.sum()), hist}, err
}

// counts are the additive figures of Stats and Interval.
type counts struct {
	requests, errors, failures, bytesSent, bytesRecv int64
	codes, kinds                                     map[string]int64
}

func (c *counts) add(requests, errors, failures, sent, recv int64, codes, kinds map[string]int64) {
	c.requests += requests
	c.errors += errors
	c.failures += failures
	c.bytesSent += sent
	c.bytesRecv += recv
	c.codes = addCounts(c.codes, codes)
	c.kinds = addCounts(c.kinds, kinds)
}

// addCounts adds src into dst, making dst only when src has entries.
func addCounts(dst, src map[string]int64) map[string]int64 {
	for k, n := range src {
		if dst == nil {
			dst = make(map[string]int64, len(src))
		}
		dst[k] += n
	}
	return dst
}

// mergeStats adds the shares' statistics of one endpoint (or of all)
// and recomputes every figure from the sums, rates over span. A part
// with requests but no histogram (an endpoint of a stream cut short,
// whose intervals hold only the latencies of all endpoints together)
// leaves the latencies empty: percentiles of the other parts alone
// would pass for the whole endpoint's. So does a part without its codes
// or errors by kind (a stream cut short written by a Surge that did not
// keep them per interval): they are left empty, not a partial sum.
func mergeStats(parts []Stats, span time.Duration, where []string) (Stats, error) {
	var c counts
	hs := newHistSum()
	unknown, noCodes, noKinds := false, false, false
	for i, p := range parts {
		c.add(p.Requests, p.Errors, p.Failures, p.BytesSent, p.BytesRecv, p.Codes, p.ErrorKind)
		unknown = unknown || (p.Requests > 0 && p.Hist.Latency == "")
		noCodes = noCodes || !p.CodesWhole()
		noKinds = noKinds || !p.KindsWhole()
		if err := hs.add(p.Hist, p.Requests-p.Failures, where[i]); err != nil {
			return Stats{}, err
		}
	}
	if noCodes {
		c.codes = nil
	}
	if noKinds {
		c.kinds = nil
	}
	st := Stats{Requests: c.requests, Errors: c.errors, Failures: c.failures,
		FailureRatePct: Pct(c.failures, c.requests), ErrorRatePct: Pct(c.errors, c.requests),
		Codes: orEmpty(c.codes), ErrorKind: orEmpty(c.kinds), RPS: rate(c.requests, span),
		BytesSent: c.bytesSent, BytesRecv: c.bytesRecv}
	if unknown {
		return st, nil
	}
	m, err := hs.summaries(c.requests-c.failures, where)
	st.Latency, st.Service, st.LatencyOK, st.ServiceOK, st.Hist = m.latency, m.service, m.latencyOK, m.serviceOK, m.hist
	return st, err
}

// CodesWhole says whether s's codes hold every response (its requests
// less its errors): false when they were left out, as for an endpoint of
// a stream cut short whose Surge did not keep codes per interval.
func (s Stats) CodesWhole() bool { return sumCounts(s.Codes) == s.Requests-s.Errors }

// KindsWhole says whether s's errors by kind hold every error.
func (s Stats) KindsWhole() bool { return sumCounts(s.ErrorKind) == s.Errors }

func sumCounts(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func orEmpty(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return m
}

// mergeAggregate fills the merged aggregate, endpoints and counters.
func mergeAggregate(out *Results, shares []Input, endpoints []string) error {
	var span float64
	var parts []Stats
	var where []string
	for _, in := range shares {
		a := in.Results.Aggregate
		span = max(span, a.SpanS)
		parts, where = append(parts, a.Stats), append(where, in.Source+": aggregate")
		out.Aggregate.Dropped += a.Dropped
		out.Aggregate.VUsers.Created += a.VUsers.Created
		out.Aggregate.VUsers.Completed += a.VUsers.Completed
		out.Aggregate.VUsers.Failed += a.VUsers.Failed
		out.Counters = addCounts(out.Counters, in.Results.Counters)
	}
	d := time.Duration(span * float64(time.Second))
	st, err := mergeStats(parts, d, where)
	if err != nil {
		return err
	}
	out.Aggregate.Stats, out.Aggregate.SpanS = st, span
	out.Aggregate.VUsers.FailedBy = mergeFailures(shares)
	out.Aggregate.MaxActiveVUs = maxActive(out.Intervals)
	out.Counters = orEmpty(out.Counters)
	out.Aggregate.Counters = artilleryCounters(out.Counters)
	if out.Endpoints, err = mergeEndpoints(shares, endpoints, d); err != nil {
		return err
	}
	if out.Test.CutShort {
		clearBytes(out)
	}
	return nil
}

// clearBytes empties the byte counts of a merge with a share cut short:
// its stream holds none, and the other shares' sum would pass for the
// whole test's, as a stream cut short leaves them empty.
func clearBytes(r *Results) {
	r.Aggregate.BytesSent, r.Aggregate.BytesRecv = 0, 0
	for i := range r.Endpoints {
		r.Endpoints[i].BytesSent, r.Endpoints[i].BytesRecv = 0, 0
	}
	r.Counters["http.downloaded_bytes"] = 0
	delete(r.Aggregate.Counters, "http.downloaded_bytes") // as artilleryCounters drops a counter that never moved
}

// mergeEndpoints adds each endpoint's statistics across the shares, by
// name.
func mergeEndpoints(shares []Input, names []string, span time.Duration) ([]Endpoint, error) {
	out := make([]Endpoint, 0, len(names))
	for _, name := range names {
		var parts []Stats
		var where []string
		for _, in := range shares {
			for _, e := range in.Results.Endpoints {
				if e.Name == name {
					parts, where = append(parts, e.Stats), append(where, in.Source+": endpoint "+name)
				}
			}
		}
		st, err := mergeStats(parts, span, where)
		if err != nil {
			return nil, err
		}
		out = append(out, Endpoint{Name: name, Stats: st})
	}
	return out, nil
}

// mergeFailures sums VU failures by reason, keeping the first message of
// the first share (in sequence order) that saw the reason, most frequent
// first as a single run orders them.
func mergeFailures(shares []Input) []VUFailure {
	var out []VUFailure
	for _, in := range shares {
		for _, f := range in.Results.Aggregate.VUsers.FailedBy {
			i := slices.IndexFunc(out, func(o VUFailure) bool { return o.Reason == f.Reason })
			if i < 0 {
				out = append(out, f)
				continue
			}
			out[i].Count += f.Count
		}
	}
	slices.SortStableFunc(out, func(a, b VUFailure) int {
		if a.Count != b.Count {
			return int(b.Count - a.Count)
		}
		return cmp.Compare(a.Reason, b.Reason)
	})
	return out
}

// mergeIntervals adds the shares' intervals with the same index: the
// same second of the plan, as each share counts from its own start.
func mergeIntervals(shares []Input, endpoints []string) ([]Interval, error) {
	byIndex := map[int][]int{} // interval index → position in each share (-1: none)
	for s, in := range shares {
		for i, iv := range in.Results.Intervals {
			if byIndex[iv.Index] == nil {
				byIndex[iv.Index] = slices.Repeat([]int{-1}, len(shares))
			}
			byIndex[iv.Index][s] = i
		}
	}
	monitor := monitorSource(shares)
	var out []Interval
	for _, t := range slices.Sorted(maps.Keys(byIndex)) {
		iv, err := mergeInterval(shares, byIndex[t], endpoints, monitor)
		if err != nil {
			return nil, err
		}
		iv.Index = t
		out = append(out, iv)
	}
	return out, nil
}

// monitorSource is the share whose target-side series the merged file
// keeps: the first with any (-1: none).
func monitorSource(shares []Input) int {
	for s, in := range shares {
		for _, iv := range in.Results.Intervals {
			if len(iv.Monitor) > 0 {
				return s
			}
		}
	}
	return -1
}

// mergeInterval adds one plan second of every share that has it (pos[s]
// is the interval's position in share s, -1 if the share has none).
func mergeInterval(shares []Input, pos []int, endpoints []string, monitor int) (Interval, error) {
	var parts []IntervalPart
	for s, in := range shares {
		if pos[s] < 0 {
			continue
		}
		parts = append(parts, IntervalPart{Source: in.Source, Endpoints: endpointList(in.Results.Endpoints),
			Interval: in.Results.Intervals[pos[s]], Monitor: s == monitor})
	}
	return MergeInterval(parts, endpoints)
}

// EndpointNames are the names of r's endpoints, in its order.
func (r *Results) EndpointNames() []string { return endpointList(r.Endpoints) }

func endpointList(eps []Endpoint) []string {
	names := make([]string, len(eps))
	for i, e := range eps {
		names[i] = e.Name
	}
	return names
}

// IntervalPart is one share's interval of one plan second.
type IntervalPart struct {
	Source string // named in errors
	// Endpoints names the share's endpoints in the order of the
	// interval's counts.
	Endpoints []string
	Interval  Interval
	// Monitor: the merged interval keeps this part's target-side series.
	Monitor bool
}

// MergeInterval adds the shares' intervals of one plan second, as Merge
// does: histograms bucket by bucket, counts and gauges summed, the
// per-endpoint counts matched by name into endpoints' order. The merged
// interval keeps the first part's index.
func MergeInterval(parts []IntervalPart, endpoints []string) (Interval, error) {
	var out Interval
	var c counts
	var where []string
	hs := newHistSum()
	out.Endpoints = make([]EndpointCount, len(endpoints))
	unknown := make([]bool, len(endpoints)) // a part holds no codes for the endpoint
	for i, p := range parts {
		iv := p.Interval
		if i == 0 {
			out.Index = iv.Index
		}
		if out.Start.IsZero() || iv.Start.Before(out.Start) {
			out.Start = iv.Start
		}
		out.DurationS = max(out.DurationS, iv.DurationS)
		c.add(iv.Requests, iv.Errors, iv.Failures, 0, 0, iv.Codes, iv.ErrorKind)
		addIntervalGauges(&out, iv)
		if err := addEndpointCounts(out.Endpoints, unknown, endpoints, p.Endpoints, iv.Endpoints); err != nil {
			return Interval{}, fmt.Errorf("%s: interval %d: %w", p.Source, iv.Index, err)
		}
		out.Counters = addCounts(out.Counters, iv.Counters)
		if p.Monitor {
			out.Monitor = iv.Monitor
		}
		out.Generator = worseGenerator(out.Generator, iv.Generator)
		at := fmt.Sprintf("%s: interval %d", p.Source, iv.Index)
		if err := hs.add(iv.Hist, iv.Requests-iv.Failures, at); err != nil {
			return Interval{}, err
		}
		where = append(where, at)
	}
	for j, u := range unknown {
		if u { // the parts' sum would pass for the endpoint's whole second
			out.Endpoints[j].Codes, out.Endpoints[j].ErrorKind = nil, nil
		}
	}
	out.Requests, out.Errors, out.Failures = c.requests, c.errors, c.failures
	out.FailureRatePct, out.ErrorRatePct = Pct(c.failures, c.requests), Pct(c.errors, c.requests)
	out.Codes, out.ErrorKind = orEmpty(c.codes), c.kinds
	if out.DurationS > 0 {
		out.RPS = float64(c.requests) / out.DurationS
	}
	m, err := hs.summaries(c.requests-c.failures, where)
	out.Latency, out.Service, out.LatencyOK, out.ServiceOK, out.Hist = m.latency, m.service, m.latencyOK, m.serviceOK, m.hist
	return out, err
}

// worseGenerator merges the shares' watches on their generators: the
// share most behind (the highest lag) speaks for the second, since its
// latencies are in the merged ones; the connections opened add up.
func worseGenerator(a, b *GeneratorInterval) *GeneratorInterval {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	lag := func(g *GeneratorInterval) float64 { return max(g.SendLagP99Ms, g.PacerLagP99Ms, g.TimerLagP99Ms) }
	out := *a
	if lag(b) > lag(a) {
		out = *b
	}
	out.Arrivals, out.ConnsOpened, out.PoolConns = a.Arrivals+b.Arrivals, a.ConnsOpened+b.ConnsOpened, a.PoolConns+b.PoolConns
	out.PoolWaits = a.PoolWaits + b.PoolWaits
	return &out
}

// addIntervalGauges adds a share's VU counts and gauges: the counts and
// the end-of-second gauges add up exactly; the maxima only bound the
// whole's maximum from above.
func addIntervalGauges(out *Interval, iv Interval) {
	out.VUsers.Created += iv.VUsers.Created
	out.VUsers.Completed += iv.VUsers.Completed
	out.VUsers.Failed += iv.VUsers.Failed
	out.Dropped += iv.Dropped
	out.ActiveVUs += iv.ActiveVUs
	out.MaxActiveVUs += iv.MaxActiveVUs
	out.InFlight += iv.InFlight
}

// addEndpointCounts adds a share's per-endpoint counts, which follow the
// share's endpoint order, to the merged ones, which follow names, and
// marks unknown the endpoints whose codes the share does not hold.
func addEndpointCounts(dst []EndpointCount, unknown []bool, names []string, shareNames []string, src []EndpointCount) error {
	for i, ec := range src {
		if i >= len(shareNames) {
			return nil
		}
		j := slices.Index(names, shareNames[i])
		if j < 0 {
			return fmt.Errorf("endpoint %q is not one of the merged endpoints", shareNames[i])
		}
		dst[j].Requests += ec.Requests
		dst[j].Errors += ec.Errors
		dst[j].Failures += ec.Failures
		dst[j].Codes = addCounts(dst[j].Codes, ec.Codes)
		dst[j].ErrorKind = addCounts(dst[j].ErrorKind, ec.ErrorKind)
		unknown[j] = unknown[j] || !ec.codesKnown()
	}
	return nil
}
