// Package report writes a load test's results as one self-contained HTML
// file that works offline: summary, threshold verdicts, per-endpoint table,
// status codes and errors by kind, interactive time-series charts (rate,
// latency, virtual users, requests in flight, errors, dropped arrivals,
// target-side monitor series) and the latency percentile distribution.
//
// It owns the page and the data it embeds, nothing else: it reads a
// [results.Results] (one run, or several merged, the schema is the same)
// and imports internal/webui for the chart scripts and styles, which it
// inlines. The data goes in a JSON script block written by encoding/json,
// so no value in it can end the block. Long runs are downsampled in Go
// (min/max-preserving buckets, worst case for latency) so a one-hour report
// stays small; per-interval histograms are never embedded.
//
// The page references nothing outside itself and its Content-Security-Policy
// forbids the browser to fetch anything. A binary built without the web
// assets (without the surge_webui build tag) writes a tables-only report
// that says so at the top.
package report
