package compare

import (
	"fmt"
	"math"
	"slices"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// AllEndpoints is the scope of the rows about every endpoint together.
const AllEndpoints = "all"

// resolution is the standard deviation that HDR's bucketing alone puts on
// a logged latency (a bucket is at most 1/1024 of its value wide with
// three significant digits, uniform rounding inside it): no latency
// estimate is more precise than that, even when its spread measures 0.
var resolution = 1 / (1024 * math.Sqrt(12))

// estimate is one run's value of one metric with its uncertainty: for
// ratio metrics the standard deviation of its logarithm, for rates the
// standard deviation of the fraction and the counts behind it.
type estimate struct {
	value    float64 // µs, requests per second, or a fraction
	sd       float64
	requests int64
	events   int64   // errors or failures, for rates
	df       float64 // degrees of freedom of sd
}

// rows computes every row: every metric for all endpoints together, and
// for each endpoint when there are several.
func (c *comparison) rows() {
	ok := c.okRows(c.sb.totals(), c.sh.totals(), c.sb.okKnown && c.sh.okKnown)
	for _, m := range Metrics() {
		if c.compared(m) && (ok || !m.IsOK()) {
			c.addRow(AllEndpoints, m, c.overall(0, m), c.overall(1, m))
		}
	}
	if len(c.names) < 2 {
		c.noteMissingOK()
		return // one endpoint: its rows are the overall rows
	}
	for e, name := range c.names {
		latency := c.endpointLatencyKnown(e)
		ok := latency && c.okRows(c.sb.endpointTotals(e), c.sh.endpointTotals(e), c.endpointOKKnown(e))
		for _, m := range Metrics() {
			if m.isLatency() && !latency || m.IsOK() && !ok || !c.compared(m) {
				continue
			}
			c.addRow(name, m, c.endpoint(0, e, m), c.endpoint(1, e, m))
		}
	}
	c.noteMissingLatency()
	c.noteMissingOK()
}

// okRows says whether a scope has rows for the latency of the requests
// that did not fail: only when either run failed some of its requests
// (else those rows would repeat the latency rows, and add hypotheses to
// Holm's family for nothing), the runs count failures alike, and both
// hold that latency (known). A scope that needs them but lacks them is
// remembered for noteMissingOK.
func (c *comparison) okRows(base, head Counts, known bool) bool {
	if base.Failures == 0 && head.Failures == 0 || !c.compared(OKP50) {
		return false
	}
	if !known {
		c.okMissing = true
	}
	return known
}

// endpointOKKnown says whether both runs hold endpoint e's latency of the
// requests that did not fail, and that of all endpoints together (the
// endpoint's rows borrow its design effect).
func (c *comparison) endpointOKKnown(e int) bool {
	return c.sb.okKnown && c.sh.okKnown &&
		c.base.Endpoints[c.at[0][e]].LatencyOK != nil && c.head.Endpoints[c.at[1][e]].LatencyOK != nil
}

// noteMissingOK says, when requests failed but a run's file does not
// hold the latency of those that did not, that its ok_ rows (and so the
// Mann-Whitney test of that latency, see shift) are left out and what
// the latency rows then mean.
func (c *comparison) noteMissingOK() {
	if !c.okMissing {
		return
	}
	var lacking []string
	for _, r := range []*Run{c.base, c.head} {
		if !r.okKnown() || slices.ContainsFunc(r.Endpoints, func(e Endpoint) bool { return e.Latency != nil && e.LatencyOK == nil }) {
			lacking = append(lacking, r.Label)
		}
	}
	c.note("%s holds no latency of the requests that did not fail (hist.latency_ok: a file of an earlier Surge, "+
		"or merged from one): the ok_ rows and their latency distribution are left out where requests failed, "+
		"and the latency rows there count the failed responses with the rest", strings.Join(lacking, " and "))
}

// endpointLatencyKnown says whether both runs hold endpoint e's own
// latency. A stream cut short does not (its seconds hold latency for all
// endpoints together only): the endpoint's latency rows are then left out
// rather than judged on a histogram that is not there.
func (c *comparison) endpointLatencyKnown(e int) bool {
	return c.base.Endpoints[c.at[0][e]].Latency != nil && c.head.Endpoints[c.at[1][e]].Latency != nil
}

// noteMissingLatency says once per run that lacks them why the
// endpoints' latency rows are missing.
func (c *comparison) noteMissingLatency() {
	for side, run := range []*Run{c.base, c.head} {
		for _, i := range c.at[side] {
			if run.Endpoints[i].Latency == nil {
				c.note("%s holds no latency per endpoint (a stream cut short keeps it per second for all endpoints "+
					"together only): the endpoints' latency rows are left out", run.Label)
				break
			}
		}
	}
}

// side returns a run's series, bootstrap and merged latency.
func (c *comparison) side(i int) (*series, *runStats, *Run) {
	if i == 0 {
		return c.sb, c.rb, c.base
	}
	return c.sh, c.rh, c.head
}

// overall is one run's estimate of m over all endpoints: straight from
// the block bootstrap.
func (c *comparison) overall(side int, m Metric) estimate {
	s, st, _ := c.side(side)
	tot := s.totals()
	e := estimate{requests: tot.Requests, sd: st.sd[m], df: st.df}
	if m.IsOK() {
		e.requests = sumInts(s.ok.n)
	}
	switch {
	case m.isLatency():
		e.value, e.sd = math.Exp(st.point[m]), math.Max(e.sd, resolution)
	case m == Throughput:
		e.value = st.point[m]
		e.sd = relative(st.sd[m], e.value)
	default:
		e.value, e.events = st.point[m], tot.events(m)
	}
	return e
}

// endpoint is one run's estimate of m for one endpoint. Throughput and
// rates come from the bootstrap of the endpoint's per-second counts.
// Latency does not: results files keep per-second histograms only for all
// endpoints together. So an endpoint's latency uncertainty is the one its
// own histogram would have if its requests were independent, inflated by
// the design effect the bootstrap measured for the same metric over all
// endpoints: the seconds that are slow are slow for every endpoint.
func (c *comparison) endpoint(side, e int, m Metric) estimate {
	s, st, run := c.side(side)
	tot := s.endpointTotals(e)
	if !m.isLatency() {
		at := endpointStat(e, m)
		est := estimate{requests: tot.Requests, value: st.point[at], sd: st.sd[at], df: st.df}
		if m == Throughput {
			est.sd = relative(est.sd, est.value)
		} else {
			est.events = tot.events(m)
		}
		return est
	}
	ep, merged := run.Endpoints[c.at[side][e]], s.all.mergedHistogram()
	h := ep.Latency
	if m.IsOK() {
		h, merged = ep.LatencyOK, s.ok.mergedHistogram()
	}
	all := c.overall(side, m)
	deff := math.Pow(all.sd/math.Max(iidSD(merged, m), resolution), 2)
	if math.IsNaN(deff) { // no request of the run succeeded
		deff = 1
	}
	return estimate{value: latencyOf(h, m), requests: h.TotalCount(), df: st.df,
		sd: math.Max(iidSD(h, m)*math.Sqrt(math.Max(deff, 1)), resolution)}
}

// relative turns the standard deviation of a value into that of its
// logarithm (the delta method).
func relative(sd, value float64) float64 {
	if value <= 0 {
		return math.Inf(1)
	}
	return sd / value
}

// latencyOf reads metric m off a histogram, in µs; NaN when it is empty
// (an endpoint none of whose requests succeeded, for an ok_ metric).
func latencyOf(h *hdr.PackedHistogram, m Metric) float64 {
	if h.TotalCount() == 0 {
		return math.NaN() // no value, not 0 µs: shown as "–"
	}
	if q, ok := m.quantile(); ok {
		return float64(h.ValueAtPercentile(100 * q))
	}
	return h.Mean()
}

// iidSD is the standard deviation of log(m) if h's values were
// independent: for a quantile q of n values, the values at the ranks one
// binomial standard deviation, √(q(1−q)/n), either side; for the mean,
// the coefficient of variation over √n.
func iidSD(h *hdr.PackedHistogram, m Metric) float64 {
	n := float64(h.TotalCount())
	if n == 0 {
		return 0
	}
	q, ok := m.quantile()
	if !ok {
		return h.StdDev() / (h.Mean() * math.Sqrt(n))
	}
	d := math.Sqrt(q * (1 - q) / n)
	lo := h.ValueAtPercentile(100 * math.Max(q-d, 0))
	hi := h.ValueAtPercentile(100 * math.Min(q+d, 1))
	if lo <= 0 || hi <= 0 {
		return 0
	}
	return (math.Log(float64(hi)) - math.Log(float64(lo))) / 2
}

// totals sums the counts of the series.
func (s *series) totals() Counts {
	var t Counts
	for _, c := range s.counts {
		t = t.plus(c)
	}
	return t
}

func (s *series) endpointTotals(e int) Counts {
	var t Counts
	for _, row := range s.ep {
		t = t.plus(row[e])
	}
	return t
}

// events is the numerator of a rate metric.
func (c Counts) events(m Metric) int64 {
	if m == ErrorRate {
		return c.Errors
	}
	return c.Failures
}

// mergedHistogram is the latency of the whole window, built once.
func (l *latencies) mergedHistogram() *hdr.PackedHistogram {
	if l.total == nil {
		l.total = metrics.NewHistogram()
		for _, h := range l.source {
			l.total.Merge(h)
		}
	}
	return l.total
}

// insufficient says why a percentile cannot be compared, or "".
func insufficient(m Metric, b, h estimate) string {
	need := m.minRequests()
	if min(b.requests, h.requests) >= need {
		return ""
	}
	return fmt.Sprintf("too few requests for %s (%d needed in each run)", m, need)
}
