// Package prober runs a capacity search (package capacity) against a
// real target: each probe the search asks for is a test run through
// package session at one load (an arrival rate, or a number of users),
// for a warm-up and a measured span; the measured seconds are cut from
// the probe's results, and between probes the target is left idle for a
// cool-down so that one probe's queue does not spill into the next.
//
// The generator watches itself while a probe runs: its CPU time against
// the cores it may use (getrusage), the lateness of its own timers (a
// ticker that notes how late it wakes), and how long requests waited
// before they were sent (latency from the intended start minus service
// time, per second). A probe that failed while the generator was past
// its limits ends the search with capacity.GeneratorSaturated, so that
// Surge's own limit is never reported as the target's.
//
// Report is the search written out: the JSON document of every probe,
// each load's verdict, the answer and the fitted models.
package prober
