package expect

import (
	"fmt"
	"sort"

	"github.com/surge-dev/surge/capture"
	"github.com/surge-dev/surge/templating"
)

// Spec is one expectation of a request: its type (the key in the script,
// such as "statusCode") and its raw value.
type Spec struct {
	Type  string
	Value any
}

// ParseSpecs reads a request's expect value as decoded from YAML or JSON:
// a list of one-key maps (the usual form, order kept) or one map (checks in
// key order, since Go maps have no order). A list item with several keys
// yields all of them in key order; Artillery would use only the first.
func ParseSpecs(v any) ([]Spec, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return mapSpecs(x), nil
	case []any:
		var specs []Spec
		for i, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("expect %d: want a map, got %T", i+1, e)
			}
			specs = append(specs, mapSpecs(m)...)
		}
		return specs, nil
	}
	return nil, fmt.Errorf("expect: want a map or a list, got %T", v)
}

func mapSpecs(m map[string]any) []Spec {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	specs := make([]Spec, len(keys))
	for i, k := range keys {
		specs[i] = Spec{Type: k, Value: m[k]}
	}
	return specs
}

// Result is the outcome of one check, with the fields Artillery prints and
// counts: plugins.expect.ok.<Type> or plugins.expect.failed.<Type>.
type Result struct {
	OK       bool
	Type     string
	Expected string
	Got      string
}

// String is the check's report line, "ok statusCode 200" or
// "not ok statusCode 500".
func (r Result) String() string {
	if r.OK {
		return "ok " + r.Type + " " + r.Got
	}
	return "not ok " + r.Type + " " + r.Got
}

// Set is the compiled expectation list of one request. It is immutable and
// safe for concurrent use.
type Set struct {
	checks      []check
	unsupported []string
}

// check is one compiled expectation.
type check interface {
	run(x *exchange) Result
}

// Compile compiles the expectations of one request. Checks Surge does not
// implement (jmespath, jpath, unknown names) are skipped, as Artillery
// skips unknown ones, and listed by [Set.Unsupported] so the caller can
// warn once.
func Compile(specs []Spec) (*Set, error) {
	s := &Set{}
	for _, spec := range specs {
		build, ok := builders[spec.Type]
		if !ok {
			s.unsupported = append(s.unsupported, spec.Type)
			continue
		}
		c, err := build(spec.Value)
		if err != nil {
			return nil, fmt.Errorf("expect %s: %w", spec.Type, err)
		}
		s.checks = append(s.checks, c)
	}
	return s, nil
}

// Len is the number of checks that will run.
func (s *Set) Len() int { return len(s.checks) }

// Unsupported lists the expectation types that were skipped.
func (s *Set) Unsupported() []string { return s.unsupported }

// Check runs every expectation against a response, appending one Result per
// check to dst. Templated values render against sc.
func (s *Set) Check(dst []Result, resp *capture.Response, sc templating.Scope) []Result {
	x := &exchange{resp: resp, sc: sc}
	for _, c := range s.checks {
		dst = append(dst, c.run(x))
	}
	return dst
}

// Failed reports whether any result is not ok.
func Failed(results []Result) bool {
	for _, r := range results {
		if !r.OK {
			return true
		}
	}
	return false
}
