package taskset

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"

	"github.com/surge-dev/surge/transport"
)

// User is one kind of user.
type User struct {
	Name   string
	Weight int // relative share of users of this kind; 0 counts as 1
	// Host is the base URL the paths of this user's requests are appended
	// to, as Locust's host: used when the test is given no target (Test's
	// target, or --target, wins).
	Host string
	// Wait is the pause after each task (nil: none), as Locust's
	// wait_time. An open-model user (--rate), which runs one task, does
	// not wait after it.
	Wait Wait
	// Pacing, instead of Wait, starts each task Pacing after the start of
	// the one before, as Locust's constant_pacing (constant_throughput(n)
	// is Pacing: time.Second / n): the wait after a task is what is left
	// of Pacing, none when the task took longer.
	Pacing time.Duration
	// OnStart runs once per user before its first task; an error fails
	// the user, which then runs no task.
	OnStart func(c *Client) error
	// OnStop runs once per user when it stops, as Locust's on_stop: a
	// looping user's at the end of the test (or when the dashboard lowers
	// the users, the test is interrupted, a task returns ErrStopUser or
	// calls StopTest), an open-model user's after its task. Its requests
	// are sent and counted under "<user>.on_stop" although the user was
	// told to stop (after an interrupt, within its grace period). It does
	// not run when OnStart failed. An error fails the user, if nothing did
	// before.
	OnStop func(c *Client) error
	Tasks  []Task
}

// ErrStopUser, returned by a task or OnStart, stops the user as Locust's
// StopUser does: it runs OnStop and no further task, and is not replaced;
// it counts as completed, not failed.
var ErrStopUser = engine.ErrStopUser

// Task is one thing a user does, picked by weight each time.
type Task struct {
	Name   string
	Weight int // 0 counts as 1
	Run    func(c *Client) error
}

// Wait returns how long a user pauses between tasks.
type Wait func() time.Duration

// Constant waits d after every task.
func Constant(d time.Duration) Wait { return func() time.Duration { return d } }

// Between waits a uniformly random time in [min, max].
func Between(min, max time.Duration) Wait {
	return func() time.Duration {
		if max <= min {
			return min
		}
		return min + time.Duration(rand.Int64N(int64(max-min)+1))
	}
}

// Test builds an engine test: users of the given kinds hitting target
// (a base URL that task paths are appended to; "": each user's Host) on
// the phases' schedule.
func Test(target string, phases []schedule.Phase, users ...User) (*engine.Test, error) {
	if len(users) == 0 {
		return nil, errors.New("taskset: no users")
	}
	t := &engine.Test{Phases: phases}
	kinds := make([]*kind, 0, len(users))
	failures := &failureCounters{ids: map[string]metrics.Counter{}}
	for _, u := range users {
		k, err := newKind(t, u, target)
		if err != nil {
			return nil, err
		}
		k.failures = failures
		kinds = append(kinds, k)
	}
	t.Scenarios = []engine.Scenario{{Name: "taskset", Run: runner(kinds)}}
	return t, nil
}

// kind is a compiled User.
type kind struct {
	user     User
	target   string
	start    int   // endpoint of OnStart, if it has one
	stop     int   // endpoint of OnStop, if it has one
	tasks    []int // endpoint of each task
	weights  []int // cumulative task weights
	weight   int
	failures *failureCounters
}

func newKind(t *engine.Test, u User, target string) (*kind, error) {
	if u.Name == "" || len(u.Tasks) == 0 {
		return nil, fmt.Errorf("taskset: user %q needs a name and at least one task", u.Name)
	}
	if target == "" {
		target = u.Host
	}
	if err := checkTarget(u.Name, target); err != nil {
		return nil, err
	}
	if u.Pacing < 0 || (u.Pacing > 0 && u.Wait != nil) {
		return nil, fmt.Errorf("taskset: user %q: give Wait or a positive Pacing, not both", u.Name)
	}
	k := &kind{user: u, target: strings.TrimRight(target, "/"), weight: max(u.Weight, 1)}
	if u.OnStart != nil { // a user without one would list an endpoint that never has a request
		k.start = t.Endpoint(u.Name + ".on_start")
	}
	if u.OnStop != nil {
		k.stop = t.Endpoint(u.Name + ".on_stop")
	}
	sum := 0
	for _, task := range u.Tasks {
		if task.Run == nil || task.Name == "" {
			return nil, fmt.Errorf("taskset: user %q has a task without a name or Run", u.Name)
		}
		sum += max(task.Weight, 1)
		k.weights = append(k.weights, sum)
		k.tasks = append(k.tasks, t.Endpoint(task.Name))
	}
	return k, nil
}

// ErrNoTarget is the error of Test when a user has no Host and no target
// was given.
var ErrNoTarget = errors.New("no target was given")

// checkTarget accepts an http(s) URL with a host.
func checkTarget(user, target string) error {
	if target == "" {
		return fmt.Errorf("taskset: user %q has no Host, and %w", user, ErrNoTarget)
	}
	if why := transport.URLProblem(target); why != "" {
		return fmt.Errorf("taskset: target %q %s", target, why)
	}
	return nil
}

// userKey is where a VU keeps its user state between iterations.
const userKey = "taskset.user"

// runner is the one engine scenario: it gives each VU a kind and a
// Client once, then runs one task per call. The closed model calls it
// again and again for the same VU.
func runner(kinds []*kind) func(context.Context, *engine.VU) error {
	order := userOrder(kinds)
	return func(ctx context.Context, vu *engine.VU) error {
		c, err := setup(vu, order)
		if err != nil {
			return err
		}
		return c.kind.iterate(c)
	}
}

// setup returns the VU's client, creating it and running OnStart on the
// VU's first call.
func setup(vu *engine.VU, order []*kind) (*Client, error) {
	if c, ok := vu.Vars[userKey].(*Client); ok {
		if c.startErr != nil {
			// A closed-model user whose setup failed stays idle rather
			// than spinning through failures.
			vu.Think(time.Second)
		}
		return c, c.startErr
	}
	k := kindOf(order, vu.Iteration)
	c := &Client{Vars: map[string]any{}, Header: http.Header{}, vu: vu, kind: k}
	vu.Vars = map[string]any{userKey: c}
	if k.user.OnStart != nil {
		c.endpoint, c.name = k.start, k.user.Name+".on_start"
		c.startErr = c.call(k.user.OnStart)
	}
	if k.user.OnStop != nil && (c.startErr == nil || errors.Is(c.startErr, ErrStopUser)) {
		vu.OnStop(func() error {
			c.endpoint, c.name = k.stop, k.user.Name+".on_stop"
			return c.counted(c.call(k.user.OnStop))
		})
	}
	if c.startErr != nil {
		c.startErr = c.counted(c.startErr)
	}
	return c, c.startErr
}

// userOrder is one cycle of kinds, each as often as its weight, spread
// out by smooth weighted round robin (weights 3 and 1 give a a b a). Users
// take kinds from it in turn, as Locust distributes users over classes by
// weight: 8 users of weights 3:1 are always 6 and 2, never a random draw
// that leaves a kind out.
func userOrder(kinds []*kind) []*kind {
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	current := make([]int, len(kinds))
	order := make([]*kind, 0, total)
	for range total {
		best := 0
		for i, k := range kinds {
			current[i] += k.weight
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		order = append(order, kinds[best])
	}
	return order
}

// kindOf is the kind of the user whose first run has the given global
// index: a closed-model user's index in spawn order, or an arrival's, the
// same in a single run and in a segment of it.
func kindOf(order []*kind, index int64) *kind {
	return order[uint64(index)%uint64(len(order))]
}

// iterate runs one task picked by weight, then waits: Wait, or what is
// left of Pacing. A user that runs one task (an open-model arrival), or
// that the task stopped, does not wait.
func (k *kind) iterate(c *Client) error {
	i := k.pickTask(c.vu.Rand())
	c.endpoint, c.name = k.tasks[i], k.user.Tasks[i].Name
	began := time.Now()
	err := c.counted(c.call(k.user.Tasks[i].Run))
	if !c.vu.Looping() || errors.Is(err, ErrStopUser) {
		return err
	}
	var wait time.Duration
	switch {
	case k.user.Pacing > 0:
		wait = k.user.Pacing - time.Since(began)
	case k.user.Wait != nil:
		wait = k.user.Wait()
	default:
		return err
	}
	if werr := c.vu.Think(wait); werr != nil && err == nil {
		err = werr
	}
	return err
}

// pickTask draws from the run's own source (the test's seed and the
// run's global identity), as the engine picks a script's scenario: a
// single run with a seed is reproducible, and each share of a split test
// picks for a run what the single run picks for it.
func (k *kind) pickTask(r *rand.Rand) int {
	n := r.IntN(k.weights[len(k.weights)-1])
	for i, w := range k.weights {
		if n < w {
			return i
		}
	}
	return len(k.weights) - 1
}
