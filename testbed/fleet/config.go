package fleettarget

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/scaling/fleet"
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
}

// DefaultConfig returns the AWS defaults in real time.
func DefaultConfig() Config {
	return Config{Config: fleet.DefaultConfig(), TimeScale: 1, QueueTimeout: time.Second, Tick: 100 * time.Millisecond}
}

// RegisterFlags registers the emulator's flags on fs, with c's current
// values as defaults; parsing fs writes into c.
func (c *Config) RegisterFlags(fs *pflag.FlagSet) {
	fs.IntVar(&c.Min, "min", c.Min, "minimum desired tasks")
	fs.IntVar(&c.Max, "max", c.Max, "maximum desired tasks")
	fs.IntVar(&c.Desired, "desired", c.Desired, "tasks at start")
	fs.Float64Var(&c.TargetCPU, "target-cpu", c.TargetCPU, "target average CPU utilisation, percent")
	fs.Float64Var(&c.TargetRequestsPerTask, "target-requests-per-task", c.TargetRequestsPerTask,
		"target ALB requests per task per minute; replaces --target-cpu when set")
	fs.Float64Var(&c.TaskCapacity, "task-capacity", c.TaskCapacity, "requests per second one task serves at 100% CPU")
	fs.IntVar(&c.ScaleOutDatapoints, "scale-out-datapoints", c.ScaleOutDatapoints, "one-minute datapoints above target before scaling out")
	fs.IntVar(&c.ScaleInDatapoints, "scale-in-datapoints", c.ScaleInDatapoints, "one-minute datapoints below target before scaling in")
	fs.DurationVar(&c.ScaleOutCooldown, "scale-out-cooldown", c.ScaleOutCooldown, "cooldown after a scale-out (virtual time)")
	fs.DurationVar(&c.ScaleInCooldown, "scale-in-cooldown", c.ScaleInCooldown, "cooldown after a scale-in (virtual time)")
	fs.DurationVar(&c.TaskStart, "task-start", c.TaskStart, "time a new task is pending (virtual time)")
	fs.DurationVar(&c.HealthCheckDelay, "health-check-delay", c.HealthCheckDelay, "time from running to first passing health check (virtual time)")
	fs.DurationVar(&c.DeregistrationDelay, "deregistration-delay", c.DeregistrationDelay, "time a removed task drains (virtual time)")
	fs.BoolVar(&c.DisableScaleIn, "disable-scale-in", c.DisableScaleIn, "never remove tasks")
	fs.StringVar((*string)(&c.Policy), "policy", string(c.Policy), "scaling policy: target (target tracking) or step")
	fs.DurationVar(&c.QueueTimeout, "queue-timeout", c.QueueTimeout, "longest a request waits for a saturated task before a 503 (real time)")
	fs.Float64Var(&c.TimeScale, "time-scale", c.TimeScale, "virtual seconds per real second for the scaling rules (60: a minute per second)")
}

// Validate reports every setting the server cannot run.
func (c Config) Validate() error {
	errs := []error{c.Config.Validate()}
	if !(c.TimeScale > 0) {
		errs = append(errs, fmt.Errorf("time scale %v must be positive", c.TimeScale))
	}
	if c.QueueTimeout < 0 || c.Tick <= 0 {
		errs = append(errs, fmt.Errorf("queue timeout %v must not be negative and tick %v must be positive", c.QueueTimeout, c.Tick))
	}
	return errors.Join(errs...)
}
