package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// TestBuilder builds the test a Go program defines (its users), given
// the base URL of --target or the config file ("" when neither gives
// one) and the phases the load flags ask for.
type TestBuilder func(target string, phases []schedule.Phase) (*engine.Test, error)

// UsersMain is Main for a program that defines its own test, as package
// surge's Main does for Locust-style users: args (without the program
// name) are read as surge run reads its flags, with --users, --rate and
// --duration, or --config's phases, in place of a script; the test runs
// with the outputs surge run has. It returns the process exit code; the
// first SIGINT or SIGTERM stops the test gracefully, as in surge run.
func UsersMain(name string, args []string, io IO, build TestBuilder) int {
	stop, abort, release := interrupts(io.Stderr, true)
	defer release()
	root := newUsersCmd(name, io, build)
	addExitCodes(root)
	decimalOnly(root)
	onceOnly(root)
	nonEmptyPaths(root)
	return runRoot(stop, root, abort, joinOptionalValues(root, args), io)
}

// usersOptions are the flags of a program's users: surge run's, but a
// script's (environment, variables, payload, …), with load flags instead.
type usersOptions struct {
	outputOptions
	target     string
	insecure   bool
	configFile string
	users      int64
	spawnRate  float64
	rate       float64
	duration   time.Duration
	segments   segmentOptions
	dist       distOptions
}

const usersLong = `Run the users this program defines, with surge run's outputs: the progress
and summary, the results file (-o), the HTML report (--report), the live
dashboard with its controls (--dashboard), thresholds and alerts judged as
the test runs (--threshold, --alerts), the target's metrics (--monitor),
the stream, Prometheus; one share of a segmented test (--segment), or the
whole test as shares on several processes: --local N starts N processes of
this program here, --coordinate N waits for workers started elsewhere with
--coordinator ADDR (docs/distributed.md).

The load: --users N is the closed model, N users started --spawn-rate a
second (0: all at once) that loop their tasks, as Locust's users do;
--rate N the open model, N users a second that each set up and run one
task. Either lasts --duration. Without them the phases come from --config
FILE, an Artillery-style config file (config.phases, and config.target,
config.ensure, config.alerts, config.monitor as surge run reads them).

The users' paths are appended to --target (else config.target, else each
user's Host).`

func newUsersCmd(name string, io IO, build TestBuilder) *cobra.Command {
	var o usersOptions
	cmd := &cobra.Command{
		Use:   name + " [flags]",
		Short: "Run this program's users with surge run's outputs",
		Long:  usersLong,
		Example: fmt.Sprintf(`  %[1]s -t http://127.0.0.1:8080 --users 20 --spawn-rate 5 --dashboard
  %[1]s -t http://127.0.0.1:8080 --rate 50 --duration 5m -o results.json --report report.html
  %[1]s --config phases.yml --threshold 'p(99)<300ms' --threshold 'failure_rate<1%%'
  %[1]s -t http://127.0.0.1:8080 --users 100 --segment 1/2 -o share1.json   # then surge merge
  %[1]s -t http://127.0.0.1:8080 --users 1000 --spawn-rate 50 --local 4 -o merged.json`, name),
		Args:          cobra.NoArgs,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUsers(cmd, io, name, build, o)
		},
	}
	cmd.SetOut(io.Stdout)
	cmd.SetErr(io.Stderr)
	addUsersFlags(cmd, &o)
	return cmd
}

func addUsersFlags(cmd *cobra.Command, o *usersOptions) {
	f := cmd.Flags()
	urlVarP(f, &o.target, "target", "t", "base URL the users' paths are appended to, over config.target and the users' Host")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
	f.StringVarP(&o.configFile, "config", "c", "", "an Artillery-style config file: config.phases, target, ensure, alerts, monitor")
	f.Int64VarP(&o.users, "users", "u", 0, "concurrent looping users, 1 to 1000000 (closed model)")
	f.Float64Var(&o.spawnRate, "spawn-rate", 0, "users started per second with --users (0: all at once)")
	f.Float64VarP(&o.rate, "rate", "r", 0, "users arriving per second, each running one task (open model)")
	f.DurationVarP(&o.duration, "duration", "d", time.Minute, "how long --users or --rate lasts (at most 720h)")
	addRuleFlags(f, &o.ruleOptions)
	addSegmentFlags(f, &o.segments)
	addDistFlags(f, &o.dist)
	addOutputFlags(f, &o.output, &o.quiet, &o.outputOptions)
}

func runUsers(cmd *cobra.Command, io IO, name string, build TestBuilder, o usersOptions) error {
	s, err := usersConfig(o)
	if err != nil {
		return err
	}
	t, target, err := usersTest(cmd, o, s, build)
	if err != nil {
		return err
	}
	if err := o.dist.check(o.segments); err != nil {
		return err
	}
	o.dist = o.dist.role(o.segments) // --coordinate-if-first
	if o.dist.coordinating() {
		t.Seed = o.segments.seed // the shares are the coordinator's to give
	} else if err := applySegment(t, o.segments); err != nil {
		return err
	}
	if o.outputOptions, err = usersOutputs(s, o.outputOptions); err != nil {
		return err
	}
	meta := results.Test{Name: name, Script: o.configFile, Target: flow.Redact(target)}
	if o.dist.coordinator != "" || o.dist.coordinating() {
		return runUsersShares(cmd, io, name, t, meta, s, o)
	}
	res, err := execute(cmd.Context(), io, t, meta, o.outputOptions)
	if err != nil {
		return err
	}
	return finishRun(io, name, o.junit, usersVerdict(io, s, o.segments, res))
}

// usersVerdict judges the run as surge run judges a script's: the rules,
// and --config's ensure checks (unless this is a share of the test, or
// ARTILLERY_DISABLE_ENSURE is set).
func usersVerdict(io IO, s *scenario.Script, seg segmentOptions, res session.Result) verdict {
	v := verdict{res: res}
	if s == nil {
		return v
	}
	if s = judged(io, s, seg); s.Config.Ensure != nil && os.Getenv("ARTILLERY_DISABLE_ENSURE") == "" {
		v.ensure = ensure.Check(res.Results, ensure.FromScript(s.Config.Ensure))
	}
	return v
}

// usersTest builds the program's test: its users at the base URL of
// --target, else config.target, else their own Host, on the phases of the
// load flags or of config.phases. It returns the target it gave them.
func usersTest(cmd *cobra.Command, o usersOptions, s *scenario.Script, build TestBuilder) (*engine.Test, string, error) {
	phases, err := usersPhases(cmd, o, s)
	if err != nil {
		return nil, "", err
	}
	target := o.target
	if target == "" && s != nil {
		target = s.Config.Target
	}
	t, err := build(target, phases)
	if err != nil {
		return nil, "", usageError("%v", err)
	}
	t.HTTP.Insecure = o.insecure
	return t, target, nil
}

// runUsersShares runs the users as shares, as surge run runs a script:
// a worker's share (--coordinator), or the coordinator of shares
// (--coordinate N, or --local N processes of this program).
func runUsersShares(cmd *cobra.Command, io IO, name string, t *engine.Test, meta results.Test, s *scenario.Script, o usersOptions) error {
	if err := checkOutputs(o.outputOptions); err != nil {
		return err
	}
	st := sharedTest{test: t, meta: meta, name: name, out: o.outputOptions, dist: o.dist, seg: o.segments,
		verdict: func(res session.Result) verdict { return usersVerdict(io, s, o.segments, res) }}
	if o.dist.coordinator != "" {
		return runWorker(cmd.Context(), io, st)
	}
	return runCoordinator(cmd, io, st)
}

// usersScript is the script a --config file is merged over, as surge run
// merges --config over a script: one scenario with nothing to do, since
// the program's users are the test.
const usersScript = "scenarios:\n  - flow: []\n"

// usersConfig reads --config (nil without it); a file that brings
// scenarios is refused, as they would not run.
func usersConfig(o usersOptions) (*scenario.Script, error) {
	if o.configFile == "" {
		return nil, nil
	}
	s, err := scenario.ParseWith("--config", []byte(usersScript), scenario.Options{ConfigFiles: []string{o.configFile}})
	if err != nil {
		return nil, err
	}
	if len(s.Scenarios) != 1 || len(s.Scenarios[0].Flow) != 0 {
		return nil, usageError("--config %s: scenarios are not run here, the program's users are the test: keep config alone", o.configFile)
	}
	return s, checkScriptFiles(s)
}

// usersPhases is the load: --users or --rate over --duration, else
// config.phases.
func usersPhases(cmd *cobra.Command, o usersOptions, s *scenario.Script) ([]schedule.Phase, error) {
	if err := checkUsersLoad(cmd, o); err != nil {
		return nil, err
	}
	switch {
	case o.users > 0:
		return []schedule.Phase{{Kind: schedule.Users, Users: o.users, SpawnRate: o.spawnRate, Duration: o.duration}}, nil
	case o.rate > 0:
		return []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: o.rate, Duration: o.duration}}, nil
	case s != nil && len(s.Config.Phases) > 0:
		return flow.Phases(s.Config.Phases), nil
	}
	return nil, usageError("no load: give --users N (looping users, as Locust's), --rate N (users arriving a second), " +
		"or --config FILE with config.phases")
}

// checkUsersLoad validates the load flags given, before any load.
func checkUsersLoad(cmd *cobra.Command, o usersOptions) error {
	set := cmd.Flags().Changed
	switch {
	case set("users") && set("rate"):
		return usageError("--rate and --users exclude each other: choose the open or the closed model " +
			"(Locust's -r, users started a second, is --spawn-rate)")
	case set("spawn-rate") && !set("users"):
		return usageError("--spawn-rate needs --users (it paces how users start in the closed model)")
	case set("duration") && !set("users") && !set("rate"):
		return usageError("--duration needs --users or --rate (config.phases have their own durations)")
	}
	if err := checkDuration("--duration", o.duration); err != nil {
		return err
	}
	switch {
	case set("users"):
		return checkUserCount(o)
	case set("rate") && o.rate <= 0:
		return usageError("--rate %v: must be positive", o.rate)
	case set("rate"):
		return checkRate("--rate", o.rate, "users")
	}
	return nil
}

// checkUserCount checks --users and --spawn-rate: a user holds a
// connection, so the open-file limit bounds them.
func checkUserCount(o usersOptions) error {
	if o.users < 1 || o.users > scenario.MaxUsers {
		return usageError("--users %d: expected 1 to %d users", o.users, scenario.MaxUsers)
	}
	if err := checkFileLimit(fmt.Sprintf("--users %d (one connection per user)", o.users), o.users, "start fewer users"); err != nil {
		return usageError("%v", err)
	}
	return checkRate("--spawn-rate", o.spawnRate, "users started")
}

// usersOutputs adds what --config brings to the outputs, as surge run
// adds a script's: ensure checks, alerts, the monitor.
func usersOutputs(s *scenario.Script, o outputOptions) (outputOptions, error) {
	if s != nil {
		return scriptOutputs(s, o)
	}
	var err error
	o.thresholds, o.alerts, err = parseRules(o.ruleOptions, scenario.Alerts{})
	return o, err
}
