package scenario

import (
	"errors"
	"fmt"
	"strings"

	"github.com/surge-dev/surge/internal/suggest"
)

// Error is one problem in a script, at a place in its file.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Errors is every problem found in one script, in file order.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// AsErrors returns the script errors inside err, if any.
func AsErrors(err error) (Errors, bool) {
	var es Errors
	if errors.As(err, &es) {
		return es, true
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}, true
	}
	return nil, false
}

// Suggest returns the known name closest to an unknown one, or "" when
// none is close enough to be a likely typo.
func Suggest(unknown string, known []string) string { return suggest.Nearest(unknown, known) }

// closeTo is Suggest with a tighter bound (two edits), for places where
// unknown keys are allowed and only a near miss is surely a typo.
func closeTo(unknown string, known []string) string { return suggest.Within(unknown, known, 2) }
