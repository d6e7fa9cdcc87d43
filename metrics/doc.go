// Package metrics records what a load test measured and hands it out as
// immutable snapshots.
//
// It owns the request sample, the sharded recorder that the engine writes
// to on every request, the per-second intervals, and the statistics
// (counters plus HDR histograms of latency and service time) that every
// consumer downstream reads: the terminal, the results file, the dashboard
// and the report. Latency and service time are kept twice: over every
// request, and over the requests that did not fail (fast failures would
// pull the first down). Histograms share one geometry (1 µs to 1 h, three
// significant digits), so statistics from separate runs, shards or
// machines merge exactly.
//
// Recording takes one of several shard locks, chosen by the caller, and
// allocates nothing: a shard buffers a few hundred raw requests, then
// moves them into the interval in progress (see the Recorder type for the
// layout that keeps memory independent of shards × endpoints). Statistics
// hold sparse (packed) histograms, whose size follows the latencies seen;
// snapshots share the statistics that did not change and never see them
// change afterwards. The package starts no goroutine and reads no clock
// of its own: the engine calls [Recorder.Flush] once a second with the
// time it closes.
package metrics
