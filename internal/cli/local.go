package cli

import (
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/distributed"
	"github.com/surge-dev/surge/schedule"
)

// forwarded are the flags of surge run (and of a program's users) that
// --local passes to its workers as given: those that shape the test each
// share runs. Each worker loads the script itself, so one left out (the
// scripts merged in by --input, the variables of --dotenv, the scenario
// --scenario-name picks, --solo's one VU) gives it another plan than the
// coordinator's, and the run is refused.
var forwarded = []string{"target", "environment", "input", "dotenv", "variables", "overrides", "config", "payload", "insecure",
	"expect-status", "seed", "scenario-name", "solo", "users", "spawn-rate", "rate", "duration"}

// startWorkers starts --local's worker processes: this binary, each
// with one share, the test's command and the flags that shape the test;
// worker 0 also scrapes --monitor. The token goes in the environment, not
// on command lines others can read.
func startWorkers(procs *distributed.Processes, stderr io.Writer, cmd *cobra.Command, st sharedTest, addr string, seq schedule.Sequence, exited chan<- error) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	shaping := shapingFlags(cmd)
	args := func(k int) []string {
		a := append(slices.Clone(st.command), "-q", "--coordinator", addr, "--segments", seq.String(), "--segment", seq.Share(k),
			"--wait", st.dist.wait.String())
		a = append(a, shaping...)
		if k == 0 && st.out.monitor != "" {
			a = append(a, "--monitor", st.out.monitor)
			for _, s := range st.out.monitorSeries {
				a = append(a, "--monitor-series", s)
			}
		}
		return append(a, st.paths...)
	}
	var env []string
	if st.dist.token != "" {
		env = append(env, "SURGE_COORDINATOR_TOKEN="+st.dist.token)
	}
	if err := procs.Start(exe, seq.Shares(), args, env, stderr); err != nil {
		return err
	}
	go func() {
		if err, ok := <-procs.Exited; ok {
			exited <- err
		}
	}()
	return nil
}

// shapingFlags are the forwarded flags given on this command line, a
// repeatable one once for each of its values (its String is a list).
func shapingFlags(cmd *cobra.Command) []string {
	var out []string
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if !slices.Contains(forwarded, f.Name) {
			return
		}
		for _, v := range flagValues(f) {
			out = append(out, "--"+f.Name+"="+v)
		}
	})
	return out
}
