package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
)

const planLong = `Predict how a Lambda function or an ECS/Fargate service scales under a load
profile, without sending load.

The profile is a script's phases (the arrivals the scheduler would send,
counted per second) or, after a run, the requests a results file (a file
ending in .json or .jsonl) says were sent each second. The planner replays
it through the same models the emulators run (surge target lambda, surge
target fleet), so plan and emulator agree on every rule.

Lambda (--service lambda): the concurrency each second needs (requests/s ×
--handler-duration), what the function gets under the chosen scaling rule
(current: +1,000 environments per 10 s per function; legacy: a burst of
500-3,000 by Region, then +500 a minute) and its account, reserved and
provisioned concurrency, the throttles by cause, how long they last, cold
starts, and (--advice) the provisioned, reserved or account concurrency that
would have removed them. --handler-duration is required with a script; with
a results file it defaults to the mean service time of the requests that did
not fail (p50, p90, p95 or p99 pick a percentile of theirs): a throttled
run's instant 429s would pull it down. A file of an earlier Surge, without
it, gives every request's, failures included, and the plan says so on
stderr.

Fleet (--service fleet): the tasks each second needs at the target, the
desired, running and healthy tasks under target tracking (3 one-minute
datapoints to scale out, 15 to scale in, cooldowns, task start and health
check), the scaling activities, the time to scale out and in, and the
requests refused while tasks were short.

From a script, each arrival counts as one request (one invocation): a
scenario that sends more, or loops, is noted on stderr. See docs/plan.md.`

func newPlanCmd(io IO) *cobra.Command {
	o := defaultPlanOptions()
	cmd := &cobra.Command{
		Use:   "plan SCRIPT|RESULTS.json",
		Short: "Predict Lambda throttles or Fargate scaling for a load profile, without load",
		Long:  planLong,
		Example: `  surge plan examples/serverless-lab/bursts.yml --handler-duration 1s --scaling-model legacy --burst 500
  surge plan run.json --handler-duration p95 --reserved-concurrency 200
  surge plan examples/fargate-autoscale.yml --service fleet --max 8 --time-scale 60 --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(cmd, io, args[0], o)
		},
	}
	addPlanFlags(cmd.Flags(), &o)
	return cmd
}

func runPlan(cmd *cobra.Command, io IO, arg string, o planOptions) error {
	if err := checkPlanFlags(cmd.Flags(), o); err != nil {
		return err
	}
	profile, res, err := planProfile(io, arg, o)
	if err != nil {
		return err
	}
	var out any
	var write func() error
	if o.service == "fleet" {
		// Under a time scale the emulator's queue timeout stays real, so it
		// lasts that many times longer on the model's clock.
		scale := time.Duration(o.timeScale)
		pl, err := plan.PlanFleet(profile.Stretch(o.timeScale), o.fleet, o.queueTimeout*scale)
		if err != nil {
			return usageError("%v", err)
		}
		out, write = pl, func() error {
			if o.timeScale > 1 {
				fmt.Fprintf(io.Stdout, "Time scale %d: times are AWS time, each second of the profile lasting %d; counts are per AWS second.\n", o.timeScale, o.timeScale)
			}
			return plan.WriteFleet(io.Stdout, pl)
		}
	} else {
		pl, err := planLambda(io, profile, res, o)
		if err != nil {
			return err
		}
		out, write = pl, func() error { return plan.WriteLambda(io.Stdout, pl) }
	}
	if o.format == "json" {
		enc := json.NewEncoder(io.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return write()
}

// checkPlanFlags refuses a service it does not know and a flag of the
// other service, before anything is read.
func checkPlanFlags(f *pflag.FlagSet, o planOptions) error {
	other := map[string][]string{"lambda": fleetPlanFlags, "fleet": lambdaPlanFlags}[o.service]
	if other == nil {
		return usageError("--service %q: want lambda or fleet", o.service)
	}
	if o.format != "text" && o.format != "json" {
		return usageError("--format %q: want text or json", o.format)
	}
	for _, name := range other {
		if f.Changed(name) {
			return usageError("--%s does not apply to --service %s", name, o.service)
		}
	}
	if o.service == "fleet" && o.duration != "" {
		return usageError("--handler-duration does not apply to --service fleet: a task's capacity is --task-capacity")
	}
	if o.service == "fleet" {
		if o.queueTimeout < 0 || o.timeScale < 1 {
			return usageError("--queue-timeout must not be negative and --time-scale must be at least 1")
		}
		if f.Changed("metric-period") && o.fleet.Period <= 0 {
			// the model reads 0 as its default, a minute
			return usageError("--metric-period %s: must be positive (leave it out for ECS's 1m)", o.fleet.Period)
		}
		return validated(o.fleet.Validate())
	}
	return validated(o.lambda.Validate())
}

func validated(err error) error {
	if err != nil {
		return usageError("%v", err)
	}
	return nil
}

// planProfile reads the profile from a results file (by its name) or a
// script; res is nil for a script.
func planProfile(io IO, arg string, o planOptions) (plan.Profile, *results.Results, error) {
	if ext := strings.ToLower(filepath.Ext(arg)); ext == ".json" || ext == ".jsonl" {
		res, err := results.ReadFile(arg)
		if err != nil {
			return plan.Profile{}, nil, usageError("%v", err)
		}
		p, err := plan.FromResults(res)
		if err != nil {
			return p, nil, usageError("%s: %v", arg, err)
		}
		return p, res, nil
	}
	s, err := scenario.LoadWith(arg, scenario.Options{Environment: o.environment})
	if err != nil {
		return plan.Profile{}, nil, err
	}
	warnIfNotOneRequest(io, s)
	p, err := plan.FromPhases(flow.Phases(s.Config.Phases))
	if err != nil {
		return p, nil, usageError("%s: %v", arg, err)
	}
	return p, nil, nil
}

// warnIfNotOneRequest says so when a scenario does not send exactly one
// request per arrival: the plan counts each arrival as one request.
func warnIfNotOneRequest(io IO, s *scenario.Script) {
	for _, sc := range s.Scenarios {
		requests, other := 0, false
		for _, st := range sc.Flow {
			if st.Request != nil {
				requests++
			}
			other = other || st.Loop != nil || st.Parallel != nil
		}
		if requests != 1 || other {
			fmt.Fprintf(io.Stderr, "surge: scenario %q sends other than one request per arrival; the plan counts each arrival as one request\n", sc.Name)
		}
	}
}

func planLambda(io IO, p plan.Profile, res *results.Results, o planOptions) (*plan.LambdaPlan, error) {
	m, err := planDuration(res, o.duration)
	if err != nil {
		return nil, err
	}
	d := m.Duration
	if m.WithFailures {
		fmt.Fprintf(io.Stderr, "surge: the duration %v includes the %d failed requests (of %d), whose fast answers "+
			"pull it down: the results file holds no service time of the successes alone (an earlier Surge wrote it); "+
			"give --handler-duration to set it\n", plan.RoundDuration(d), res.Aggregate.Failures, res.Aggregate.Requests)
	}
	cfg := o.lambda
	cfg.HandlerDuration = d
	if d > cfg.Timeout {
		fmt.Fprintf(io.Stderr, "surge: the duration %v is above --timeout %v: every invocation times out\n", d, cfg.Timeout)
	}
	pl, err := plan.PlanLambda(p, cfg)
	if err != nil {
		return nil, usageError("%v", err)
	}
	if o.advice {
		if err := plan.Advise(pl, p); err != nil {
			return nil, runError(err)
		}
	}
	return pl, nil
}

// planDuration is --handler-duration: a duration, or a statistic of the
// results file's service times (of the requests that did not fail, where
// the file holds them).
func planDuration(res *results.Results, flag string) (plan.Measured, error) {
	if res == nil && flag == "" {
		return plan.Measured{}, usageError("--handler-duration is required with a script: how long the function runs per request (e.g. 250ms)")
	}
	if flag == "" {
		flag = "mean"
	}
	if slices.Contains(plan.DurationStats, flag) {
		if res == nil {
			return plan.Measured{}, usageError("--handler-duration %s measures a results file; with a script give a duration (e.g. 250ms)", flag)
		}
		m, err := plan.MeasuredDuration(res, flag)
		if err != nil {
			return plan.Measured{}, usageError("%v", err)
		}
		return m, nil
	}
	d, err := time.ParseDuration(flag)
	if err != nil || d <= 0 {
		return plan.Measured{}, usageError("--handler-duration %q: want a positive duration (250ms) or one of %v", flag, plan.DurationStats)
	}
	return plan.Measured{Duration: d}, nil
}
