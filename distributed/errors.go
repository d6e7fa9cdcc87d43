package distributed

import "fmt"

// MismatchError is a worker refused at the barrier, before any load: not
// a share of the same test (another plan, sequence or endpoints) or a
// share taken twice. The run fails at once.
type MismatchError struct{ Reason string }

func (e *MismatchError) Error() string { return "coordinator: " + e.Reason }

// LostError is a worker that never became ready, or that failed or went
// away during the run, or (on a worker) the coordinator lost.
type LostError struct{ Reason string }

func (e *LostError) Error() string { return e.Reason }

func lost(format string, args ...any) error { return &LostError{Reason: fmt.Sprintf(format, args...)} }
