// Package selfwatch decides from the load generator's measurements of
// itself whether it, rather than the system under test, was the
// bottleneck: whether it sent its arrivals late because it ran out of CPU
// or fell ever further behind its schedule. A generator-bound run
// measures the generator, and its latencies must not be read as the
// server's.
//
// The engine measures each interval (Second): how late the open model's
// arrivals began (send lag, a wait for a free connection included), how
// late the pacer handed them on (its own lateness alone), how late the
// self-watch's own timer fired, the process's CPU time and its demand
// (CPU time run or waited for) as shares of the cores it may use, and the
// connections it opened. Judge turns the seconds into a Verdict with
// hysteresis. A second is strained when the generator was late (a lag
// past Limits.MaxLagMs) while its CPU use was at Limits.MaxCPU (busy);
// when the pacer handed on no arrival of the second within
// Limits.RunawayShare of the interval of its time (runaway: a backlog it
// never caught up on, whatever starved it); or when the arrivals' send
// lag was never within that share either and grew by more than it while
// its CPU demand was at the limit (starved: it wanted its cores and other
// processes held them).
// Limits.Enter strained seconds in a row make it bound, from the first of
// them or from the late seconds (a lag past Limits.MaxLagMs) just before
// them; Limits.Leave healthy ones in a row free it. Within a span, a
// second whose arrivals all began late past the runaway share (the
// backlog drained late) counts as strained, and so does one whose
// arrivals waited past the limit for connections the generator's own
// growing pool had not opened yet (Second.PoolWaits). A slow server behind a bounded pool
// makes arrivals wait ever longer for connections while the generator
// idles: that is the server's limit, not the generator's, and is not
// strained; nor is a modest run on a machine far busier than its cores,
// late now and then but never running away.
//
// A Judgement judges one second at a time, holding a few seconds' state
// whatever the run's length, for live use (the progress line's notice,
// Prometheus's surge_generator_bound); Judge is a Judgement fed a slice,
// so that both give the same spans.
//
// The package is pure: it reads no clock and starts no goroutine.
package selfwatch
