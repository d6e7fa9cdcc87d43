package engine

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
)

// PanicError is a panic of a scenario's code (a Go user's task: a nil
// map, a failed type assertion), recovered so that it fails that VU, as
// an error would, rather than killing the test and losing its results:
// Locust counts an exception in a task and goes on.
type PanicError struct {
	Value any
	// Where is the function, file and line that panicked.
	Where string
}

func (e *PanicError) Error() string {
	if e.Where == "" {
		return fmt.Sprintf("panic: %v", e.Value)
	}
	return fmt.Sprintf("panic: %v (at %s)", e.Value, e.Where)
}

// FailureReason implements Reasoner: VUs failed by panics are counted
// together.
func (e *PanicError) FailureReason() string { return "panic" }

// Recover, deferred, turns a panic of the function that defers it into
// a *PanicError in *err:
//
//	func run() (err error) {
//		defer engine.Recover(&err)
//		…
//	}
func Recover(err *error) {
	if v := recover(); v != nil {
		*err = &PanicError{Value: v, Where: panicked()}
	}
}

// panicked names the first frame below the panic that is not the
// runtime's own: the code that panicked, not runtime.mapassign.
func panicked() string {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") && f.Function != "" {
			return fmt.Sprintf("%s, %s:%d", f.Function, filepath.Base(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}
