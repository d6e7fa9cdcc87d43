package cli

import (
	"bytes"
	"context"
	"fmt"
	goio "io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/ci"
	"github.com/surge-dev/surge/compare"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

type compareOptions struct {
	html      string
	junit     string
	failOn    string
	format    string
	margins   []string
	window    string
	seed      uint64
	alpha     float64
	resamples int
}

const compareLong = `Compare results files: BASE against NEW (and against each MORE), for all
endpoints together and each endpoint: p50, p90, p95, p99, p99.9, mean,
throughput, error rate and failure rate, each with the head/base ratio (for
rates the difference in percentage points), its confidence interval and a
verdict: improved, regressed, no change (inside the margin) or inconclusive
(with the smallest change this run length could have detected).

Where requests failed, ok_p50 … ok_p99.9 and ok_mean compare the latency of
the requests that did not fail: fast failures (an instant 429 or 503) pull
every latency down, so a run that fails less can look slower while its
successes got faster; a line under the verdict then says so. The lines
that test the whole latency distribution (Mann-Whitney, a second opinion
under the tables) then test those requests' too.

Consecutive seconds of a test are not independent, so the seconds, not the
requests, are resampled: a circular block bootstrap over the per-second
histograms, blocks as long as the runs' own autocorrelation asks. Holm's
correction keeps the chance of any false "regressed" in one comparison at
--alpha. The same --seed gives the same numbers. See docs/compare.md.

When the runs scraped the target (--monitor), a last table sets its series
side by side: gauges by mean and peak, counters (_total, _count, _sum) by
their increase, with head/base; they are described, not judged.

--report FILE also writes a self-contained page: the tables, and the runs'
latency overlaid by percentile and second by second (that of the requests
that did not fail dotted, for a run that failed some). --junit FILE writes a
JUnit XML report (a test case per row; the failures are the rows that set
the exit code), with $GITHUB_STEP_SUMMARY set the Markdown report is
appended to it, and with GITHUB_ACTIONS=true the regressed rows are
annotations on stderr.

--window leaves out a warm-up and a cool-down, the same on every run:
"30s..-10s" keeps from 30 s after the start to 10 s before the end. Each run
needs at least 10 seconds in the window.

--fail-on regression (the default) exits 112 when a row regressed; --fail-on
inconclusive also 113 when no row regressed but one is inconclusive; --fail-on
none exits 0 after any comparison.`

func newCompareCmd(io IO) *cobra.Command {
	var o compareOptions
	cmd := &cobra.Command{
		Use:   "compare BASE NEW [MORE...]",
		Short: "Compare results files with a statistical verdict (improved, regressed, no change)",
		Long:  compareLong,
		Example: `  surge compare main.json pr.json
  surge compare main=base.json pr-123=head.json --format markdown > comment.md
  surge compare base.json head.json --window 30s..-10s --margin 5% --margin p99=10%,error_rate=0.2pp`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCompare(cmd.Context(), io, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.html, "report", "", "also write a self-contained HTML page that overlays the runs' latency (by percentile, and over time; that of the requests that did not fail dotted) under the text table (not -: /dev/stdout writes it there)")
	addOldName(f, "html", "report") // --report writes the HTML page in every command
	f.StringVar(&o.junit, "junit", "", "also write a JUnit XML report: a test case per row, the rows that set the exit code failed (not -: /dev/stdout writes it there)")
	f.StringVar(&o.failOn, "fail-on", "regression", "what sets a failing exit code: regression (112), inconclusive (112, else 113 when a row is inconclusive) or none")
	f.StringVar(&o.format, "format", "text", "output: text, markdown (for a pull-request comment) or json (every number)")
	f.StringArrayVar(&o.margins, "margin", nil, "practical margin: 5% for every metric, p99=10% (or ok_p99=10%) for one, error_rate=0.2pp for a rate's floor (default 5%, rates at least 0.1pp; repeatable)")
	f.StringVar(&o.window, "window", "", "seconds that count, the same on every run: START..END, e.g. 30s..-10s (END negative: before the end)")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the bootstrap (the same seed, the same numbers)")
	f.Float64Var(&o.alpha, "alpha", compare.DefaultAlpha, "chance of any false improved or regressed verdict in one comparison")
	f.IntVar(&o.resamples, "resamples", compare.DefaultResamples, "bootstrap resamples (50 to 100,000)")
	return cmd
}

func runCompare(ctx context.Context, io IO, o compareOptions, args []string) error {
	opts, render, err := o.parse()
	if err != nil {
		return err
	}
	if err := checkFiles([]fileOutput{{"--report", o.html}, {"--junit", o.junit}}, runPaths(args)...); err != nil {
		return err
	}
	c, err := untilInterrupted(ctx, "compare", func() (comparison, error) { return compareRuns(io, args, opts) })
	if err != nil {
		return err
	}
	runs, docs, reports := c.runs, c.docs, c.reports
	if err := render(io.Stdout, reports); err != nil {
		return runError(err)
	}
	if err := writeOverlay(o.html, runs, docs, reports); err != nil {
		return runError(err)
	}
	report := ci.CompareReport(reports, o.failOn)
	if o.junit != "" {
		if err := ci.WriteJUnitFile(o.junit, report); err != nil {
			return runError(err)
		}
	}
	annotate(io, report)
	if err := compareStepSummary(reports); err != nil {
		fmt.Fprintf(io.Stderr, "surge: %v\n", err)
	}
	return silentExit(compareExit(o.failOn, reports))
}

// comparison is what compare read and found, before anything is written.
type comparison struct {
	runs    []*compare.Run
	docs    []*results.Results
	reports []*compare.Report
}

// compareRuns reads the runs and compares each head with the base.
func compareRuns(io IO, args []string, opts compare.Options) (comparison, error) {
	runs, docs, err := readRuns(io, args, opts.Window)
	if err != nil {
		return comparison{}, err
	}
	c := comparison{runs: runs, docs: docs}
	for _, head := range runs[1:] {
		rep, err := compare.Compare(runs[0], head, opts)
		if err != nil {
			return comparison{}, usageError("compare: %v", err)
		}
		c.reports = append(c.reports, rep)
	}
	return c, nil
}

// compareStepSummary appends the Markdown reports to $GITHUB_STEP_SUMMARY
// when it is set.
func compareStepSummary(reports []*compare.Report) error {
	path := os.Getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	var md strings.Builder
	if err := compare.WriteMarkdownReports(&md, reports); err != nil {
		return err
	}
	return ci.AppendStepSummary(path, md.String())
}

// writeOverlay writes the --report page: the text tables above the charts.
func writeOverlay(path string, runs []*compare.Run, docs []*results.Results, reports []*compare.Report) error {
	if path == "" {
		return nil
	}
	var summary strings.Builder
	if err := eachReport(compare.WriteText)(&summary, reports); err != nil {
		return err
	}
	overlay := make([]report.OverlayRun, len(runs))
	for i, r := range runs {
		overlay[i] = report.OverlayRun{Label: r.Label, Results: docs[i]}
	}
	var page bytes.Buffer
	if err := report.WriteOverlay(&page, overlay, report.OverlayOptions{Summary: summary.String()}); err != nil {
		return err
	}
	return results.WriteAtomic(path, page.Bytes())
}

// parse checks every flag before any file is read.
func (o compareOptions) parse() (compare.Options, func(goio.Writer, []*compare.Report) error, error) {
	var opts compare.Options
	render, ok := compareRenderers[o.format]
	if !ok {
		return opts, nil, usageError("--format %q: want text, markdown or json", o.format)
	}
	if o.failOn != "regression" && o.failOn != "inconclusive" && o.failOn != "none" {
		return opts, nil, usageError("--fail-on %q: want regression, inconclusive or none", o.failOn)
	}
	all, per, err := compare.ParseMargins(o.margins)
	if err != nil {
		return opts, nil, usageError("--margin: %v", err)
	}
	w, err := compare.ParseWindow(o.window)
	if err != nil {
		return opts, nil, usageError("--window: %v", err)
	}
	if o.alpha <= 0 || o.alpha >= 0.5 || o.resamples < 50 || o.resamples > 100_000 {
		return opts, nil, usageError("--alpha must lie between 0 and 0.5 and --resamples between 50 and 100,000")
	}
	return compare.Options{Alpha: o.alpha, Margin: all, Margins: per, Resamples: o.resamples,
		Seed: o.seed, Window: w}, render, nil
}

var compareRenderers = map[string]func(goio.Writer, []*compare.Report) error{
	"text":     eachReport(compare.WriteText),
	"markdown": compare.WriteMarkdownReports,
	"json":     compare.WriteJSON,
}

// eachReport writes one report after the other, a blank line between.
func eachReport(write func(goio.Writer, *compare.Report) error) func(goio.Writer, []*compare.Report) error {
	return func(w goio.Writer, reports []*compare.Report) error {
		for i, r := range reports {
			if i > 0 {
				fmt.Fprintln(w)
			}
			if err := write(w, r); err != nil {
				return err
			}
		}
		return nil
	}
}

// readRuns reads each LABEL=PATH or PATH argument.
func readRuns(io IO, args []string, w compare.Window) ([]*compare.Run, []*results.Results, error) {
	var runs []*compare.Run
	var docs []*results.Results
	for _, arg := range args {
		label, path := splitLabel(arg)
		r, err := readResults(io, path)
		if err != nil {
			return nil, nil, err
		}
		run, err := compare.FromResults(label, r, w)
		if err != nil {
			return nil, nil, usageError("%v", err)
		}
		runs, docs = append(runs, run), append(docs, r)
	}
	return runs, docs, nil
}

// splitLabel reads benchstat's LABEL=PATH; an argument that names an
// existing file is a path even if it holds "=".
func splitLabel(arg string) (label, path string) {
	if _, err := os.Stat(arg); err == nil {
		return filepath.Base(arg), arg
	}
	if l, p, ok := strings.Cut(arg, "="); ok && l != "" {
		return l, p
	}
	return filepath.Base(arg), arg
}

// runPaths are the files the arguments name, LABEL=PATH or PATH.
func runPaths(args []string) []string {
	paths := make([]string, len(args))
	for i, arg := range args {
		_, paths[i] = splitLabel(arg)
	}
	return paths
}

// compareExit is the exit code the reports call for.
func compareExit(failOn string, reports []*compare.Report) int {
	var regressed, inconclusive bool
	for _, r := range reports {
		regressed = regressed || r.Count(compare.Regressed) > 0
		inconclusive = inconclusive || r.Count(compare.Inconclusive) > 0
	}
	switch {
	case failOn == "none":
		return ExitOK
	case regressed:
		return ExitRegression
	case inconclusive && failOn == "inconclusive":
		return ExitInconclusive
	}
	return ExitOK
}
