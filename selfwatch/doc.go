// Package selfwatch decides from the load generator's measurements of
// itself whether it, rather than the system under test, was the
// bottleneck: whether it sent its arrivals late because it ran out of CPU
// or fell ever further behind its schedule. A generator-bound run
// measures the generator, and its latencies must not be read as the
// server's.
//
// The engine measures each interval (Second): how late the pacer sent the
// open model's arrivals (send lag), how late the self-watch's own timer
// fired, the process's CPU time as a share of the cores it may use, and
// the connections it opened. Judge turns the seconds into a Verdict with
// hysteresis: a second is strained when the lag is past Limits.MaxLagMs
// while the CPU is at Limits.MaxCPU, or when the send lag grew by more
// than Limits.RunawayShare of the interval (the backlog runs away,
// whatever starved the generator); Limits.Enter strained seconds in a row
// make it bound, Limits.Leave healthy ones in a row free it.
//
// The package is pure: it reads no clock and starts no goroutine.
package selfwatch
