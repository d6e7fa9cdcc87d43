// Package ensure runs Artillery's end-of-test checks (the ensure plugin)
// against a Surge results document: the legacy limits (p95, p99, median,
// min, max, maxErrorRate), thresholds ("metric: limit", meaning
// metric < limit) and conditions (filtrex expressions over metric names,
// optionally non-strict).
//
// It owns how a results document is seen as Artillery metrics (counters
// under their Artillery names, http.request_rate, and response time
// summaries such as http.response_time.p95), how each check is written
// and judged, the "ok: …" / "fail: …" lines Artillery prints, and the
// exit code (1 when a strict check fails). A metric the results lack makes
// its check fail, as in Artillery.
//
// The package is pure: it reads a *results.Results and returns verdicts.
package ensure
