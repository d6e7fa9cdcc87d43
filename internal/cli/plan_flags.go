package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
)

// planOptions are surge plan's flags. The Lambda and fleet settings carry
// the emulators' flag names (surge target lambda, surge target fleet), so
// one set of values describes both the emulator and its plan.
type planOptions struct {
	service      string
	duration     string
	format       string
	advice       bool
	environment  string
	lambda       lambda.Config
	fleet        fleet.Config
	queueTimeout time.Duration
	timeScale    int
}

func defaultPlanOptions() planOptions {
	return planOptions{service: "lambda", advice: true, lambda: lambda.DefaultConfig(), fleet: fleet.DefaultConfig(),
		queueTimeout: plan.DefaultQueueTimeout, timeScale: 1}
}

// lambdaPlanFlags and fleetPlanFlags apply to one service only; setting
// one for the other service is a usage error.
var (
	lambdaPlanFlags = []string{"account-concurrency", "reserved-concurrency", "provisioned-concurrency",
		"scaling-model", "burst", "init-duration", "timeout", "idle-expiry", "advice"}
	fleetPlanFlags = []string{"min", "max", "desired", "target-cpu", "target-requests-per-task", "task-capacity",
		"scale-out-datapoints", "scale-in-datapoints", "scale-out-cooldown", "scale-in-cooldown", "task-start",
		"health-check-delay", "deregistration-delay", "disable-scale-in", "queue-timeout", "time-scale", "metric-period"}
)

func addPlanFlags(f *pflag.FlagSet, o *planOptions) {
	f.StringVar(&o.service, "service", o.service, "what to plan for: lambda (a function) or fleet (an ECS/Fargate service)")
	f.StringVar(&o.duration, "handler-duration", "", "a request's duration (Lambda: the handler's), e.g. 250ms; from a results file also mean, p50, p90, p95 or p99 of its service times (default mean)")
	f.StringVar(&o.format, "format", "text", "output: text (tables) or json (every second and the summary)")
	f.StringVarP(&o.environment, "environment", "e", "", "a script's config.environments entry to apply")
	addLambdaPlanFlags(f, &o.lambda)
	f.BoolVar(&o.advice, "advice", o.advice, "Lambda: search the provisioned, reserved and account concurrency that would remove the throttles")
	addFleetPlanFlags(f, &o.fleet)
	f.DurationVar(&o.queueTimeout, "queue-timeout", o.queueTimeout, "fleet: the longest a request waits for a saturated task before a 503")
	f.IntVar(&o.timeScale, "time-scale", o.timeScale, "fleet: the emulator's --time-scale (whole): each second of the profile lasts this many seconds of AWS time")
}

func addLambdaPlanFlags(f *pflag.FlagSet, c *lambda.Config) {
	f.IntVar(&c.AccountConcurrency, "account-concurrency", c.AccountConcurrency, "Lambda: the account's concurrent-executions quota")
	f.IntVar(&c.ReservedConcurrency, "reserved-concurrency", c.ReservedConcurrency, "Lambda: reserved concurrency for the function (0: none)")
	f.IntVar(&c.ProvisionedConcurrency, "provisioned-concurrency", c.ProvisionedConcurrency, "Lambda: pre-initialised environments")
	f.StringVar((*string)(&c.ScalingModel), "scaling-model", string(c.ScalingModel), "Lambda: current (1,000 per 10 s per function) or legacy (a burst, then 500 a minute)")
	f.IntVar(&c.Burst, "burst", c.Burst, "Lambda: the legacy rule's burst (3000, 1000 or 500 by Region)")
	f.DurationVar(&c.InitDuration, "init-duration", c.InitDuration, "Lambda: the cold start of each new environment")
	f.DurationVar(&c.Timeout, "timeout", c.Timeout, "Lambda: the function timeout (at most 15m)")
	f.DurationVar(&c.IdleExpiry, "idle-expiry", c.IdleExpiry, "Lambda: how long an idle environment is kept")
}

func addFleetPlanFlags(f *pflag.FlagSet, c *fleet.Config) {
	f.IntVar(&c.Min, "min", c.Min, "fleet: minimum desired tasks")
	f.IntVar(&c.Max, "max", c.Max, "fleet: maximum desired tasks")
	f.IntVar(&c.Desired, "desired", c.Desired, "fleet: tasks at the start")
	f.Float64Var(&c.TargetCPU, "target-cpu", c.TargetCPU, "fleet: target average CPU utilisation, percent")
	f.Float64Var(&c.TargetRequestsPerTask, "target-requests-per-task", c.TargetRequestsPerTask, "fleet: target ALB requests per task per minute; replaces --target-cpu when set")
	f.Float64Var(&c.TaskCapacity, "task-capacity", c.TaskCapacity, "fleet: requests per second one task serves at 100% CPU")
	f.IntVar(&c.ScaleOutDatapoints, "scale-out-datapoints", c.ScaleOutDatapoints, "fleet: one-minute datapoints above the target before a scale-out")
	f.IntVar(&c.ScaleInDatapoints, "scale-in-datapoints", c.ScaleInDatapoints, "fleet: one-minute datapoints below the target before a scale-in")
	f.DurationVar(&c.ScaleOutCooldown, "scale-out-cooldown", c.ScaleOutCooldown, "fleet: cooldown after a scale-out")
	f.DurationVar(&c.ScaleInCooldown, "scale-in-cooldown", c.ScaleInCooldown, "fleet: cooldown after a scale-in")
	f.DurationVar(&c.TaskStart, "task-start", c.TaskStart, "fleet: how long a new task is pending")
	f.DurationVar(&c.HealthCheckDelay, "health-check-delay", c.HealthCheckDelay, "fleet: time from running to the first passing health check")
	f.DurationVar(&c.DeregistrationDelay, "deregistration-delay", c.DeregistrationDelay, "fleet: how long a removed task drains")
	f.BoolVar(&c.DisableScaleIn, "disable-scale-in", c.DisableScaleIn, "fleet: never remove tasks")
	c.Period = c.DatapointPeriod()
	f.DurationVar(&c.Period, "metric-period", c.Period, "fleet: the length of one datapoint (ECS publishes only 1m; others are what-ifs)")
}
