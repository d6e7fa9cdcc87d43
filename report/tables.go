package report

import (
	"math"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// stat is one labelled figure of the summary.
type stat struct {
	Label, Value, Note string
}

type latencyRow struct {
	Name                                          string
	Min, Mean, P50, P90, P95, P99, P999, Max, Cnt string
}

type endpointRow struct {
	Name, Requests, Errors, ErrorShare, Failures, FailureShare, RPS string
	P50, P95, P99, P999, Max                                        string
}

// reasonRow is one reason virtual users failed, with its first message.
type reasonRow struct {
	Reason, Count, First string
}

type countRow struct {
	Key, Count, Share string
}

type monitorRow struct {
	Name, Min, Mean, Max, Last string
}

// summaryCards are the headline figures of the run.
func summaryCards(r *results.Results) []stat {
	a := r.Aggregate
	l := a.Latency
	return []stat{
		{Label: "Requests", Value: fmtInt(a.Requests)},
		{Label: "Throughput", Value: fmtRate(a.RPS), Note: "requests/s"},
		{Label: "Failures", Value: fmtInt(a.Failures), Note: fmtShare(a.Failures, a.Requests) + " of requests: " + failuresAre(r)},
		{Label: "Errors", Value: fmtInt(a.Errors), Note: fmtShare(a.Errors, a.Requests) + " of requests: no response"},
		{Label: "p50", Value: fmtLatency(l, l.P50), Note: "latency"},
		{Label: "p95", Value: fmtLatency(l, l.P95), Note: "latency"},
		{Label: "p99", Value: fmtLatency(l, l.P99), Note: "latency"},
		{Label: "p99.9", Value: fmtLatency(l, l.P999), Note: "latency"},
		{Label: "Virtual users", Value: fmtInt(a.VUsers.Created), Note: fmtInt(a.MaxActiveVUs) + " at most at once"},
		{Label: "Dropped", Value: fmtInt(a.Dropped), Note: "arrivals never sent: maxVusers reached, or no free connection in time"},
		{Label: "Duration", Value: fmtDuration(r.Test.DurationS)},
	}
}

// failuresAre says what the failures are: errors and unexpected
// statuses, and the responses the test judged failed, if it did.
func failuresAre(r *results.Results) string {
	if r.Counters[metrics.FailedByTestCounter] > 0 {
		return "errors, unexpected statuses and " + fmtInt(r.Counters[metrics.FailedByTestCounter]) + " responses failed by the test"
	}
	return "errors and unexpected statuses"
}

// resentFact says how many requests went out twice (see
// metrics.ResentCounter), "" if none.
func resentFact(r *results.Results) string {
	n := r.Counters[metrics.ResentCounter]
	if n == 0 {
		return ""
	}
	return fmtInt(n) + " requests sent again on a new connection after a reused one was lost with the request written: the server may count " +
		fmtInt(r.Aggregate.Requests+n)
}

// runFacts describe the run below the title.
func runFacts(r *results.Results) []stat {
	a := r.Aggregate
	facts := []stat{
		{Label: "Target", Value: r.Test.Target},
		{Label: "Script", Value: r.Test.Script},
		{Label: "Started", Value: fmtTime(r.Test.Started)},
		{Label: "Ended", Value: fmtTime(r.Test.Ended)},
		{Label: "Virtual users", Value: fmtInt(a.VUsers.Completed) + " completed, " + fmtInt(a.VUsers.Failed) + " failed"},
		{Label: "Expected statuses", Value: r.Test.ExpectStatus},
		{Label: "Statistics reset", Value: resetFact(r)},
		{Label: "Data", Value: fmtBytes(a.BytesSent) + " sent, " + fmtBytes(a.BytesRecv) + " received"},
		{Label: "Resent", Value: resentFact(r)},
		{Label: "Surge", Value: r.Version},
		{Label: "Generator", Value: generatorFact(r.Generator)},
	}
	out := facts[:0]
	for _, f := range facts {
		if f.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

// resetFact says when the statistics were reset and what the figures
// cover; empty without a reset.
func resetFact(r *results.Results) string {
	if r.Test.ResetAt.IsZero() {
		return ""
	}
	return fmtTime(r.Test.ResetAt) + ": figures cover the last " + fmtDuration(r.Aggregate.SpanS)
}

// latencyRows is the table of latencies. When some requests failed it
// gives those that did not fail a row: fast failures pull every
// percentile of the first row down.
func latencyRows(a *results.Aggregate) []latencyRow {
	row := func(name string, l results.Latency) latencyRow {
		return latencyRow{Name: name, Min: fmtLatency(l, l.Min), Mean: fmtLatency(l, l.Mean), P50: fmtLatency(l, l.P50),
			P90: fmtLatency(l, l.P90), P95: fmtLatency(l, l.P95), P99: fmtLatency(l, l.P99), P999: fmtLatency(l, l.P999),
			Max: fmtLatency(l, l.Max), Cnt: fmtInt(l.Sample)}
	}
	rows := []latencyRow{row("Latency (corrected)", a.Latency), row("Service time", a.Service)}
	switch {
	case a.Failures == 0: // the latency of every request is theirs
	case a.LatencyOK == nil:
		none := row("Latency, requests that did not fail: not recorded in this file", results.Latency{})
		none.Cnt = "–"
		rows = append(rows, none)
	default:
		rows = append(rows, row("Latency, requests that did not fail", *a.LatencyOK))
	}
	return rows
}

func endpointRows(eps []results.Endpoint) []endpointRow {
	rows := make([]endpointRow, 0, len(eps))
	for _, e := range eps {
		l := e.Latency
		rows = append(rows, endpointRow{Name: e.Name, Requests: fmtInt(e.Requests),
			Errors: fmtInt(e.Errors), ErrorShare: fmtShare(e.Errors, e.Requests),
			Failures: fmtInt(e.Failures), FailureShare: fmtShare(e.Failures, e.Requests), RPS: fmtRate(e.RPS),
			P50: fmtLatency(l, l.P50), P95: fmtLatency(l, l.P95), P99: fmtLatency(l, l.P99),
			P999: fmtLatency(l, l.P999), Max: fmtLatency(l, l.Max)})
	}
	return rows
}

// fmtLatency formats v, one figure of l, or "–" when l holds no sample:
// an endpoint never called, or one whose latency the results do not keep
// (a stream cut short keeps it per second for all endpoints together
// only). Its zeros are not measurements, and "0" would read as a latency
// of nothing; the terminal summary prints "-" for them too.
func fmtLatency(l results.Latency, v float64) string {
	if l.Sample == 0 {
		return "–"
	}
	return fmtMs(v)
}

// codeRows lists status codes with their share of responses.
func codeRows(codes map[string]int64) []countRow {
	var total int64
	for _, n := range codes {
		total += n
	}
	rows := make([]countRow, 0, len(codes))
	for _, c := range results.SortedCodes(codes) {
		rows = append(rows, countRow{Key: c, Count: fmtInt(codes[c]), Share: fmtShare(codes[c], total)})
	}
	return rows
}

// reasonRows lists why virtual users failed.
func reasonRows(v results.VUs) []reasonRow {
	rows := make([]reasonRow, 0, len(v.FailedBy))
	for _, f := range v.FailedBy {
		rows = append(rows, reasonRow{Reason: f.Reason, Count: fmtInt(f.Count), First: f.First})
	}
	return rows
}

// kindRows lists errors by kind with their share of requests.
func kindRows(kinds map[string]int64, requests int64) []countRow {
	rows := make([]countRow, 0, len(kinds))
	for _, k := range mapKeys(kinds) {
		rows = append(rows, countRow{Key: k, Count: fmtInt(kinds[k]), Share: fmtShare(kinds[k], requests)})
	}
	return rows
}

// monitorRows summarise each target-side series over the whole run.
func monitorRows(ivs []results.Interval) []monitorRow {
	names := sampler{ivs: ivs, k: 1}.keys(func(iv *results.Interval) []string { return mapKeys(iv.Monitor) })
	rows := make([]monitorRow, 0, len(names))
	for _, name := range names {
		lo, hi, sum, last, n := math.Inf(1), math.Inf(-1), 0.0, 0.0, 0
		for i := range ivs {
			v, ok := ivs[i].Monitor[name]
			if !ok {
				continue
			}
			lo, hi, sum, last, n = min(lo, v), max(hi, v), sum+v, v, n+1
		}
		rows = append(rows, monitorRow{Name: name, Min: fmtNum(lo), Mean: fmtNum(sum / float64(n)),
			Max: fmtNum(hi), Last: fmtNum(last)})
	}
	return rows
}

// fmtNum formats a value of unknown unit with four significant digits.
func fmtNum(v float64) string {
	return fmtFloat(roundSig(v, 4))
}
