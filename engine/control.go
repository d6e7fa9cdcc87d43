package engine

import (
	"errors"
	"math"
	"sync"
	"time"
)

// Control steers a running test from outside: a dashboard changes the
// arrival rate or the number of users, resets statistics, and reads the
// latest error messages. Create one with NewControl, put it in
// Test.Control, and call its methods from any goroutine.
//
// A load set through it replaces the rest of the plan, from the moment it
// is set until the plan's end, and the model last set is the one that
// runs: SetRate on a closed-model test stops its users and starts
// arrivals, SetUsers on an open-model test stops arrivals and starts
// users.
type Control struct {
	mu      sync.Mutex
	load    Load
	changed chan struct{} // closed and replaced on every change
	reset   func()
	errs    []ErrorMessage
	errNext int
}

// Model is the load model a test runs.
type Model int

// Models. ModelPlan means no load was set: the test's phases run.
const (
	ModelPlan   Model = iota
	ModelOpen         // arrivals at a rate
	ModelClosed       // a number of looping users
)

func (m Model) String() string {
	switch m {
	case ModelOpen:
		return "open"
	case ModelClosed:
		return "closed"
	}
	return "plan"
}

// Load is a load set through a Control.
type Load struct {
	Model     Model
	Rate      float64 // ModelOpen: arrivals a second
	Users     int64   // ModelClosed: users
	SpawnRate float64 // ModelClosed: users started a second (0: at once)
}

// MaxRate bounds rates set through a Control: one arrival or user start
// a nanosecond, the resolution of intended times.
const MaxRate = 1e9

// ErrorMessage is one recent failure, for display.
type ErrorMessage struct {
	At       time.Time `json:"at"`
	Endpoint string    `json:"endpoint"`
	Kind     string    `json:"kind"`
	Message  string    `json:"message"`
}

// maxErrorMessages is how many recent error messages a Control keeps.
const maxErrorMessages = 50

// NewControl returns a Control with no overrides.
func NewControl() *Control { return &Control{changed: make(chan struct{})} }

// SetRate makes the test send rate arrivals per second from now on, in
// place of the remaining phases (0 pauses arrivals), and stops any
// closed-model users.
func (c *Control) SetRate(rate float64) error {
	if err := checkRate("rate", rate); err != nil {
		return err
	}
	c.set(func(l *Load) { l.Model, l.Rate = ModelOpen, rate })
	return nil
}

// SetUsers makes the test run users looping users from now on, in place of
// the remaining phases and of any arrivals. Users start at spawnRate per
// second (0: at once); users beyond the number stop at once, newest first.
func (c *Control) SetUsers(users int64, spawnRate float64) error {
	if users < 0 {
		return errors.New("users must not be negative")
	}
	if err := checkRate("spawn rate", spawnRate); err != nil {
		return err
	}
	c.set(func(l *Load) { l.Model, l.Users, l.SpawnRate = ModelClosed, users, spawnRate })
	return nil
}

func checkRate(name string, rate float64) error {
	if math.IsNaN(rate) || rate < 0 || rate > MaxRate {
		return errors.New(name + " must be a number from 0 to 1e9 a second")
	}
	return nil
}

// Load returns the load last set, which the engine runs (Model ModelPlan
// when none was set: the phases run).
func (c *Control) Load() Load {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load
}

func (c *Control) set(change func(*Load)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	change(&c.load)
	close(c.changed)
	c.changed = make(chan struct{})
}

// ResetStats clears the statistics gathered so far; intervals go on.
func (c *Control) ResetStats() {
	c.mu.Lock()
	reset := c.reset
	c.mu.Unlock()
	if reset != nil {
		reset()
	}
}

// Errors returns the most recent error messages, oldest first.
func (c *Control) Errors() []ErrorMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.errs) < maxErrorMessages {
		return append([]ErrorMessage(nil), c.errs...)
	}
	return append(append([]ErrorMessage(nil), c.errs[c.errNext:]...), c.errs[:c.errNext]...)
}

func (c *Control) addError(m ErrorMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.errs) < maxErrorMessages {
		c.errs = append(c.errs, m)
		return
	}
	c.errs[c.errNext] = m
	c.errNext = (c.errNext + 1) % maxErrorMessages
}

// current returns the load last set and a channel closed at the next
// change.
func (c *Control) current() (Load, <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load, c.changed
}
