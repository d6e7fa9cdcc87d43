package cli

import (
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/ci"
	"github.com/surge-dev/surge/ensure"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/threshold"
)

// ruleOptions are the flags of run and quick that judge the run.
type ruleOptions struct {
	thresholds []string // --threshold, as written
	alertsFile string   // --alerts
	junit      string   // --junit
}

func addRuleFlags(f *pflag.FlagSet, o *ruleOptions) {
	f.StringArrayVar(&o.thresholds, "threshold", nil, "a threshold in k6's syntax, judged every second: 'p(99)<300ms', "+
		"'failure_rate<1% over 30s abortOnFail' (repeatable; see docs/alerts.md)")
	addAlertsFlag(f, o)
	f.StringVar(&o.junit, "junit", "", "write a JUnit XML report: a test case per threshold, alert and ensure check")
}

func addAlertsFlag(f *pflag.FlagSet, o *ruleOptions) {
	f.StringVar(&o.alertsFile, "alerts", "", "a file of alerts and notifiers (as config.alerts and config.notifiers), judged while the test runs")
}

// parseRules reads --threshold and --alerts, and adds the script's alerts
// (none for quick). A mistake is a usage error before any load.
func parseRules(o ruleOptions, script scenario.Alerts) ([]threshold.Threshold, scenario.Alerts, error) {
	var ths []threshold.Threshold
	for _, s := range o.thresholds {
		t, err := threshold.Parse(s)
		if err != nil {
			return nil, scenario.Alerts{}, usageError("--threshold: %v", err)
		}
		ths = append(ths, t)
	}
	if o.alertsFile == "" {
		return ths, script, nil
	}
	file, err := scenario.LoadAlerts(o.alertsFile)
	if err != nil {
		return nil, scenario.Alerts{}, err
	}
	all, err := mergeAlerts(script, file)
	return ths, all, err
}

// mergeAlerts joins the script's alerts and notifiers and the file's; a
// name in both is a usage error.
func mergeAlerts(script, file scenario.Alerts) (scenario.Alerts, error) {
	out := scenario.Alerts{Alerts: append(append([]scenario.Alert(nil), script.Alerts...), file.Alerts...),
		Notifiers: append(append([]scenario.Notifier(nil), script.Notifiers...), file.Notifiers...)}
	seen := map[string]bool{}
	for _, a := range out.Alerts {
		if seen["alert "+a.Name] {
			return out, usageError("--alerts: alert %q is also in the script's config.alerts", a.Name)
		}
		seen["alert "+a.Name] = true
	}
	for _, n := range out.Notifiers {
		if seen["notifier "+n.Name] {
			return out, usageError("--alerts: notifier %q is also in the script's config.notifiers", n.Name)
		}
		seen["notifier "+n.Name] = true
	}
	return out, nil
}

// verdict is how a run ended, as the exit code says it.
type verdict struct {
	res    session.Result
	ensure []ensure.Verdict // nil: no ensure checks ran
	expect *ci.ExpectChecks // nil: no expect checks ran
}

// code picks the exit code: a rule's stop, an interrupt, a failed check
// (thresholds, alerts with fail or abort, ensure), a failed expect.
func (v verdict) code() int {
	switch {
	case v.res.Rules.Abort != nil:
		return ExitAborted
	case v.res.Interrupted:
		return ExitInterrupted
	case v.res.Rules.Failed() || ensure.Failed(v.ensure):
		return ExitThresholds
	case v.expect != nil && v.expect.Failed > 0:
		return ExitExpect
	}
	return ExitOK
}

// printChecks prints the rules' and the ensure checks' verdicts.
func printChecks(io IO, v verdict) {
	lines := judge.Lines(v.res.Rules)
	lines = append(lines, ensure.Lines(v.ensure)...)
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(io.Stdout, "\nChecks:")
	for _, l := range lines {
		fmt.Fprintln(io.Stdout, l)
	}
}

// writeCI writes the --junit report, the GitHub Actions annotations in a
// workflow, and appends the Markdown summary to $GITHUB_STEP_SUMMARY when
// it is set; a failure is said, and does not change the exit code the run
// earned.
func writeCI(io IO, name, junit string, v verdict, code int) {
	in := ci.Run{Name: name, Results: v.res.Results, Rules: v.res.Rules, Ensure: v.ensure, Expect: v.expect}
	report := ci.RunReport(in)
	if junit != "" {
		writeJUnit(io, junit, report)
	}
	annotate(io, report)
	if path := os.Getenv("GITHUB_STEP_SUMMARY"); path != "" {
		if err := ci.AppendStepSummary(path, ci.RunMarkdown(in, code)); err != nil {
			fmt.Fprintf(io.Stderr, "surge: %v\n", err)
		}
	}
}

// finishRun prints the checks, writes the CI outputs and exits with the
// run's code.
func finishRun(io IO, name, junit string, v verdict) error {
	printChecks(io, v)
	code := v.code()
	writeCI(io, name, junit, v, code)
	return silentExit(code)
}

// writeJUnit writes the run's --junit report, and says so when it holds
// no test case: a JUnit reader that fails a step without results (Jenkins'
// junit step does by default) would otherwise fail it without a reason
// in sight.
func writeJUnit(io IO, path string, r ci.Report) {
	if err := ci.WriteJUnitFile(path, r); err != nil {
		fmt.Fprintf(io.Stderr, "surge: --junit: %v\n", err)
		return
	}
	if r.Empty() {
		fmt.Fprintf(io.Stderr, "surge: --junit: %s holds no test case: the run had no checks "+
			"(add --threshold 'count>0', --alerts FILE, or ensure in the script)\n", path)
	}
}

// annotate writes the report's failed and unjudged checks as annotations
// when the command runs in a GitHub Actions workflow. They go to stderr,
// which the runner reads for workflow commands as it reads stdout, so
// that they never mix with results written to stdout (--stream -).
func annotate(io IO, r ci.Report) {
	if os.Getenv("GITHUB_ACTIONS") != "true" {
		return
	}
	if err := ci.WriteAnnotations(io.Stderr, r); err != nil {
		fmt.Fprintf(io.Stderr, "surge: annotations: %v\n", err)
	}
}
