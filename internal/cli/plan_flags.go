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
	lambdaModelFlags(f, c, "Lambda: ")
}

func addFleetPlanFlags(f *pflag.FlagSet, c *fleet.Config) {
	fleetModelFlags(f, c, "fleet: ")
	c.Period = c.DatapointPeriod()
	f.DurationVar(&c.Period, "metric-period", c.Period, "fleet: the length of one datapoint (ECS publishes only 1m; others are what-ifs)")
}
