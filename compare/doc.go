// Package compare decides whether a load-test run got better or worse than
// another: for every endpoint and for all of them together it compares
// latency percentiles, the mean, throughput, the error rate and the
// failure rate, gives each a head/base ratio with a confidence interval,
// and a verdict (improved, regressed, no change inside a practical margin,
// or inconclusive).
//
// Consecutive seconds of a load test are not independent (a slow second is
// followed by another slow second: queues drain slowly, collectors pause,
// neighbours stay noisy), so treating a run's million requests as a
// million independent samples calls every wiggle significant. The unit of
// replication here is the second: a circular block bootstrap resamples
// blocks of consecutive per-second histograms, with the block length read
// from the series' own autocorrelation. Rates use a Newcombe (hybrid
// Wilson score) interval on counts shrunk by the design effect the
// bootstrap measured. A binned Mann-Whitney test on the HDR histograms
// gives a second opinion on the whole latency distribution, and Holm's
// correction keeps the chance of any false verdict in a comparison at α.
// Batch compares repeated runs the way benchstat compares benchmarks.
//
// Fast failures (a throttled function's 429 in 2 ms, an overloaded
// server's instant 503) pull every latency percentile down, so the run
// that fails most looks fastest, and a run optimised to be throttled less
// reads as a latency regression. Where either run failed requests, the
// ok_ rows (ok_p50 … ok_p99.9, ok_mean: Surge's name for the requests that
// did not fail, as in ok_p(99) and latency_ok) compare the latency of the
// successes from the results file's hist.latency_ok, resampled like
// latency. They are ordinary rows of Holm's family and the verdict: their
// regression is the service's. Without failures they are left out, since
// they would repeat the latency rows and only weaken Holm's correction; a
// file without hist.latency_ok leaves them out with a note rather than
// comparing zeros, and a run in which none succeeded says so in the row.
// Where the two latencies moved opposite ways, a finding says why in a
// sentence: the failures changed. The Mann-Whitney second opinion goes
// with the ok_ rows: where a scope has them, it tests the successes'
// distribution too, with their own design effect (Shift.Latency says
// which latency a test read).
//
// The package is pure: it reads no clock and starts no goroutine, and the
// same seed gives the same numbers. docs/compare.md explains the output
// and holds the calibration that shows the verdicts can be trusted.
package compare
