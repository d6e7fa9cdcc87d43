// Package capacity is the breaking-point search behind surge capacity:
// the highest load a target sustains under an SLO, found by probes of a
// set length, each judged with confidence.
//
// A search grows the load exponentially (Start, ×Growth) until a probe
// fails, then bisects between the highest load that passed and the
// lowest that failed until they are within Precision of each other, then
// runs a confirmation at the answer, which must pass on its own. A probe
// passes only if every objective of the SLO holds with confidence, at
// least MinAchieved of the offered rate completed, and latency did not
// trend upward inside it (a growing queue: the load would fail if held).
//
// Noise is handled, not trusted: each objective gets an interval from a
// circular block bootstrap over the probe's seconds (consecutive seconds
// are correlated), and a probe whose interval straddles the limit is
// UNSURE. An UNSURE load is probed again, its seconds joining the first
// probe's, up to Extensions times; if it is still UNSURE it is "not
// shown to hold" and ends the bracket, unless a higher load then passed
// with confidence. A percentile objective (p99<300ms) is judged by the
// share of requests slower than the limit, so the verdict compares with
// the limit exactly; its interval in milliseconds is read from a grid of
// latencies around the estimate. An objective on the latency of the
// requests that did not fail (ok_p99<300ms, k6's
// http_req_duration{expected_response:true}) reads the seconds'
// Second.LatencyOK instead, since fast failures (an instant 503) pull
// every latency down; a probe in which no request succeeded breaks it
// (there is no latency, not one of 0 ms), as does each resample of
// seconds without a success. The trend is the Mann-Kendall test on
// the per-second p50 and p99 with Sen's slope, and counts only when it
// is significant (p < 0.01) and large (a rise of a quarter over the
// probe). It reads the latency the SLO's latency objectives judge
// (TrendReads): a load-shedding target's instant 503s keep every
// request's latency flat while its successes queue, so an SLO on the
// successes alone reads theirs, one on both reads both. A second with
// no reading (no success) is skipped, not read as 0 ms, and a probe with
// fewer than MinTrendSeconds readings is not tested, which the
// Judgement's trends say.
//
// A failed probe says what bound: latency, failures, 429 throttles,
// throughput (the load was not served), a growing queue, a scaling lag
// (the objectives broke early in the probe and held at its end), or that
// no request succeeded (for an objective on those that did not). A probe
// the generator could not drive (its CPU or timer lag past
// GeneratorLimits) ends the search: Surge's own limit is never reported
// as the target's.
//
// The search is a step function (Search.Add a probe, Search.Next for the
// next probe or the Answer). The package is pure: it reads no clock and
// starts no goroutine; the driver that runs probes through package
// session is capacity/prober.
package capacity
