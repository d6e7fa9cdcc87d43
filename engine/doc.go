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
// A scenario can end its own VU (ErrStopUser: a closed-model user runs
// no more iterations and is not replaced) or the whole load
// (VU.StopTest: as the plan's end would, not an interrupt), and register
// a function to run once its VU stops (VU.OnStop), whose requests are
// sent although the VU was told to stop: Locust's StopUser,
// runner.quit() and on_stop, for package taskset.
//
// Open-model arrivals in the Shared connection mode run on a pool of
// workers, one per connection: Test.Connections of them, or, without it,
// a pool that starts workers on demand up to a ceiling that doubles each
// second arrivals wait at it, only while its connections were busy half
// the time or more, the doubling raised the completed rate and the
// generator kept up, and never past DefaultPoolBound. The
// pacer never waits for the pool: an arrival that finds its queue full is
// dropped.
//
// Every run watches the generator itself (watch.go): per interval, how
// late arrivals began and how late the pacer handed them on, how late the
// watch's own timer fired, the process's CPU use and demand as shares of
// GOMAXPROCS, and the connections opened (metrics.Interval.Generator);
// package selfwatch judges it.
//
// The engine knows nothing of scripts, terminals, files or dashboards: it
// takes scenarios as Go functions and gives out metrics.Snapshot values.
package engine
