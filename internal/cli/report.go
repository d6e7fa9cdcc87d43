package cli

import (
	"fmt"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

func newReportCmd(io IO) *cobra.Command {
	var out, title string
	cmd := &cobra.Command{
		Use:   "report RESULTS.json",
		Short: "Write the self-contained HTML report of a results file",
		Long: `Write one HTML file that works offline: summary, thresholds, per-endpoint table,
interactive time-series charts (drag to zoom, values on hover), the latency
percentile distribution, status codes and errors, virtual users and target-side
series. Merged results render the same way.`,
		Example: `  surge report results.json -o report.html`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := results.ReadFile(args[0])
			if err != nil {
				return usageError("%v", err)
			}
			if out == "" {
				out = "report.html"
			}
			if err := report.WriteFile(out, r, report.Options{Title: title}); err != nil {
				return runError(err)
			}
			fmt.Fprintf(io.Stdout, "report: %s\n", out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "report.html", "the HTML file to write")
	cmd.Flags().StringVar(&title, "title", "", "page title (default: the test's name)")
	return cmd
}
