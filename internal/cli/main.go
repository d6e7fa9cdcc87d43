package cli

import (
	"context"
	"io"
	"os"

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

// Main runs the command line and returns the process exit code. In a
// command that sends load, the first SIGINT or SIGTERM stops the test
// gracefully and a second one cancels the requests still in flight at
// once; any other command is asked to stop at the first, and ends as any
// program does at the second (see interrupts).
func Main(args []string, io IO) int {
	root := newRoot(io)
	args = joinOptionalValues(root, args)
	stop, abort, release := interrupts(io.Stderr, sendsLoad(root, args))
	defer release()
	return runRoot(stop, root, abort, args, io)
}

// MainContext is Main with the caller's context: cancelling it acts as
// Ctrl-C does (a graceful stop that still writes the results).
func MainContext(ctx context.Context, args []string, io IO) int {
	return MainAbortable(ctx, nil, args, io)
}

// MainAbortable is MainContext with a second stop: closing abort acts as a
// second Ctrl-C (requests in flight are cancelled at once, and the
// results still written).
func MainAbortable(ctx context.Context, abort <-chan struct{}, args []string, io IO) int {
	root := newRoot(io)
	return runRoot(ctx, root, abort, joinOptionalValues(root, args), io)
}

func runRoot(ctx context.Context, root *cobra.Command, abort <-chan struct{}, args []string, io IO) int {
	root.SetArgs(args)
	err := root.ExecuteContext(context.WithValue(ctx, abortKey{}, abort))
	return exitCode(io.Stderr, err)
}

// abortKey carries the abort channel of MainAbortable to the commands.
type abortKey struct{}

// abortOf is the channel whose closing cancels requests in flight at once
// (nil: never).
func abortOf(ctx context.Context) <-chan struct{} {
	abort, _ := ctx.Value(abortKey{}).(<-chan struct{})
	return abort
}

func newRoot(io IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "surge",
		Short: "Load and stress testing for HTTP services",
		Long: `Surge generates HTTP load in the open model (arrival rates) or the closed model
(looping virtual users), measures latency honestly (from each request's intended
start, in HDR histograms), and writes a results file.

Ctrl-C (or SIGTERM) stops a test: no new arrivals, and requests in flight get
10 s to finish; a second Ctrl-C cancels them at once. Either way the summary
and the results file are written, and the exit code is 130.

A URL given without a scheme (localhost:8080/x, -t 127.0.0.1:9000) is taken
as http://, as curl does. A short flag means the same in every command
(docs/cli.md, "Short flags").`,
		Version:       Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(io.Stdout)
	root.SetErr(io.Stderr)
	root.SetVersionTemplate(versionText())
	// -v is --variables, as in Artillery; surge -v keeps printing the
	// version, with a notice.
	root.Flags().BoolP("version", "v", false, "print the version (as surge version does)")
	retireShorthand(root.Flags(), "version", "-v is --variables in the commands that run scripts, as in Artillery")
	root.AddCommand(loadCommand(newRunCmd(io)), loadCommand(newQuickCmd(io)), newTargetCmd(io), loadCommand(newDemoCmd(io)),
		loadCommand(newUICmd(io)), newReportCmd(io), newCompareCmd(io), newMergeCmd(io), newVersionCmd(io), newInitCmd(io),
		loadCommand(newCapacityCmd(io)), newK8sCmd(io), newPlanCmd(io))
	addExitCodes(root)
	noticesTo(root, io.Stderr)
	decimalOnly(root)
	onceOnly(root)
	nonEmptyPaths(root)
	return root
}

// isTTY reports whether w is an interactive terminal.
func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
