package fleet

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// MetricPeriod is how often ECS publishes service metrics to CloudWatch,
// and so the length of one alarm datapoint.
const MetricPeriod = time.Minute

// Policy selects the scaling policy type.
type Policy string

// Scaling policies.
const (
	TargetTracking Policy = "target" // keep a metric near a target value
	StepScaling    Policy = "step"   // add or remove by steps of breach size
)

// AdjustmentType says how a step adjustment changes capacity.
type AdjustmentType string

// Adjustment types, as Application Auto Scaling names them.
const (
	ChangeInCapacity        AdjustmentType = "ChangeInCapacity"        // add Adjustment tasks
	ExactCapacity           AdjustmentType = "ExactCapacity"           // set to Adjustment tasks
	PercentChangeInCapacity AdjustmentType = "PercentChangeInCapacity" // add Adjustment percent
)

// StepAdjustment applies when the metric minus the threshold lies between
// Lower and Upper. Above the threshold Lower is inclusive and Upper
// exclusive; below it the other way round. Use math.Inf for an open end.
type StepAdjustment struct {
	Lower, Upper float64
	Adjustment   float64
}

// StepConfig is a step-scaling policy. The alarm threshold is the
// configured target (TargetCPU or TargetRequestsPerTask).
type StepConfig struct {
	AdjustmentType AdjustmentType
	// MinAdjustmentMagnitude is the smallest change a percent step makes.
	MinAdjustmentMagnitude int
	Adjustments            []StepAdjustment
}

// ErrInvalidConfig is wrapped by every error Validate returns.
var ErrInvalidConfig = errors.New("invalid fleet config")

// Config describes the service, its load balancer and its scaling policy.
type Config struct {
	// Min and Max bound the desired count; Desired is the count at start.
	Min, Max, Desired int
	// Policy is TargetTracking or StepScaling.
	Policy Policy
	// TargetCPU is the target (or step threshold) for average CPU, percent.
	TargetCPU float64
	// TargetRequestsPerTask, when positive, replaces TargetCPU: the target
	// for ALBRequestCountPerTarget, in requests per task per minute.
	TargetRequestsPerTask float64
	// ScaleInRatio puts target tracking's scale-in threshold at this
	// fraction of the target (AWS: "usually more than 10% lower").
	ScaleInRatio float64
	// TaskCapacity is the requests per second one task serves at 100% CPU.
	TaskCapacity float64
	// ScaleOutDatapoints and ScaleInDatapoints are how many consecutive
	// one-minute datapoints must breach before an alarm fires.
	ScaleOutDatapoints, ScaleInDatapoints int
	// ScaleOutCooldown and ScaleInCooldown follow each scaling activity.
	ScaleOutCooldown, ScaleInCooldown time.Duration
	// TaskStart is how long a new task stays PENDING before it runs.
	TaskStart time.Duration
	// HealthCheckDelay is how long a running task waits for its first
	// passing health check before the load balancer sends it traffic.
	HealthCheckDelay time.Duration
	// DeregistrationDelay is how long a removed task drains before it stops.
	DeregistrationDelay time.Duration
	// DisableScaleIn stops the policy from ever removing tasks.
	DisableScaleIn bool
	// Step is the step policy, used when Policy is StepScaling.
	Step StepConfig
	// Period is the length of one datapoint; 0 means MetricPeriod, the
	// only one ECS publishes. Other values are for what-if plans.
	Period time.Duration
}

// DatapointPeriod is the length of one datapoint: Period, or MetricPeriod.
func (c Config) DatapointPeriod() time.Duration {
	if c.Period > 0 {
		return c.Period
	}
	return MetricPeriod
}

// DefaultConfig returns the AWS defaults from docs/scaling.md. The step
// policy is AWS's worked example: +10% for 10–20 points above the
// threshold, +30% beyond; −10% for 10–20 below, −30% beyond.
func DefaultConfig() Config {
	inf := math.Inf(1)
	return Config{
		Min: 1, Max: 10, Desired: 1,
		Policy:             TargetTracking,
		TargetCPU:          50,
		ScaleInRatio:       0.9,
		TaskCapacity:       100,
		ScaleOutDatapoints: 3, ScaleInDatapoints: 15,
		ScaleOutCooldown: 300 * time.Second, ScaleInCooldown: 300 * time.Second,
		TaskStart:           60 * time.Second,
		HealthCheckDelay:    30 * time.Second,
		DeregistrationDelay: 300 * time.Second,
		Step: StepConfig{
			AdjustmentType: PercentChangeInCapacity,
			Adjustments: []StepAdjustment{
				{-inf, -20, -30}, {-20, -10, -10}, {-10, 0, 0},
				{0, 10, 0}, {10, 20, 10}, {20, inf, 30},
			},
		},
	}
}

// UsesRequests reports whether the policy tracks requests per target
// rather than CPU.
func (c Config) UsesRequests() bool { return c.TargetRequestsPerTask > 0 }

// Target is the value the policy tracks, or the step threshold.
func (c Config) Target() float64 {
	if c.UsesRequests() {
		return c.TargetRequestsPerTask
	}
	return c.TargetCPU
}

// TasksNeeded is how many tasks keep a steady rps requests a second at the
// policy's target: rps over what one task serves at the target CPU
// (TaskCapacity × TargetCPU %), or rps × 60 over the target requests per
// task per minute (per datapoint); rounded up, not clamped to Min and Max.
func (c Config) TasksNeeded(rps float64) int {
	perTask := c.TaskCapacity * c.TargetCPU / 100
	if c.UsesRequests() {
		perTask = c.TargetRequestsPerTask / c.DatapointPeriod().Seconds()
	}
	if rps <= 0 || !(perTask > 0) {
		return 0
	}
	// The epsilon keeps 300 / (100 × 50 %) = 6 from becoming 7.
	return int(math.Ceil(rps/perTask - 1e-9))
}

// Validate reports every setting the model cannot run.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.Min < 0 || c.Max < 1 || c.Min > c.Max || c.Desired < c.Min || c.Desired > c.Max {
		bad("need 0 <= min (%d) <= desired (%d) <= max (%d) and max >= 1", c.Min, c.Desired, c.Max)
	}
	if c.Policy != TargetTracking && c.Policy != StepScaling {
		bad("policy %q must be %q or %q", c.Policy, TargetTracking, StepScaling)
	}
	if !c.UsesRequests() && (c.TargetCPU <= 0 || c.TargetCPU > 100) {
		bad("target CPU %v must be in (0, 100]", c.TargetCPU)
	}
	if c.ScaleInRatio <= 0 || c.ScaleInRatio > 1 {
		bad("scale-in ratio %v must be in (0, 1]", c.ScaleInRatio)
	}
	if c.TaskCapacity <= 0 {
		bad("task capacity %v must be positive", c.TaskCapacity)
	}
	if c.ScaleOutDatapoints < 1 || c.ScaleInDatapoints < 1 {
		bad("datapoints to alarm must be at least 1")
	}
	if c.Period < 0 {
		bad("datapoint period %v must not be negative", c.Period)
	}
	if c.ScaleOutCooldown < 0 || c.ScaleInCooldown < 0 || c.TaskStart < 0 ||
		c.HealthCheckDelay < 0 || c.DeregistrationDelay < 0 {
		bad("cooldowns and delays must not be negative")
	}
	if c.Policy == StepScaling {
		if err := c.Step.validate(); err != nil {
			bad("%v", err)
		}
	}
	return errors.Join(errs...)
}

func (s StepConfig) validate() error {
	switch s.AdjustmentType {
	case ChangeInCapacity, ExactCapacity, PercentChangeInCapacity:
	default:
		return fmt.Errorf("step adjustment type %q is unknown", s.AdjustmentType)
	}
	if len(s.Adjustments) == 0 || s.MinAdjustmentMagnitude < 0 {
		return errors.New("step policy needs adjustments and a non-negative minimum magnitude")
	}
	steps := append([]StepAdjustment(nil), s.Adjustments...)
	sort.Slice(steps, func(i, j int) bool { return steps[i].Lower < steps[j].Lower })
	for i, st := range steps {
		if !(st.Lower < st.Upper) {
			return fmt.Errorf("step [%v, %v) is empty", st.Lower, st.Upper)
		}
		if i > 0 && st.Lower != steps[i-1].Upper {
			return fmt.Errorf("steps leave a gap or overlap at %v", st.Lower)
		}
	}
	return nil
}
