package capture

import (
	"fmt"

	"github.com/surge-dev/surge/templating"
)

// FailureCode is the error Artillery counts (as errors.<code>) when a strict
// capture or a match fails; the VU stops there.
const FailureCode = "Failed capture or match"

// Set is the compiled capture and match list of one request.
type Set struct {
	items []*Capture
}

// Captured is one variable to assign after a response.
type Captured struct {
	Name  string // may be a dotted path: assign with templating.SetPath
	Value any    // may be "" or templating.Undefined after a non-strict failure
}

// Outcome is what a response did to the VU's variables.
type Outcome struct {
	// Failed means a strict capture or a match failed: the VU fails with
	// FailureCode and no variable from this response is assigned.
	Failed bool
	// Values lists the assignments to make, in order, when !Failed. Like
	// Artillery, it includes non-strict captures that failed.
	Values []Captured
	// Problems describes each failed capture or match, for logs.
	Problems []string
}

// NewSet compiles the capture and match specs of one request (Artillery
// runs the two lists as one: captures first, then matches).
func NewSet(specs ...Spec) (*Set, error) {
	s := &Set{items: make([]*Capture, 0, len(specs))}
	for i, spec := range specs {
		c, err := Compile(spec)
		if err != nil {
			return nil, fmt.Errorf("capture %d: %w", i+1, err)
		}
		s.items = append(s.items, c)
	}
	return s, nil
}

// ReadsHeaders says whether a capture or match of s reads the response's
// header fields (the others read its body). A nil Set reads nothing.
func (s *Set) ReadsHeaders() bool {
	if s == nil {
		return false
	}
	for _, c := range s.items {
		if c.kind == kindHeader {
			return true
		}
	}
	return false
}

// Len is the number of captures and matches.
func (s *Set) Len() int { return len(s.items) }

// Run evaluates every capture and match against resp. defaultStrict is
// config.defaults.strictCapture (pass true when the script leaves it unset).
func (s *Set) Run(resp *Response, sc templating.Scope, defaultStrict bool) Outcome {
	var out Outcome
	for _, c := range s.items {
		if c.IsMatch() {
			s.runMatch(c, resp, sc, &out)
			continue
		}
		name, value, ok, err := c.Extract(resp, sc)
		if !ok {
			out.Problems = append(out.Problems, problem("capture "+name, c, err))
			out.Failed = out.Failed || c.Strict(defaultStrict)
		}
		out.Values = append(out.Values, Captured{Name: name, Value: value})
	}
	if out.Failed {
		out.Values = nil
	}
	return out
}

func (s *Set) runMatch(c *Capture, resp *Response, sc templating.Scope, out *Outcome) {
	ok, got, want, err := c.Match(resp, sc)
	if ok {
		return
	}
	what := fmt.Sprintf("match: got %s, want %s", templating.Stringify(got), templating.Stringify(want))
	out.Problems = append(out.Problems, problem(what, c, err))
	out.Failed = out.Failed || c.spec.Strict == nil || *c.spec.Strict
}

func problem(what string, c *Capture, err error) string {
	msg := fmt.Sprintf("%s (%s) failed", what, c.expr.Source())
	if err != nil {
		msg += ": " + err.Error()
	}
	return msg
}

// Match evaluates a match entry: the extracted value must be strictly equal
// (JavaScript ===) to the rendered expected value. Objects never compare
// equal; an extraction error is a failure.
func (c *Capture) Match(resp *Response, sc templating.Scope) (ok bool, got, want any, err error) {
	got, err = c.extract(resp, sc)
	want = c.want.Render(sc)
	if err != nil {
		return false, got, want, err
	}
	return strictEqual(got, want), got, want, nil
}

func strictEqual(a, b any) bool {
	if fa, ok := templating.Number(a); ok {
		fb, ok := templating.Number(b)
		return ok && fa == fb
	}
	switch x := a.(type) {
	case nil, templating.UndefinedType:
		return a == b
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return false
}
