package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/surge-dev/surge/scenario"
)

// Exit codes, documented in docs/cli.md.
const (
	ExitOK          = 0   // the test ran and every threshold passed
	ExitThresholds  = 1   // the test ran but a check failed: a threshold, an alert with fail, an ensure check
	ExitUsage       = 2   // bad flags, or a script that does not load
	ExitRunFailed   = 3   // the test could not run (e.g. cannot listen, cannot write results)
	ExitExpect      = 21  // an expect check failed (as in Artillery)
	ExitAborted     = 111 // a rule stopped the test: an alert with abort, a threshold with abortOnFail
	ExitInterrupted = 130 // stopped by Ctrl-C or SIGTERM; results were still written
	// surge compare: a row regressed (with --fail-on regression or
	// inconclusive), or none regressed but one is inconclusive (with
	// --fail-on inconclusive).
	ExitRegression   = 112
	ExitInconclusive = 113
	// surge capacity: the SLO did not hold even at the start load; Surge
	// itself could not drive a load it had to judge.
	ExitBelowStart         = 114
	ExitGeneratorSaturated = 115
)

// exitCodes is the one table of exit codes: every command's --help ends
// with it, and docs/cli.md holds the same rows (a test checks both).
var exitCodes = []struct {
	code    int
	meaning string
}{
	{ExitOK, "the command succeeded: the test ran and every check passed; compare found no regression"},
	{ExitThresholds, "a check failed: a threshold (--threshold), an alert with the fail action, an ensure check (surge merge --script: on the merged results)"},
	{ExitUsage, "usage error, before any load: a flag, a script or an alerts file that is wrong, an output path that cannot be written; surge merge: files that are not the shares of one test; a coordinated run: a worker with another plan hash, sequence or endpoints, or a share taken twice"},
	{ExitRunFailed, "the test could not run (cannot listen, cannot write the results file); a coordinated run: a worker not ready within --wait, a worker lost or failed mid-run, a worker that lost its coordinator"},
	{ExitExpect, "an expect check failed, and no other check did (as in Artillery)"},
	{ExitAborted, "a rule stopped the test: an alert with the abort action, or a threshold with abortOnFail"},
	{ExitRegression, "surge compare: a row regressed (--fail-on regression, the default, or inconclusive)"},
	{ExitInconclusive, "surge compare --fail-on inconclusive: no row regressed, but one is inconclusive"},
	{ExitBelowStart, "surge capacity: the SLO did not hold even at the start load (--start)"},
	{ExitGeneratorSaturated, "surge capacity: Surge itself could not drive a load it had to judge (its CPU, its timers or its sends past their limits); no capacity is reported"},
	{ExitInterrupted, "interrupted by Ctrl-C or SIGTERM: a test still wrote its summary and results; surge report, compare and merge stop at once and write nothing (surge merge: also a share was interrupted)"},
}

// exitCodesHelp is the table as --help ends with it.
func exitCodesHelp() string {
	var b strings.Builder
	b.WriteString("\nExit codes (every command):\n")
	for _, e := range exitCodes {
		fmt.Fprintf(&b, "  %-4d %s\n", e.code, e.meaning)
	}
	return b.String()
}

// addExitCodes ends the help of root and of every command under it (they
// inherit its usage template) with the table, after the flags.
func addExitCodes(root *cobra.Command) {
	root.SetUsageTemplate(root.UsageTemplate() + exitCodesHelp())
}

// exitError carries an exit code up to Main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

func runError(err error) error { return &exitError{code: ExitRunFailed, err: err} }

// exitCode prints err (if any) and chooses the process exit code.
func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return ee.code
	}
	if _, ok := scenario.AsErrors(err); ok {
		fmt.Fprintln(stderr, err)
		return ExitUsage
	}
	fmt.Fprintln(stderr, "surge:", err)
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitUsage // cobra's own flag and argument errors
}

// silentExit ends the process with code after output was already printed.
func silentExit(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}
