package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/ci"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
)

type runOptions struct {
	outputOptions
	target      string
	insecure    bool
	environment string
	variables   string
	overrides   string
	configFile  string
	payload     string
	expect      statusFlag
	segments    segmentOptions
	dist        distOptions
	load        loadFlags
	artilleryFlags
}

func newRunCmd(io IO) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run SCRIPT [MORE SCRIPTS...]",
		Short: "Run a test script (Artillery-compatible YAML or JSON)",
		Long: `Run a test script written in Artillery's format (see docs/scripting.md).
Further script files are merged over the first, as --config is.

Everything that can be checked is checked before any load (the before section
included): the script, each error at file:line:col; the output paths; users
against the open-file limit. A password in the target is sent as basic
authentication and written nowhere.

Thresholds (--threshold, k6's syntax) and alerts (config.alerts, --alerts
FILE; CloudWatch's alarm semantics) are judged while the test runs: alerts'
changes of state are printed, kept in the results and shown on the
dashboard and in the report; an alert with abort, or a threshold with
abortOnFail, stops the test gracefully (exit 111). Their verdicts are printed
at the end with the ensure checks. --junit writes them as JUnit XML, with
$GITHUB_STEP_SUMMARY set a Markdown summary is appended to it, and with
GITHUB_ACTIONS=true the failed checks are annotations on stderr.

One test can run as shares on several processes: --local N starts N here;
--coordinate N runs share 0 and waits for N-1 workers (surge run
--coordinator ADDR). The coordinator starts every share at one instant,
merges their seconds live (progress, dashboard, thresholds and alerts),
merges their results exactly at the end and exits with the whole test's
verdict, which every worker exits with too (docs/distributed.md).
--coordinate-if-first gives every process one command line: the process of
share 0 coordinates, the others are workers (a Kubernetes Job's pods).

-u/--users N (with --spawn-rate) or -r/--rate N replaces config.phases by one
phase of N looping users or N arrivals a second, for -d/--duration or as long
as the phases ran; -d alone scales the phases to last that long (as k6's
--vus and --duration replace its stages). Nothing else of the script changes.

--stream FILE writes the results as the test goes, a JSON line a second
(- for stdout): a killed run loses at most its last second, and surge report
reads what it left. --prometheus serves the test's metrics for Prometheus to
scrape, --prometheus-remote-write pushes them every second (docs/monitoring.md).
A coordinator streams the merged test; every process of a coordinated test
exports the share it runs (docs/distributed.md).`,
		Example: `  surge run load.yml
  surge run -t http://127.0.0.1:8080 --output results.json load.yml
  surge run -u 50 --spawn-rate 10 -d 2m load.yml             # 50 looping users for 2 minutes
  surge run -r 200 -d 30s -t 127.0.0.1:8080 load.yml         # 200 arrivals a second, http://
  surge run -e staging -v '{"user":"alice"}' --overrides '{"config":{"http":{"timeout":3}}}' load.yml
  surge run --segment 2/8 -o share2.json load.yml          # share 2 of 8; then surge merge
  surge run --segments 0:1/2:3/4:1 --segment 1/2:3/4 load.yml
  surge run --local 8 -o merged.json load.yml             # 8 processes here, merged
  surge run --coordinate 4 --listen 0.0.0.0:7337 load.yml  # share 0 + 3 workers:
  surge run --coordinator host0:7337 --segment 1/4 load.yml
  surge run --segment $K/4 --coordinator host0:7337 --coordinate-if-first --listen 0.0.0.0:7337 load.yml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScript(cmd, io, args, o)
		},
	}
	f := cmd.Flags()
	addScriptFlags(f, &o)
	addArtilleryFlags(f, &o.artilleryFlags)
	addLoadFlags(f, &o.load)
	addExpectFlag(f, &o.expect)
	addRuleFlags(f, &o.ruleOptions)
	addSegmentFlags(f, &o.segments)
	addDistFlags(f, &o.dist)
	addOutputFlags(f, &o.output, &o.quiet, &o.outputOptions)
	return cmd
}

// addScriptFlags adds the flags that assemble the script (surge run's
// and, for its pods, surge k8s's).
func addScriptFlags(f *pflag.FlagSet, o *runOptions) {
	urlVarP(f, &o.target, "target", "t", "base URL, overriding config.target")
	f.StringVarP(&o.environment, "environment", "e", "", "use config.environments.<name>")
	f.StringVarP(&o.variables, "variables", "v", "", "JSON object of variables added to config.variables")
	f.StringVar(&o.overrides, "overrides", "", "JSON object merged over the whole script (lists replaced)")
	f.StringVarP(&o.configFile, "config", "c", "", "a config file merged over the script")
	f.StringVarP(&o.payload, "payload", "p", "", "CSV file for a config.payload without a path")
	f.BoolVarP(&o.insecure, "insecure", "k", false, "skip TLS certificate verification")
}

func runScript(cmd *cobra.Command, io IO, paths []string, o runOptions) error {
	testID := fmt.Sprintf("t%08x", rand.Uint32())
	environ, err := o.environ()
	if err != nil {
		return err
	}
	data, err := scenario.ReadScript(paths[0])
	if err != nil {
		return err
	}
	o.load.record(cmd.Flags())
	s, p, err := assembleScript(io, paths, data, o, testID, environ)
	if err != nil {
		return err
	}
	if err := o.dist.check(o.segments); err != nil {
		return err
	}
	o.dist = o.dist.role(o.segments) // --coordinate-if-first
	if o.dist.coordinating() {
		p.Test.Seed = o.segments.seed // the shares are the coordinator's to give
	} else if err := applySegment(p.Test, o.segments); err != nil {
		return err
	}
	if err := checkScriptFiles(s); err != nil {
		return err
	}
	if o.outputOptions, err = scriptOutputs(s, o.outputOptions); err != nil {
		return err
	}
	o.reads = append(slices.Concat(paths, o.artilleryFlags.inputs, payloadPaths(s)), o.configFile, o.alertsFile, o.payload)
	target := s.Config.Target // -t's, unless --overrides set it after
	if err := checkOutputs(o.outputOptions); err != nil {
		return err // before the before section sends anything
	}
	ctx := cmd.Context()
	meta := results.Test{Script: paths[0], Target: flow.Redact(target)}
	switch {
	case o.dist.coordinator != "":
		return runWorker(ctx, io, scriptShares(paths, s, p, meta, o))
	case o.dist.coordinating():
		return runCoordinator(cmd, io, scriptShares(paths, s, p, meta, o))
	}
	if err := p.RunBefore(ctx); err != nil {
		return runError(err)
	}
	res, err := execute(ctx, io, p.Test, meta, o.outputOptions)
	if err != nil {
		return err
	}
	if !res.Interrupted {
		if err := p.RunAfter(ctx); err != nil {
			fmt.Fprintf(io.Stderr, "surge: %v\n", err)
		}
	}
	if s.Config.Plugins.Apdex && !o.quiet {
		printApdex(io.Stdout, res.Results.Counters)
	}
	return finishRun(io, "surge run "+paths[0], o.junit, scriptVerdict(judged(io, s, o.segments), p, res))
}

// payloadPaths are the CSV files the script's config.payload reads.
func payloadPaths(s *scenario.Script) []string {
	paths := make([]string, len(s.Config.Payloads))
	for i, p := range s.Config.Payloads {
		paths[i] = p.Path
	}
	return paths
}

// scriptOutputs adds what the script brings to the outputs: its ensure
// checks for the report and dashboard, its alerts beside --alerts and
// --threshold, its monitor unless --monitor is set.
func scriptOutputs(s *scenario.Script, o outputOptions) (outputOptions, error) {
	if s.Config.Ensure != nil {
		o.verdicts = reportVerdicts(ensure.ForScript(s))
	}
	if o.monitor == "" && s.Config.Monitor.URL != "" {
		o.monitor, o.monitorSeries = s.Config.Monitor.URL, s.Config.Monitor.Series
	}
	var err error
	o.thresholds, o.alerts, err = parseRules(o.ruleOptions, scenario.Alerts{Alerts: s.Config.Alerts, Notifiers: s.Config.Notifiers})
	return o, err
}

// assembleScript assembles the script read from paths[0] (data) as surge run
// does: the files merged over it and the options, then the load flags
// over its phases (o.load has recorded what the command line set), then
// the program. Warnings go to stderr.
func assembleScript(io IO, paths []string, data []byte, o runOptions, testID string,
	environ func(string) (string, bool)) (*scenario.Script, *flow.Program, error) {
	s, err := scenario.ParseWith(paths[0], data, scriptOptions(paths, o, testID, environ))
	if err != nil {
		return nil, nil, err
	}
	printWarnings(io, s.Warnings)
	if s.Config.Phases, err = o.load.apply(s.Config.Phases, o.solo); err != nil {
		return nil, nil, err
	}
	target := o.target // in the script already; flow names it in errors
	if s.Config.Target != o.target {
		target = "" // --overrides set config.target after -t, as Artillery applies them
	}
	p, err := flow.Build(s, flow.Options{Target: target, Insecure: o.insecure, Log: io.Stdout,
		Report: io.Stderr, TestID: testID, Expect: o.expect.set, Environ: environ, ScenarioName: o.scenarioName})
	if err != nil {
		return nil, nil, err
	}
	printWarnings(io, p.Warnings)
	return s, p, nil
}

func scriptOptions(paths []string, o runOptions, testID string, environ func(string) (string, bool)) scenario.Options {
	so := scenario.Options{Environment: o.environment, Target: o.target, Payload: o.payload,
		Overrides: o.overrides, Variables: o.variables, TestID: testID, Environ: environ, Solo: o.solo}
	so.ConfigFiles = append(so.ConfigFiles, paths[1:]...)
	so.ConfigFiles = append(so.ConfigFiles, o.inputs...)
	if o.configFile != "" {
		so.ConfigFiles = append(so.ConfigFiles, o.configFile)
	}
	return so
}

func printWarnings(io IO, ws scenario.Errors) {
	for _, w := range ws {
		fmt.Fprintln(io.Stderr, w)
	}
}

// reportVerdicts shows the ensure checks in the report and dashboard.
func reportVerdicts(spec ensure.Spec) func(*results.Results) []report.Verdict {
	return func(r *results.Results) []report.Verdict {
		var out []report.Verdict
		for _, v := range ensure.Check(r, spec) {
			name := v.Name
			if !v.Strict {
				name += " (optional)"
			}
			out = append(out, report.Verdict{Name: name, Threshold: v.Threshold, Actual: v.Actual, Pass: v.Pass})
		}
		return out
	}
}

// scriptVerdict judges the run: the rules (in the result), the ensure
// checks as Artillery runs them (with the plugin, unless
// ARTILLERY_DISABLE_ENSURE is set), and the expect checks.
func scriptVerdict(s *scenario.Script, p *flow.Program, res session.Result) verdict {
	v := verdict{res: res}
	if p.ExpectEnabled {
		c := res.Results.Counters
		v.expect = &ci.ExpectChecks{OK: c["plugins.expect.ok"], Failed: c["plugins.expect.failed"]}
	}
	if s.Config.Ensure != nil && os.Getenv("ARTILLERY_DISABLE_ENSURE") == "" {
		v.ensure = ensure.Check(res.Results, ensure.ForScript(s))
	}
	return v
}
