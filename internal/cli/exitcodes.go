package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/surge-dev/surge/scenario"
)

// Exit codes, documented in docs/cli.md.
const (
	ExitOK          = 0   // the test ran and every threshold passed
	ExitThresholds  = 1   // the test ran but a threshold (ensure) failed
	ExitUsage       = 2   // bad flags, or a script that does not load
	ExitRunFailed   = 3   // the test could not run (e.g. cannot listen, cannot write results)
	ExitExpect      = 21  // an expect check failed (as in Artillery)
	ExitInterrupted = 130 // stopped by Ctrl-C or SIGTERM; results were still written
	// surge compare: a row regressed (with --fail-on regression or
	// inconclusive), or none regressed but one is inconclusive (with
	// --fail-on inconclusive).
	ExitRegression   = 112
	ExitInconclusive = 113
)

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
