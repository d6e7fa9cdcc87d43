package compare

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Report is the outcome of one comparison of a head run with a base run.
type Report struct {
	Base, Head RunInfo
	// Window is the window both runs were cut to ("" for the whole run).
	Window    string
	Alpha     float64
	Resamples int
	Seed      uint64
	// Tests is the number of rows Holm's correction spread Alpha over.
	Tests int
	Rows  []Row
	// Shifts are the Mann-Whitney second opinions: every scope's latency
	// of all requests, then that of the requests that did not fail in
	// the scopes with ok_ rows.
	Shifts []Shift
	// Monitored compares the target's series, when the runs monitored it.
	Monitored []Monitored
	// Notes say what was left out and why.
	Notes []string
	// Findings are plain sentences about rows read together: a scope
	// whose latency of all requests and of the requests that did not
	// fail moved opposite ways, and the failures that explain it.
	Findings []string
}

// RunInfo describes one side as it was compared.
type RunInfo struct {
	Label     string  `json:"label"`
	Seconds   float64 `json:"seconds"`
	Intervals int     `json:"intervals"`
	// Skipped intervals were before a statistics reset or outside the
	// window.
	Skipped  int   `json:"skipped"`
	Requests int64 `json:"requests"`
	// ShortTail is the requests of a last interval under half a second,
	// left out: the results file counts them.
	ShortTail int64 `json:"short_tail_requests,omitempty"`
	// Block is the bootstrap's block length in seconds.
	Block int `json:"block_s"`
}

// Row compares one metric of one scope (an endpoint or AllEndpoints).
//
// Units: latency in milliseconds, throughput in requests per second, rates
// in percent and their differences in percentage points. Ratio metrics
// carry Ratio (head/base) and its interval [Lo, Hi]; rates carry Diff
// (head − base) and its Newcombe interval [DiffLo, DiffHi], and Ratio only
// when the base rate is not zero (else NaN). Intervals are at 1 − α.
type Row struct {
	Scope      string
	Metric     Metric
	Base, Head float64
	Ratio      float64
	Lo, Hi     float64
	Diff       float64
	DiffLo     float64
	DiffHi     float64
	// BaseRequests and HeadRequests count, for the ok_ rows, only the
	// requests that did not fail.
	BaseRequests int64
	HeadRequests int64
	// BaseSD and HeadSD are each run's standard deviation: of the
	// logarithm for ratio metrics, in percentage points for rates.
	BaseSD, HeadSD float64
	// DesignEffect is, for rates, how much bursts inflate the variance
	// over independent requests (1 = none): the larger of the two runs',
	// since under "no change" both runs come from the same process and a
	// run that happened to see no burst has simply not shown its own.
	DesignEffect float64
	// P is the test's p-value, PAdjusted after Holm's correction; NaN
	// when the row could not be tested (Note says why).
	P, PAdjusted float64
	// DF is the degrees of freedom of the test (Student's t on the
	// bootstrap's standard errors, Welch-Satterthwaite across the runs);
	// 0 for a rate without bursts, whose variance is the binomial's and
	// whose test is the normal one.
	DF float64
	// MarginWidth is the practical margin: relative (0.05 = ±5 %) for
	// ratio metrics, percentage points for rates.
	MarginWidth float64
	Verdict     Verdict
	// MDE is, for an inconclusive row, the smallest change (relative, or
	// percentage points for rates) this run length detects with 80 %
	// power; LengthFactor how many times longer the runs would need to be
	// to detect a change the size of the margin.
	MDE          float64
	LengthFactor float64
	Note         string

	se          float64    // standard error of the effect
	equivalence [2]float64 // 1 − 2α interval of the effect, for "no change"
	// certain marks a rate whose test cannot reject whatever the runs
	// hold: no event in either run, or every request one. Its p is 1
	// given the counts, so it stays out of Holm's family (Tarone's
	// reasoning for discrete tests): counting it would only weaken the
	// other rows' tests.
	certain bool
	// mixed marks a latency row withheld because the change in failures
	// alone could explain it (withholdConfounded).
	mixed bool
}

// Count returns the number of rows with verdict v.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, row := range r.Rows {
		if row.Verdict == v {
			n++
		}
	}
	return n
}

// addRow compares metric m of one scope.
func (c *comparison) addRow(scope string, m Metric, b, h estimate) {
	r := Row{Scope: scope, Metric: m, BaseRequests: b.requests, HeadRequests: h.requests,
		P: math.NaN(), Ratio: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if m.IsRate() {
		c.rateRow(&r, b, h)
	} else {
		c.ratioRow(&r, b, h)
	}
	c.report.Rows = append(c.report.Rows, r)
}

// ratioRow compares on the log scale: the log of the ratio is the
// difference of logs, whose variance is the sum of the runs' variances.
func (c *comparison) ratioRow(r *Row, b, h estimate) {
	r.Base, r.Head = display(r.Metric, b.value), display(r.Metric, h.value)
	r.MarginWidth = c.o.margin(r.Metric).width(r.Metric, 0)
	if r.Metric.IsOK() && (b.requests == 0 || h.requests == 0) {
		r.Note = c.noneSucceeded(b.requests, h.requests)
		return
	}
	if !(b.value > 0) || !(h.value > 0) || b.requests == 0 || h.requests == 0 {
		r.Note = "no request in one of the runs"
		return
	}
	r.Ratio = h.value / b.value
	if why := insufficient(r.Metric, b, h); why != "" {
		r.Note = why
		return
	}
	d, se := math.Log(r.Ratio), math.Hypot(b.sd, h.sd)
	r.DF = welchDF(b.sd*b.sd, b.df, h.sd*h.sd, h.df)
	tc, te := tQuantile(1-c.o.Alpha/2, r.DF), tQuantile(1-c.o.Alpha, r.DF)
	r.Lo, r.Hi = math.Exp(d-tc*se), math.Exp(d+tc*se)
	r.equivalence = [2]float64{math.Expm1(d - te*se), math.Expm1(d + te*se)}
	r.BaseSD, r.HeadSD, r.se = b.sd, h.sd, se
	r.P = tTest(d, se, r.DF)
}

// noneSucceeded says which run had no request that did not fail: its
// success-only latency is no number, and a verdict on it would be one on
// an empty histogram.
func (c *comparison) noneSucceeded(base, head int64) string {
	switch {
	case base == 0 && head == 0:
		return "no request succeeded in either run"
	case base == 0:
		return "no request succeeded in " + c.base.Label
	}
	return "no request succeeded in " + c.head.Label
}

// tTest is the two-sided p-value of an estimate d with standard error se
// against 0.
func tTest(d, se, df float64) float64 {
	if se > 0 {
		return twoSidedT(d/se, df)
	}
	if d == 0 {
		return 1
	}
	return 0
}

// display converts an estimate's value to the row's unit.
func display(m Metric, v float64) float64 {
	switch {
	case m.isLatency():
		return v / 1000 // µs → ms
	case m.IsRate():
		return 100 * v
	}
	return v
}

// rateRow compares two rates on counts shrunk by the design effect.
func (c *comparison) rateRow(r *Row, b, h estimate) {
	pb := proportion{float64(b.events), float64(b.requests)}
	ph := proportion{float64(h.events), float64(h.requests)}
	r.Base, r.Head = 100*pb.rate(), 100*ph.rate()
	r.Diff = r.Head - r.Base
	r.MarginWidth = 100 * c.o.margin(r.Metric).width(r.Metric, pb.rate())
	if pb.n == 0 || ph.n == 0 {
		r.Note = "no request in one of the runs"
		return
	}
	if pb.x > 0 {
		r.Ratio = ph.rate() / pb.rate()
	}
	deff := math.Max(designEffect(b.sd, pb), designEffect(h.sd, ph))
	sb, sh := pb.shrink(deff), ph.shrink(deff)
	if deff > 1 { // the variance is the bootstrap's: as uncertain as its blocks are few
		r.DF = welchDF(b.sd*b.sd, b.df, h.sd*h.sd, h.df)
	}
	zc, ze := critical(1-c.o.Alpha/2, r.DF), critical(1-c.o.Alpha, r.DF)
	lo, hi := newcombe(sb, sh, zc)
	elo, ehi := newcombe(sb, sh, ze)
	r.DiffLo, r.DiffHi = 100*lo, 100*hi
	r.equivalence = [2]float64{100 * elo, 100 * ehi}
	r.se = (r.DiffHi - r.DiffLo) / (2 * zc)
	r.BaseSD, r.HeadSD = 100*b.sd, 100*h.sd
	r.DesignEffect = deff
	r.P = pOf(pooledZ(sb, sh), r.DF)
	r.certain = (pb.x == 0 && ph.x == 0) || (pb.x == pb.n && ph.x == ph.n)
}

// finish applies Holm's correction, decides every row, withholds the
// latency verdicts a change in failures could explain, and adds the
// Mann-Whitney second opinions.
func (c *comparison) finish() {
	rows := c.report.Rows
	ps := make([]float64, len(rows))
	for i, r := range rows {
		ps[i] = r.P
		if r.certain {
			ps[i] = math.NaN() // out of the family; its own p stands
		}
		if !math.IsNaN(ps[i]) {
			c.report.Tests++
		}
	}
	for i, adj := range holm(ps) {
		rows[i].PAdjusted = adj
		if rows[i].certain {
			rows[i].PAdjusted = rows[i].P
		}
		rows[i].decide(c.o.Alpha)
		rows[i].detectable(c.o.Alpha, c.report.Tests)
	}
	c.withholdConfounded()
	c.findings()
	c.shifts()
}

// shifts runs the binned Mann-Whitney test on the latency of every
// request of every scope, then on that of the requests that did not fail
// where the scope has ok_ rows. Each set goes after the other, so that
// the all-requests tests keep the places they had before the ok ones
// existed (JSON consumers index latency_shift).
func (c *comparison) shifts() {
	for _, which := range []string{LatencyAll, LatencyOK} {
		deff := (c.latencyDesignEffect(0, which) + c.latencyDesignEffect(1, which)) / 2
		c.shift(AllEndpoints, which, c.sb.latencies(which).mergedHistogram(), c.sh.latencies(which).mergedHistogram(), deff)
		if len(c.names) < 2 {
			continue
		}
		for e, name := range c.names {
			if !c.endpointLatencyKnown(e) {
				continue // not in a stream cut short: noted with the rows
			}
			b, h := c.base.Endpoints[c.at[0][e]], c.head.Endpoints[c.at[1][e]]
			c.shift(name, which, b.latency(which), h.latency(which), deff)
		}
	}
}

// shift adds the test of one scope's latency. That of the requests that
// did not fail is tested only where the scope has ok_ rows (a run failed
// some, both files hold it, one definition of a failure: elsewhere it
// would repeat the test of every request, or compare what is not one
// quantity; a missing histogram is noted with the rows) and both runs
// had successes: an empty histogram has no distribution to shift.
func (c *comparison) shift(scope, which string, base, head *hdr.PackedHistogram, deff float64) {
	if which == LatencyOK {
		if _, rows := c.report.rowOf(scope, OKP50); !rows || base.TotalCount() == 0 || head.TotalCount() == 0 {
			return
		}
	}
	s := mannWhitney(base, head, deff)
	s.Scope, s.Latency = scope, which
	c.report.Shifts = append(c.report.Shifts, s)
}

// latencyDesignEffect is one run's variance inflation of the latency
// `which` (LatencyAll or LatencyOK): the larger of the median's and the
// mean's, as the bootstrap measured them against independent requests.
// The successes have their own: where the share of fast failures swings
// from second to second, the median of every request swings with it
// while that of the successes may stay put.
func (c *comparison) latencyDesignEffect(side int, which string) float64 {
	s, st, _ := c.side(side)
	ms := []Metric{P50, Mean}
	if which == LatencyOK {
		ms = []Metric{OKP50, OKMean}
	}
	h := s.latencies(which).mergedHistogram()
	worst := 1.0
	for _, m := range ms {
		iid := math.Max(iidSD(h, m), resolution)
		worst = math.Max(worst, math.Pow(math.Max(st.sd[m], resolution)/iid, 2))
	}
	return worst
}
