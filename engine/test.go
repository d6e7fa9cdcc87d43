package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// Scenario is one behaviour a VU can run. In the open model a VU runs it
// once; in the closed model it runs it over and over until its phase ends.
type Scenario struct {
	Name   string
	Weight int // relative chance of being picked; 0 counts as 1
	// Run performs the flow. A non-nil error marks the VU failed; so
	// does a panic, recovered as a *PanicError (reason "panic").
	Run func(ctx context.Context, vu *VU) error
}

// ConnMode says how VUs map to connections.
type ConnMode int

// Connection modes.
const (
	// PerVU gives every VU its own keep-alive connection, as Artillery does:
	// each new VU opens a new connection, like a new client would.
	PerVU ConnMode = iota
	// Shared lets all VUs draw from one keep-alive pool, as Vegeta and hey
	// do; with Connections > 0 the pool is bounded and requests wait for a
	// free connection, their latency still counted from the intended start.
	// With Connections 0 the open model's pool grows while more
	// connections help, up to DefaultPoolBound (see growth); the closed
	// model's users each hold at most one connection at a time.
	Shared
)

// Test is everything the engine needs to run a load test.
type Test struct {
	Phases    []schedule.Phase
	Scenarios []Scenario
	// Endpoints names the endpoints requests are recorded under; VU.Do
	// takes an index into it.
	Endpoints []string

	HTTP        transport.Config
	Conns       ConnMode
	Connections int // Shared mode: pool bound (0: the open model's pool grows, see Shared)
	// StartAt, when set, is when the test's clock starts: the pool
	// readies itself before (see warm.go), so that the shares of a
	// distributed test start together whatever their warm-ups took. A
	// context that ends before it ends Run with ErrNotStarted.
	StartAt time.Time
	// Targets are requests whose hosts the open model's shared pool
	// connects to before the test's clock starts, as many connections as
	// its first second needs (see warm.go); nil: none, every connection
	// is dialled by the request that first needs it.
	Targets []*Prepared
	Timeout time.Duration // per request (0: transport.DefaultTimeout)
	// Expect is the set of response statuses that are not failures (nil:
	// metrics.DefaultExpected, 100 to 399). Network and protocol errors
	// are always failures.
	Expect *metrics.StatusSet
	// MaxBody bounds the bytes of a response body kept (decoded) for
	// captures and checks (0: DefaultMaxBody); the rest is read, counted
	// and dropped, and Response.Truncated says so.
	MaxBody int64
	// Grace is how long in-flight requests may finish after a stop before
	// they are cancelled (0: DefaultGrace). With a bounded pool it also
	// bounds the queue: an arrival no worker picked up by the end of the
	// plan plus Grace is dropped.
	Grace time.Duration
	// Abort, when closed, stops the test as cancelling Run's context does
	// and cancels requests in flight at once, cutting the grace period
	// short (a second Ctrl-C).
	Abort <-chan struct{}
	// Interval between snapshots (0: one second).
	Interval time.Duration
	// OnSnapshot receives a snapshot each interval and a final one; it is
	// called from one goroutine and must return quickly.
	OnSnapshot func(metrics.Snapshot)
	// Control, when set, lets a dashboard steer the running test. Under a
	// Segment the load it sets is this share's alone.
	Control *Control
	// Segment is the share of the plan this test runs (nil: the whole
	// test). The open model walks only the share's global arrival
	// indices, each at its single-run intended time; the closed model runs
	// only the share's users, each spawned when a single run spawns it;
	// a phase's maxVusers is split among the shares
	// (schedule.Segment.MaxVUsers).
	Segment *schedule.Segment
	// Seed makes each scenario run's draws (which scenario runs, and
	// VU.Rand) a function of the seed and the run's global identity, so
	// that the shares of a segmented test choose for every arrival what a
	// single run with the same seed chooses.
	Seed uint64
	// MaxRequests ends the test once that many requests have been sent
	// (0: no limit), whichever of it and the plan's end comes first: no
	// arrival or iteration starts after the last one, and requests in
	// flight finish. Every request counts, a redirect's hops each as one,
	// and the count is exact however many VUs run at once; runs refused
	// at the end are neither dropped nor failed, and the test is not
	// Interrupted. Under a Segment it is this share's budget.
	MaxRequests int64

	// sampled, when set (by tests), sees every request as it is recorded,
	// from the VU's goroutine.
	sampled func(metrics.Sample)
	// clockStarting, when set (by tests), is called as the test's clock
	// starts, after the warm-up, before the first arrival.
	clockStarting func()
	// maxPool, when set (by tests), replaces DefaultPoolBound.
	maxPool int64
}

// DefaultGrace is how long a stopped test waits for requests in flight.
const DefaultGrace = 10 * time.Second

// Validate reports a test that cannot run.
func (t *Test) Validate() error {
	if len(t.Scenarios) == 0 {
		return errors.New("no scenarios")
	}
	if len(t.Phases) == 0 {
		return errors.New("no phases")
	}
	for i, s := range t.Scenarios {
		if s.Run == nil {
			return fmt.Errorf("scenario %d (%s) has no Run function", i+1, s.Name)
		}
		if s.Weight < 0 {
			return fmt.Errorf("scenario %d (%s) has a negative weight", i+1, s.Name)
		}
	}
	if t.Connections < 0 {
		return errors.New("connections must not be negative")
	}
	if t.MaxRequests < 0 {
		return errors.New("max requests must not be negative")
	}
	return nil
}

// Endpoint returns the index of name in the test's endpoints, adding it if
// it is new. Call it while building the test, before Run.
func (t *Test) Endpoint(name string) int {
	for i, n := range t.Endpoints {
		if n == name {
			return i
		}
	}
	t.Endpoints = append(t.Endpoints, name)
	return len(t.Endpoints) - 1
}

func (t *Test) segment() *schedule.Segment {
	if t.Segment != nil {
		return t.Segment
	}
	return schedule.Whole()
}

func (t *Test) timeout() time.Duration {
	if t.Timeout > 0 {
		return t.Timeout
	}
	return transport.DefaultTimeout
}

// Expected is the statuses that are not failures: Expect, or the
// default (100-399) when it is nil.
func (t *Test) Expected() metrics.StatusSet {
	if t.Expect != nil {
		return *t.Expect
	}
	return metrics.DefaultExpected()
}

func (t *Test) maxBody() int64 {
	if t.MaxBody > 0 {
		return t.MaxBody
	}
	return DefaultMaxBody
}

func (t *Test) grace() time.Duration {
	if t.Grace > 0 {
		return t.Grace
	}
	return DefaultGrace
}

func (t *Test) poolBound() int64 {
	if t.maxPool > 0 {
		return t.maxPool
	}
	return DefaultPoolBound
}

func (t *Test) interval() time.Duration {
	if t.Interval > 0 {
		return t.Interval
	}
	return time.Second
}
