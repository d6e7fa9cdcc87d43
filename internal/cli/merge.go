package cli

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/series"
	"github.com/surge-dev/surge/session"
)

type mergeOptions struct {
	output, report, script string
	environment, variables string
	overrides, configFile  string
	quiet                  bool
	rules                  ruleOptions
}

func newMergeCmd(io IO) *cobra.Command {
	var o mergeOptions
	cmd := &cobra.Command{
		Use:   "merge RESULTS... [-o MERGED.json]",
		Short: "Merge the results files of a test's shares (--segment) into one, exactly",
		Long: `Merge the results files that the shares of one test wrote (surge run --segment)
into the file one run of the whole test would have written: histograms added
bucket by bucket, so every percentile is exact; counts, VUs, failures and
counters summed; endpoints matched by name; intervals matched by their second in
the plan, not by wall clock. See docs/distributed.md.

The files must be the shares of one plan: the same plan hash (phases, scenarios,
weights, seed and segment sequence), the same endpoints, the same expected
statuses, every share of the sequence once, none reset
from the dashboard, all histograms in Surge's geometry. Otherwise nothing is
written and the error names the file.

The merged results are judged as one run would have been: --threshold and
--alerts, and with --script the script's alerts and ensure checks, replayed
second by second over the merged intervals. The exit code is surge run's: 0
the merged test passed; 1 a check failed (a rule that would have stopped a
single run fails the merged one: nothing is left to stop); 2 the files are not
the shares of one test, or a flag, path or the script is wrong; 3 the merged
file could not be written; 21 an expect check failed (and no other did); 130
a share was interrupted (Ctrl-C).`,
		Example: `  surge merge share-*.json -o merged.json
  surge merge share-*.json -o merged.json --script load.yml --report merged.html`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return mergeFiles(cmd.Context(), io, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the merged results JSON to this file (not -: /dev/stdout writes it there)")
	f.StringVar(&o.report, "report", "", "write the self-contained HTML report of the merged results")
	f.StringVar(&o.script, "script", "", "the test's script: evaluate its ensure checks on the merged results")
	f.StringVarP(&o.environment, "environment", "e", "", "with --script: use config.environments.<name>")
	f.StringVarP(&o.variables, "variables", "v", "", "with --script: JSON object of variables added to config.variables")
	f.StringVar(&o.overrides, "overrides", "", "with --script: JSON object merged over the whole script")
	f.StringVarP(&o.configFile, "config", "c", "", "with --script: a config file merged over the script")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors and checks")
	addRuleFlags(f, &o.rules)
	return cmd
}

func mergeFiles(ctx context.Context, io IO, paths []string, o mergeOptions) error {
	inputs := append(slices.Clone(paths), o.script, o.configFile, o.rules.alertsFile)
	if err := checkOutputs(outputOptions{output: o.output, report: o.report, reads: inputs,
		ruleOptions: ruleOptions{junit: o.rules.junit}}); err != nil {
		return err
	}
	s, err := mergeScript(o)
	if err != nil {
		return err
	}
	rules, err := mergeRules(s, o.rules)
	if err != nil {
		return err
	}
	merged, err := untilInterrupted(ctx, "merge", func() (*results.Results, error) { return readAndMerge(io, paths) })
	if err != nil {
		return err
	}
	if err := rules.CheckEndpoints(merged.EndpointNames()); err != nil {
		return usageError("%v", err)
	}
	merged.Version = Version
	if err := writeMerged(io, merged, s, o); err != nil {
		return err
	}
	v, err := mergedVerdict(merged, s, rules)
	if err != nil {
		return err
	}
	sayInterrupted(io, merged)
	sayStartSpread(io, merged)
	return finishRun(io, "surge merge", o.rules.junit, v)
}

// sayStartSpread warns when the shares started more than a second (one
// interval) apart: the merge adds their seconds by plan second, as if
// they had run at once, so files of two runs of one test (a share run
// again, a stale file) would pass for one test. A coordinator's shares
// were started together, and its clocks say by how much.
func sayStartSpread(io IO, merged *results.Results) {
	d, last := merged.Plan.StartSpread()
	if d <= time.Second || len(merged.Plan.Clocks) > 0 {
		return
	}
	fmt.Fprintf(io.Stderr, "merge: the shares started %s apart by their own clocks (%s the latest, at %s): "+
		"each merged second adds seconds that ran at other times; start the shares together (a coordinator does: --coordinate, --local)\n",
		d.Round(100*time.Millisecond), last.Source, last.Started.Format(time.RFC3339))
}

// sayInterrupted says when a share did not run to its end, and what the
// merge lacks when a share's stream was cut short.
func sayInterrupted(io IO, merged *results.Results) {
	for _, s := range merged.Plan.Shares {
		if s.CutShort {
			fmt.Fprintf(io.Stderr, "merge: %s was cut short: the merged results hold what its seconds hold, "+
				"without each endpoint's latency (when there are several) or the bytes\n", s.Source)
		}
	}
	if merged.Test.CutShort {
		sayCodesUnknown(io, "merge", merged)
	}
	if merged.Test.Interrupted {
		fmt.Fprintln(io.Stderr, "merge: a share was interrupted; the merged results hold what it sent")
	}
}

// readAndMerge reads the shares' files and merges them.
func readAndMerge(io IO, paths []string) (*results.Results, error) {
	var inputs []results.Input
	for _, p := range paths {
		r, err := readResults(io, p)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, results.Input{Source: p, Results: r})
	}
	merged, err := results.Merge(inputs)
	if err != nil {
		return nil, usageError("%v", err)
	}
	return merged, nil
}

// mergeRules reads the rules that judge the merged results: --threshold,
// --alerts and the script's alerts. A wrong one is a usage error before
// anything is merged or written, as surge run refuses it before any
// load, rather than after the merged file and report were written.
func mergeRules(s *scenario.Script, o ruleOptions) (judge.Rules, error) {
	var script scenario.Alerts
	if s != nil {
		script = scenario.Alerts{Alerts: s.Config.Alerts, Notifiers: s.Config.Notifiers}
	}
	ths, alerts, err := parseRules(o, script)
	if err != nil {
		return judge.Rules{}, err
	}
	return judge.Rules{Thresholds: ths, Alerts: alerts.Alerts}, nil
}

// mergedVerdict judges the merged results: the rules (their endpoints
// checked) replayed over its seconds, the script's ensure and expect
// checks.
func mergedVerdict(merged *results.Results, s *scenario.Script, rules judge.Rules) (verdict, error) {
	seconds, err := series.FromResults(merged)
	if err != nil {
		return verdict{}, usageError("%v", err)
	}
	outcome, err := judge.Replay(rules, seconds)
	if err != nil {
		return verdict{}, usageError("%v", err)
	}
	outcome.Abort = nil // nothing is left to stop; the rule fails the run
	res := session.Result{Results: merged, Interrupted: merged.Test.Interrupted, Rules: outcome}
	if s == nil {
		return verdict{res: res}, nil
	}
	return scriptVerdict(s, &flow.Program{ExpectEnabled: s.Config.Plugins.Expect != nil}, res), nil
}

// mergeScript loads the script whose checks judge the merged results
// (nil without --script).
func mergeScript(o mergeOptions) (*scenario.Script, error) {
	if o.script == "" {
		return nil, nil
	}
	ro := runOptions{environment: o.environment, variables: o.variables, overrides: o.overrides, configFile: o.configFile}
	return scenario.LoadWith(o.script, scriptOptions([]string{o.script}, ro, "", nil))
}

// writeMerged prints the summary and writes the merged results and report.
func writeMerged(io IO, r *results.Results, s *scenario.Script, o mergeOptions) error {
	if !o.quiet {
		console.Summary(io.Stdout, r)
		fmt.Fprintf(io.Stdout, "merged: every share of the test (%d in all, segment sequence %s)\n", len(r.Plan.Shares), r.Plan.Sequence)
	}
	if o.output != "" {
		if err := results.WriteFile(o.output, r); err != nil {
			return runError(err)
		}
		if !o.quiet {
			fmt.Fprintf(io.Stdout, "results: %s\n", o.output)
		}
	}
	if o.report == "" {
		return nil
	}
	var opts report.Options
	if s != nil && s.Config.Ensure != nil {
		opts.Verdicts = reportVerdicts(ensure.ForScript(s))(r)
	}
	if err := report.WriteFile(o.report, r, opts); err != nil {
		return runError(err)
	}
	if !o.quiet {
		fmt.Fprintf(io.Stdout, "report: %s\n", o.report)
	}
	return nil
}
