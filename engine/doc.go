// Package engine generates load: it starts virtual users on schedule, runs
// their scenarios, and records every request.
//
// It owns the open model (one VU per arrival at an absolute intended time,
// capped by maxVusers with the excess counted as dropped, as are arrivals
// a bounded pool cannot start by the plan's end plus the grace period),
// the closed model (a fixed number of looping VUs spawned at a rate), the
// switch between them when a Control sets a load, the VU and its HTTP
// request path, and the once-a-second hand-off of metrics snapshots.
//
// Latency is measured from the moment a request was meant to start: the
// arrival's intended time for a VU's first request, the end of the
// previous step (plus the intended think time) for the ones after, and for
// a closed-model user's next iteration the moment it is ready to send. So a
// stalled server, a late scheduler or a wait for a free connection all show
// in the latency, never hidden by coordinated omission. Service time, from
// the actual send, is recorded beside it.
//
// The engine knows nothing of scripts, terminals, files or dashboards: it
// takes scenarios as Go functions and gives out metrics.Snapshot values.
package engine
