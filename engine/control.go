package engine

import (
	"errors"
	"sync"
	"time"
)

// Control steers a running test from outside: a dashboard changes the
// arrival rate or the number of users, resets statistics, and reads the
// latest error messages. Create one with NewControl, put it in
// Test.Control, and call its methods from any goroutine.
type Control struct {
	mu        sync.Mutex
	rate      float64 // open model override; valid when rateSet
	rateSet   bool
	users     int64 // closed model target; valid when usersSet
	spawnRate float64
	usersSet  bool
	changed   chan struct{} // closed and replaced on every change
	reset     func()
	errs      []ErrorMessage
	errNext   int
}

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

// SetRate makes the open model send rate arrivals per second from now on,
// in place of the remaining phases (0 pauses arrivals).
func (c *Control) SetRate(rate float64) error {
	if rate < 0 {
		return errors.New("rate must not be negative")
	}
	c.mu.Lock()
	c.rate, c.rateSet = rate, true
	c.notifyLocked()
	c.mu.Unlock()
	return nil
}

// SetUsers makes the closed model run users users, starting or stopping
// them at spawnRate per second (0: at once).
func (c *Control) SetUsers(users int64, spawnRate float64) error {
	if users < 0 || spawnRate < 0 {
		return errors.New("users and spawn rate must not be negative")
	}
	c.mu.Lock()
	c.users, c.spawnRate, c.usersSet = users, spawnRate, true
	c.notifyLocked()
	c.mu.Unlock()
	return nil
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

func (c *Control) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// rateOverride reports the open-model override and a channel closed at
// the next change.
func (c *Control) rateOverride() (rate float64, set bool, changed <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rate, c.rateSet, c.changed
}

func (c *Control) usersOverride() (users int64, spawnRate float64, set bool, changed <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.users, c.spawnRate, c.usersSet, c.changed
}
