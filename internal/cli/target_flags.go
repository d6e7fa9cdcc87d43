package cli

import (
	"github.com/spf13/pflag"

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
	fs.DurationVar(&cfg.InitDuration, "init-duration", cfg.InitDuration, "cold start added to the first invocation of each new environment")
	fs.IntVar(&cfg.AccountConcurrency, "account-concurrency", cfg.AccountConcurrency, "account concurrent-executions quota")
	fs.IntVar(&cfg.ReservedConcurrency, "reserved-concurrency", cfg.ReservedConcurrency, "reserved concurrency for the function (0: none)")
	fs.IntVar(&cfg.ProvisionedConcurrency, "provisioned-concurrency", cfg.ProvisionedConcurrency, "pre-initialised environments")
	fs.StringVar((*string)(&cfg.ScalingModel), "scaling-model", string(cfg.ScalingModel), "scaling rate: current (1,000 per 10 s) or legacy (burst, then 500 a minute)")
	fs.IntVar(&cfg.Burst, "burst", cfg.Burst, "legacy scaling model's immediate burst (3000, 1000 or 500 by Region)")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "function timeout (at most 15m)")
	fs.DurationVar(&cfg.IdleExpiry, "idle-expiry", cfg.IdleExpiry, "how long an idle environment is kept (virtual time)")
	fs.StringVar((*string)(&cfg.Mode), "mode", string(cfg.Mode), "front door: url (Function URL) or apigw (API Gateway REST proxy)")
	fs.DurationVar(&cfg.IntegrationTimeout, "integration-timeout", cfg.IntegrationTimeout, "API Gateway integration timeout (apigw mode)")
	fs.Float64Var(&cfg.TimeScale, "time-scale", cfg.TimeScale, "virtual seconds per real second for the scaling rules (60: a minute per second)")
}

// fleetFlags are the fleet emulator's service, scaling policy and clock.
func fleetFlags(fs *pflag.FlagSet, cfg *fleettarget.Config) {
	fs.IntVar(&cfg.Min, "min", cfg.Min, "minimum desired tasks")
	fs.IntVar(&cfg.Max, "max", cfg.Max, "maximum desired tasks")
	fs.IntVar(&cfg.Desired, "desired", cfg.Desired, "tasks at start")
	fs.Float64Var(&cfg.TargetCPU, "target-cpu", cfg.TargetCPU, "target average CPU utilisation, percent")
	fs.Float64Var(&cfg.TargetRequestsPerTask, "target-requests-per-task", cfg.TargetRequestsPerTask,
		"target ALB requests per task per minute; replaces --target-cpu when set")
	fs.Float64Var(&cfg.TaskCapacity, "task-capacity", cfg.TaskCapacity, "requests per second one task serves at 100% CPU")
	fs.IntVar(&cfg.ScaleOutDatapoints, "scale-out-datapoints", cfg.ScaleOutDatapoints, "one-minute datapoints above target before scaling out")
	fs.IntVar(&cfg.ScaleInDatapoints, "scale-in-datapoints", cfg.ScaleInDatapoints, "one-minute datapoints below target before scaling in")
	fs.DurationVar(&cfg.ScaleOutCooldown, "scale-out-cooldown", cfg.ScaleOutCooldown, "cooldown after a scale-out (virtual time)")
	fs.DurationVar(&cfg.ScaleInCooldown, "scale-in-cooldown", cfg.ScaleInCooldown, "cooldown after a scale-in (virtual time)")
	fs.DurationVar(&cfg.TaskStart, "task-start", cfg.TaskStart, "time a new task is pending (virtual time)")
	fs.DurationVar(&cfg.HealthCheckDelay, "health-check-delay", cfg.HealthCheckDelay, "time from running to first passing health check (virtual time)")
	fs.DurationVar(&cfg.DeregistrationDelay, "deregistration-delay", cfg.DeregistrationDelay, "time a removed task drains (virtual time)")
	fs.BoolVar(&cfg.DisableScaleIn, "disable-scale-in", cfg.DisableScaleIn, "never remove tasks")
	fs.StringVar((*string)(&cfg.Policy), "policy", string(cfg.Policy), "scaling policy: target (target tracking) or step")
	fs.DurationVar(&cfg.QueueTimeout, "queue-timeout", cfg.QueueTimeout, "longest a request waits for a saturated task before a 503 (real time)")
	fs.Float64Var(&cfg.TimeScale, "time-scale", cfg.TimeScale, "virtual seconds per real second for the scaling rules (60: a minute per second)")
}
