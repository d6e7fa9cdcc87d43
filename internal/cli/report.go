package cli

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

func newReportCmd(io IO) *cobra.Command {
	var out, title string
	cmd := &cobra.Command{
		Use:   "report RESULTS",
		Short: "Write the self-contained HTML report of a results file or stream",
		Long: `Write one HTML file that works offline: summary, thresholds, per-endpoint table,
interactive time-series charts (drag to zoom, values on hover), the latency
percentile distribution, status codes and errors, virtual users and target-side
series. Merged results render the same way, and so does a stream (--stream),
complete or cut short: a stream whose run was killed renders the seconds it
holds, its aggregate rebuilt from their histograms, and says so.`,
		Example: `  surge report results.json -o report.html`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				out = "report.html"
			}
			if err := checkFiles([]fileOutput{{"--output", out}}, args[0]); err != nil {
				return err
			}
			page, err := untilInterrupted(cmd.Context(), "report", func() ([]byte, error) {
				r, err := readResults(io, args[0])
				if err != nil {
					return nil, err
				}
				var b bytes.Buffer
				if err := report.Write(&b, r, report.Options{Title: title}); err != nil {
					return nil, runError(err)
				}
				return b.Bytes(), nil
			})
			if err != nil {
				return err
			}
			if err := results.WriteAtomic(out, page); err != nil {
				return runError(err)
			}
			fmt.Fprintf(io.Stdout, "report: %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "report.html", "the HTML file to write (not -: -o /dev/stdout writes the page to standard output)")
	cmd.Flags().StringVar(&title, "title", "", "page title (default: the test's name)")
	return cmd
}

// readResults reads a results file or a stream, saying on stderr when a
// stream has no end line (the run that wrote it was killed, or is still
// running): its figures are rebuilt from the seconds it holds.
func readResults(io IO, path string) (*results.Results, error) {
	r, err := results.ReadFile(path)
	if err != nil {
		return nil, usageError("%v", err)
	}
	if r.Test.CutShort {
		fmt.Fprintf(io.Stderr, "%s: a stream cut short (its run was killed, or is still running) after %s: "+
			"the results are rebuilt from the %s it holds\n", path, cutLength(r.Test.DurationS), intervalsText(len(r.Intervals)))
		sayCodesUnknown(io, path, r)
	}
	return r, nil
}

// sayCodesUnknown names the endpoints whose codes or errors by kind r
// leaves empty: rebuilt from seconds that do not hold them (a stream cut
// short written by a Surge that did not keep them per endpoint each
// second, or a merge with one), rather than shown as a part of the whole.
func sayCodesUnknown(io IO, what string, r *results.Results) {
	var names []string
	for _, e := range r.Endpoints {
		if !e.CodesWhole() || !e.KindsWhole() {
			names = append(names, e.Name)
		}
	}
	if len(names) > 0 {
		fmt.Fprintf(io.Stderr, "%s: the seconds hold no status codes or error kinds per endpoint (a stream of an earlier Surge): "+
			"left empty for %s\n", what, strings.Join(names, ", "))
	}
}

// cutLength is how long the seconds of a stream cut short last, to the
// tenth: the last of a test's intervals may be shorter than a second, so
// whole seconds would not match the intervals counted beside them.
func cutLength(seconds float64) string {
	return strconv.FormatFloat(seconds, 'f', 1, 64) + " s"
}

func intervalsText(n int) string {
	if n == 1 {
		return "1 interval"
	}
	return strconv.Itoa(n) + " intervals"
}
