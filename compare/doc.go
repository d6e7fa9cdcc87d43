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
// The package is pure: it reads no clock and starts no goroutine, and the
// same seed gives the same numbers. docs/compare.md explains the output
// and holds the calibration that shows the verdicts can be trusted.
package compare
