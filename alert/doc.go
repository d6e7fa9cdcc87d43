// Package alert evaluates alarm rules with Amazon CloudWatch's documented
// metric-alarm semantics, so that a load test can rehearse the alarms
// on-call will receive in production.
//
// It owns the vocabulary of a rule (period, evaluation periods N,
// datapoints to alarm M, evaluation range, comparison, threshold, the
// four treatments of missing data, the low-sample rule of percentile
// statistics), the three states OK, ALARM and INSUFFICIENT_DATA, and the
// state machine that turns one datapoint per period into state
// transitions, each with a reason a person can read. [Evaluate] is the
// decision for one evaluation, table-tested against the worked examples
// of the CloudWatch documentation; [Alarm] applies it at every period
// boundary.
//
// The package is pure: it is fed datapoints with their timestamps and
// told what time it is; it reads no clock and starts no goroutine.
// Where the datapoints come from (Surge's per-second intervals, a
// results file, a target's monitored series) is package series' concern;
// who is told about a transition is package alert/notify's.
package alert
