package cli

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Version is set at build time with -ldflags "-X ...cli.Version=...".
var Version = "dev"

// IO is where a command reads and writes; tests pass buffers.
type IO struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader // --body @-; nil means os.Stdin
}

// Main runs the command line and returns the process exit code.
func Main(args []string, io IO) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return MainContext(ctx, args, io)
}

// MainContext is Main with the caller's context: cancelling it acts as
// Ctrl-C does (a graceful stop that still writes the results).
func MainContext(ctx context.Context, args []string, io IO) int {
	root := newRoot(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(io.Stderr, err)
}

func newRoot(io IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "surge",
		Short: "Load and stress testing for HTTP services",
		Long: `Surge generates HTTP load in the open model (arrival rates) or the closed model
(looping virtual users), measures latency honestly (from each request's intended
start, in HDR histograms), and writes a results file.`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Stdout)
	root.SetErr(io.Stderr)
	root.AddCommand(newRunCmd(io), newQuickCmd(io), newTargetCmd(io), newDemoCmd(io), newUICmd(io), newReportCmd(io))
	return root
}

// isTTY reports whether w is an interactive terminal.
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
