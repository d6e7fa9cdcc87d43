// Package prober runs a capacity search (package capacity) against a
// real target: each probe the search asks for is a test run through
// package session at one load (an arrival rate, or a number of users),
// for a warm-up and a measured span; the measured seconds are cut from
// the probe's results, and between probes the target is left idle for a
// cool-down so that one probe's queue does not spill into the next.
//
// The generator's watch on itself is the engine's, which every run has
// (package selfwatch's figures in each interval of the results): over the
// measured seconds, its CPU use and demand against the cores it may use,
// the lateness of its own timer and of its pacer, and how long requests
// waited before they were sent (latency from the intended start minus
// service time, per second). A probe that failed while the generator was past
// its limits ends the search with capacity.GeneratorSaturated, so that
// Surge's own limit is never reported as the target's.
//
// Report is the search written out: the JSON document of every probe,
// each load's verdict, the answer and the fitted models. The SLO's
// warnings (an ok_ objective without failure_rate) are in the document,
// the summary's text and the report page as well as on stderr: each is
// kept on its own, and must say on its own that its verdicts ignore
// failures.
package prober
