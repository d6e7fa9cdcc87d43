// Package series is a load test's per-second record as rules read it,
// and the statistics rules ask of it over a window of seconds.
//
// It owns the input type of thresholds and alarms, [Second] (requests,
// errors, failures and latency, for every endpoint together and per
// endpoint; virtual users; the target's monitored series), built alike
// from a live run's snapshots ([Live]) and from a results file
// ([FromResults]), so that a rule judges a finished run exactly as it
// would have judged it live. [Acc] computes a metric's statistic over any
// run of seconds; [Watch] cuts seconds into an alarm's periods and feeds
// one datapoint per period to an [alert.Alarm].
//
// The package is pure: it reads no clock and starts no goroutine.
package series
