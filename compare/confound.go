package compare

import (
	"fmt"
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// The latency rows count every response, failed or not. When the failure
// rate changed, the two runs' latencies describe different mixes: a head
// whose every request failed at once (a 503 from a proxy) reads as a
// faster head. A latency verdict is then withheld where the change in
// failures alone could have produced it:
//
//   - A quantile: if a share d of the requests changes between failed and
//     successful, and neither kind changes its own latencies, the
//     distribution function moves by at most d at every latency, so the
//     head's q-quantile lies between the base's quantiles at q − d and
//     q + d. A head value inside that band is explained by the mix.
//   - The mean moves by at most d times the spread of the latencies (the
//     largest less the smallest of both runs).
//
// Only a failure rate that changed (its row regressed or improved) is
// taken as a change of the mix: the noise of an unchanged one would
// withhold verdicts on the tail for nothing.
//
// When the runs' failure rates are not compared (other expected statuses),
// the error rate stands in for them: requests without a response are
// failures under any definition, so a change of it is a change of the mix.
//
// The ok_ rows are not withheld: they hold the successes alone, which is
// what makes them the rows to judge the service's speed by when failures
// changed (findings says so when the two disagree).
func (c *comparison) withholdConfounded() {
	rate, what := FailureRate, "failures"
	if c.otherFailures {
		rate, what = ErrorRate, "errors"
	}
	for _, scope := range c.report.scopes() {
		fr, ok := c.report.rowOf(scope, rate)
		if !ok || (fr.Verdict != Regressed && fr.Verdict != Improved) {
			continue
		}
		base, head := c.latencyHistograms(scope)
		if base == nil || head == nil {
			continue
		}
		n := c.withholdScope(scope, fr, base, head, what)
		if n == 0 {
			continue
		}
		alone := "the ok_ rows compare the requests that did not fail alone"
		if _, ok := c.report.rowOf(scope, OKP50); !ok {
			alone = "this comparison holds no latency of the requests that did not fail alone"
		}
		c.note("%s: %s went from %s to %s and latency includes the failed responses: %d latency rows the change "+
			"in %s alone could explain are inconclusive; %s", scope, what, value(rate, fr.Base), value(rate, fr.Head), n, what, alone)
	}
}

// withholdScope makes inconclusive the decided latency rows of one scope
// that the change of failure share explains, and returns how many.
func (c *comparison) withholdScope(scope string, fr Row, base, head *hdr.PackedHistogram, what string) int {
	d := math.Abs(fr.Head-fr.Base) / 100
	n := 0
	for i := range c.report.Rows {
		r := &c.report.Rows[i]
		if r.Scope != scope || !r.Metric.isLatency() || r.Metric.IsOK() || (r.Verdict != Regressed && r.Verdict != Improved) {
			continue
		}
		if !mixExplains(r.Metric, r.Base, r.Head, d, base, head) {
			continue
		}
		r.Verdict, r.mixed = Inconclusive, true
		r.Note = fmt.Sprintf("%s %s → %s alone could explain it", what, value(fr.Metric, fr.Base), value(fr.Metric, fr.Head))
		n++
	}
	return n
}

// mixExplains says whether a latency metric m could move from base to
// head (ms) by a share d of the requests changing between failed and
// successful, the runs' latencies being the histograms (µs).
func mixExplains(m Metric, baseMs, headMs, d float64, base, head *hdr.PackedHistogram) bool {
	q, ok := m.quantile()
	if !ok {
		spread := float64(max(base.Max(), head.Max())-min(base.Min(), head.Min())) / 1000
		return math.Abs(headMs-baseMs) <= d*spread
	}
	lo := 0.0
	if q-d > 0 {
		lo = float64(base.ValueAtPercentile(100*(q-d))) / 1000
	}
	hi := math.Inf(1)
	if q+d < 1 {
		hi = float64(base.ValueAtPercentile(100*(q+d))) / 1000
	}
	return headMs >= lo && headMs <= hi
}

// latencyHistograms are the histograms the latency rows of a scope were
// read from: the window's for all endpoints together, the whole span's
// for one endpoint; nil when a run holds none.
func (c *comparison) latencyHistograms(scope string) (base, head *hdr.PackedHistogram) {
	if scope == AllEndpoints {
		return c.sb.all.mergedHistogram(), c.sh.all.mergedHistogram()
	}
	for e, name := range c.names {
		if name == scope {
			return c.base.Endpoints[c.at[0][e]].Latency, c.head.Endpoints[c.at[1][e]].Latency
		}
	}
	return nil, nil
}

// rowOf returns the row of metric m in a scope.
func (r *Report) rowOf(scope string, m Metric) (Row, bool) {
	for _, row := range r.Rows {
		if row.Scope == scope && row.Metric == m {
			return row, true
		}
	}
	return Row{}, false
}
