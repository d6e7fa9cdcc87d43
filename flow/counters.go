package flow

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/surge-dev/surge/capture"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
)

// counter is an Artillery-named counter. Names are registered while
// building; past metrics.MaxCounters a name is not counted.
type counter struct {
	id metrics.Counter
	on bool
}

func newCounter(name string) counter {
	id, ok := metrics.RegisterCounter(name)
	return counter{id: id, on: ok}
}

// add counts n on behalf of the VU.
func (c counter) add(vu *engine.VU, n int64) {
	if c.on {
		vu.Count(c.id, n)
	}
}

// stepError is a VU failure that is not a request error: Artillery counts
// it as errors.<Code>.
type stepError struct {
	Code    string
	Counter counter
	Detail  string
}

func (e *stepError) Error() string {
	if e.Detail == "" {
		return e.Code
	}
	return e.Code + ": " + e.Detail
}

// FailureReason implements engine.Reasoner: a failed VU is counted under
// the step's error code.
func (e *stepError) FailureReason() string { return e.Code }

// newStepError builds a failure whose counter is registered now; use it
// at build time, or for rare failures at run time.
func (p *Program) newStepError(code, detail string) *stepError {
	return &stepError{Code: code, Counter: newCounter("errors." + code), Detail: detail}
}

// fail counts why the VU failed (request errors are counted by the
// engine) and returns err.
func (p *Program) fail(st *state, err error) error {
	var se *stepError
	if errors.As(err, &se) {
		se.Counter.add(st.vu, 1)
	}
	return err
}

// errCaptureCode is the error Artillery counts for a failed capture.
const errCaptureCode = capture.FailureCode

// reporter prints a bounded number of lines about failed checks, so that
// a failing expect under load does not flood the terminal.
type reporter struct {
	mu    sync.Mutex
	w     io.Writer
	lines int
}

const maxReportLines = 20

func newReporter(w io.Writer) *reporter {
	if w == nil {
		w = os.Stderr
	}
	return &reporter{w: w}
}

func (r *reporter) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines++
	switch {
	case r.lines <= maxReportLines:
		fmt.Fprintf(r.w, format+"\n", args...)
	case r.lines == maxReportLines+1:
		fmt.Fprintln(r.w, "expect: more failed checks not shown; see the plugins.expect.* counters")
	}
}
