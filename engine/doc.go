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
// A test may run one share of its plan (Test.Segment): the open model
// walks only the share's global arrival indices, at their single-run
// intended times, and the closed model runs only the share's users. Every
// scenario run's draws (which scenario, and VU.Rand) are a function of
// Test.Seed and the run's global identity (VU.Iteration), so the shares of
// a test together make exactly the choices a single run makes.
// Test.PlanHash identifies the plan, for checking that results files are
// shares of one test.
//
// Test.MaxRequests ends a test after exactly that many requests (ab's and
// hey's -n), in either model: a request takes a token once it holds a
// connection, and the last token stops arrivals and iterations while the
// requests in flight finish.
//
// The engine knows nothing of scripts, terminals, files or dashboards: it
// takes scenarios as Go functions and gives out metrics.Snapshot values.
package engine
