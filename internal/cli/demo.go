package cli

import (
	_ "embed"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/testbed"
)

//go:embed assets/demo.yml
var demoScript []byte

type demoOptions struct {
	outputOptions
	duration time.Duration
}

func newDemoCmd(io IO) *cobra.Command {
	o := demoOptions{outputOptions: outputOptions{output: "surge-demo-results.json", report: "surge-demo-report.html"}}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the bundled scenario against the built-in target (about 30 s)",
		Long: `Start the built-in heavy target on a free loopback port in this process, run
the bundled scenario against it (ramp up, steady, spike, cool down), print the
summary and write the results file.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, io, o)
		},
	}
	f := cmd.Flags()
	f.DurationVarP(&o.duration, "duration", "d", 30*time.Second, "total length; the phases are scaled to fit")
	f.StringVarP(&o.output, "output", "o", o.output, "write the results JSON to this file")
	f.StringVar(&o.report, "report", o.report, "write the HTML report to this file")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print nothing but errors")
	return cmd
}

func runDemo(cmd *cobra.Command, io IO, o demoOptions) error {
	if o.duration <= 0 {
		return usageError("--duration must be positive")
	}
	s, err := scenario.Parse("demo.yml", demoScript)
	if err != nil {
		return runError(err)
	}
	scalePhases(s.Config.Phases, o.duration)
	base, stop, err := startDemoTarget()
	if err != nil {
		return err
	}
	defer stop()
	fmt.Fprintf(io.Stdout, "demo: built-in target at %s; running the bundled scenario for %s\n", base, o.duration)
	t, err := flow.Compile(s, flow.Options{Target: base})
	if err != nil {
		return runError(err)
	}
	res, err := execute(cmd.Context(), io, t, results.Test{Name: "demo", Script: "demo.yml (bundled)", Target: base}, o.outputOptions)
	if err != nil {
		return err
	}
	return silentExit(verdict{res: res}.code())
}

// scalePhases stretches or shrinks the phases to a new total length.
func scalePhases(ps []scenario.Phase, total time.Duration) {
	var sum time.Duration
	for _, p := range ps {
		sum += p.Duration + p.Pause
	}
	if sum == 0 {
		return
	}
	f := float64(total) / float64(sum)
	for i := range ps {
		ps[i].Duration = time.Duration(float64(ps[i].Duration) * f).Round(time.Millisecond)
		ps[i].Pause = time.Duration(float64(ps[i].Pause) * f).Round(time.Millisecond)
	}
}

// startDemoTarget serves a heavy target with a little latency on a free
// loopback port.
func startDemoTarget() (base string, stop func(), err error) {
	h, err := testbed.New(testbed.Config{Latency: 2 * time.Millisecond, Jitter: 8 * time.Millisecond})
	if err != nil {
		return "", nil, runError(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, runError(fmt.Errorf("demo target: %w", err))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l)
	return "http://" + l.Addr().String(), func() { srv.Close() }, nil
}
