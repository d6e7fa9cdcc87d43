// Package judge follows a run's rules second by second: k6-style
// thresholds (package threshold) and alerts with CloudWatch's semantics
// (package alert, fed through series.Watch). It decides what the rules ask
// of the run — a change of state to report, the run marked failed, the run
// stopped — and leaves the doing (printing, notifying, cancelling the
// test) to its caller, package session.
//
// A live run and a results file feed it the same series.Second values, so
// a finished run is judged as it was while it ran. Rules report on their
// own clock of periods counted from the start of the run: a transition's
// time is the end of the period that decided it.
//
// The package is pure: it reads no clock and starts no goroutine.
package judge
