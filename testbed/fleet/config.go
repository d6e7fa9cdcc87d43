package fleettarget

import (
	"errors"
	"fmt"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/testbed"
)

// Config is the service, the capacity of its tasks and the speed of its
// clock.
type Config struct {
	// Config is the model; its durations are virtual time.
	fleet.Config
	// TimeScale is how many virtual seconds pass per real second.
	TimeScale float64
	// QueueTimeout is the longest a request waits for its task (real time).
	QueueTimeout time.Duration
	// Tick is how often the model is stepped (real time).
	Tick time.Duration
	// Heavy is the heavy target every task runs: its endpoints, and its
	// server-wide knobs (CPU, latency, failures) on every request. Its
	// Workers, MaxConcurrency and stalls would act on the whole service
	// rather than on one task; leave them zero.
	Heavy testbed.Config
}

// DefaultConfig returns the AWS defaults in real time.
func DefaultConfig() Config {
	return Config{Config: fleet.DefaultConfig(), TimeScale: 1, QueueTimeout: time.Second, Tick: 100 * time.Millisecond}
}

// Validate reports every setting the server cannot run.
func (c Config) Validate() error {
	errs := []error{c.Config.Validate(), c.Heavy.Validate()}
	if !(c.TimeScale > 0) {
		errs = append(errs, fmt.Errorf("time scale %v must be positive", c.TimeScale))
	}
	if h := c.Heavy; h.Workers != 0 || h.MaxConcurrency != 0 || h.StallEvery != 0 {
		errs = append(errs, fmt.Errorf("the heavy target's workers, max concurrency and stalls would act on the whole service, not a task: leave them zero"))
	}
	if c.QueueTimeout < 0 || c.Tick <= 0 {
		errs = append(errs, fmt.Errorf("queue timeout %v must not be negative and tick %v must be positive", c.QueueTimeout, c.Tick))
	}
	return errors.Join(errs...)
}
