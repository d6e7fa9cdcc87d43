package cli

import (
	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"

	"github.com/surge-dev/surge/testbed"
	fleettarget "github.com/surge-dev/surge/testbed/fleet"
	lambdatarget "github.com/surge-dev/surge/testbed/lambda"
)

// The flags of surge target and its subcommands. Each registers on fs with
// cfg's current values as defaults, so parsing fs writes into cfg; the
// testbed packages know nothing of flags and check cfg with Validate.

// heavyFlags are the heavy target's server-wide knobs.
func heavyFlags(fs *pflag.FlagSet, cfg *testbed.Config) {
	fs.DurationVar(&cfg.CPU, "cpu", cfg.CPU, "CPU time burnt by every request (e.g. 2ms)")
	// --cpu-ms was the name until it was seen to take a duration, not a
	// number of milliseconds; it stays, hidden, so scripts keep working.
	fs.DurationVar(&cfg.CPU, "cpu-ms", cfg.CPU, "CPU time burnt by every request")
	_ = fs.MarkDeprecated("cpu-ms", "use --cpu, which takes the same duration")
	fs.DurationVar(&cfg.Latency, "latency", cfg.Latency, "latency added to every request (e.g. 20ms)")
	fs.DurationVar(&cfg.Jitter, "jitter", cfg.Jitter, "uniform random extra latency up to this")
	fs.Float64Var(&cfg.ErrorRate, "error-rate", cfg.ErrorRate, "fraction of requests answered with 500 (0..1)")
	fs.IntVar(&cfg.MaxConcurrency, "max-concurrency", cfg.MaxConcurrency, "answer 503 above this many requests in flight (0: no limit)")
	fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "serve at most this many requests at once, the rest wait in line: with --latency S, capacity is workers/S a second (0: no limit)")
	fs.DurationVar(&cfg.StallEvery, "stall-every", cfg.StallEvery, "stall the whole server once per this period (with --stall-for)")
	fs.DurationVar(&cfg.StallFor, "stall-for", cfg.StallFor, "how long each stall holds every request")
}

// lambdaFlags are the Lambda emulator's function, front door and clock.
func lambdaFlags(fs *pflag.FlagSet, cfg *lambdatarget.Config) {
	fs.DurationVar(&cfg.HandlerDuration, "handler-duration", cfg.HandlerDuration, "time the handler waits per invocation (real time)")
	fs.DurationVar(&cfg.HandlerCPU, "handler-cpu", cfg.HandlerCPU, "CPU time the handler burns per invocation, after --handler-duration")
	lambdaModelFlags(fs, &cfg.Config, "")
	fs.StringVar((*string)(&cfg.Mode), "mode", string(cfg.Mode), "front door: url (Function URL) or apigw (API Gateway REST proxy)")
	fs.DurationVar(&cfg.IntegrationTimeout, "integration-timeout", cfg.IntegrationTimeout, "API Gateway integration timeout (apigw mode)")
	fs.Float64Var(&cfg.TimeScale, "time-scale", cfg.TimeScale, "virtual seconds per real second for the scaling rules (60: a minute per second)")
}

// lambdaModelFlags are the function's settings in scaling/lambda, the
// same flags in the emulator and in surge plan (whose help prefixes each
// with the service it applies to).
func lambdaModelFlags(fs *pflag.FlagSet, c *lambda.Config, prefix string) {
	fs.DurationVar(&c.InitDuration, "init-duration", c.InitDuration, prefix+"cold start added to the first invocation of each new environment")
	fs.IntVar(&c.AccountConcurrency, "account-concurrency", c.AccountConcurrency, prefix+"account concurrent-executions quota")
	fs.IntVar(&c.ReservedConcurrency, "reserved-concurrency", c.ReservedConcurrency, prefix+"reserved concurrency for the function (0: none)")
	fs.IntVar(&c.ProvisionedConcurrency, "provisioned-concurrency", c.ProvisionedConcurrency, prefix+"pre-initialised environments")
	fs.StringVar((*string)(&c.ScalingModel), "scaling-model", string(c.ScalingModel), prefix+"scaling rate: current (1,000 per 10 s per function) or legacy (a burst, then 500 a minute)")
	fs.IntVar(&c.Burst, "burst", c.Burst, prefix+"legacy scaling model's immediate burst (3000, 1000 or 500 by Region)")
	fs.DurationVar(&c.Timeout, "timeout", c.Timeout, prefix+"function timeout (at most 15m)")
	fs.DurationVar(&c.IdleExpiry, "idle-expiry", c.IdleExpiry, prefix+"how long an idle environment is kept (virtual time)")
}

// fleetFlags are the fleet emulator's service, scaling policy and clock.
func fleetFlags(fs *pflag.FlagSet, cfg *fleettarget.Config) {
	fleetModelFlags(fs, &cfg.Config, "")
	fs.StringVar((*string)(&cfg.Policy), "policy", string(cfg.Policy), "scaling policy: target (target tracking) or step")
	fs.DurationVar(&cfg.QueueTimeout, "queue-timeout", cfg.QueueTimeout, "longest a request waits for a saturated task before a 503 (real time)")
	fs.Float64Var(&cfg.TimeScale, "time-scale", cfg.TimeScale, "virtual seconds per real second for the scaling rules (60: a minute per second)")
}

// fleetModelFlags are the service's settings in scaling/fleet, the same
// flags in the emulator and in surge plan.
func fleetModelFlags(fs *pflag.FlagSet, c *fleet.Config, prefix string) {
	fs.IntVar(&c.Min, "min", c.Min, prefix+"minimum desired tasks")
	fs.IntVar(&c.Max, "max", c.Max, prefix+"maximum desired tasks")
	fs.IntVar(&c.Desired, "desired", c.Desired, prefix+"tasks at start")
	fs.Float64Var(&c.TargetCPU, "target-cpu", c.TargetCPU, prefix+"target average CPU utilisation, percent")
	fs.Float64Var(&c.TargetRequestsPerTask, "target-requests-per-task", c.TargetRequestsPerTask,
		prefix+"target ALB requests per task per minute; replaces --target-cpu when set")
	fs.Float64Var(&c.TaskCapacity, "task-capacity", c.TaskCapacity, prefix+"requests per second one task serves at 100% CPU")
	fs.IntVar(&c.ScaleOutDatapoints, "scale-out-datapoints", c.ScaleOutDatapoints, prefix+"one-minute datapoints above target before scaling out")
	fs.IntVar(&c.ScaleInDatapoints, "scale-in-datapoints", c.ScaleInDatapoints, prefix+"one-minute datapoints below target before scaling in")
	fs.DurationVar(&c.ScaleOutCooldown, "scale-out-cooldown", c.ScaleOutCooldown, prefix+"cooldown after a scale-out (virtual time)")
	fs.DurationVar(&c.ScaleInCooldown, "scale-in-cooldown", c.ScaleInCooldown, prefix+"cooldown after a scale-in (virtual time)")
	fs.DurationVar(&c.TaskStart, "task-start", c.TaskStart, prefix+"time a new task is pending (virtual time)")
	fs.DurationVar(&c.HealthCheckDelay, "health-check-delay", c.HealthCheckDelay, prefix+"time from running to first passing health check (virtual time)")
	fs.DurationVar(&c.DeregistrationDelay, "deregistration-delay", c.DeregistrationDelay, prefix+"time a removed task drains (virtual time)")
	fs.BoolVar(&c.DisableScaleIn, "disable-scale-in", c.DisableScaleIn, prefix+"never remove tasks")
}
