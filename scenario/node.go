package scenario

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v4"
)

// decoder walks a YAML node tree and collects every error it finds, so one
// run reports all the problems of a script rather than the first.
type decoder struct {
	file string
	errs Errors
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	e := &Error{File: d.file, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		e.Pos = posOf(n)
	}
	d.errs = append(d.errs, e)
}

// resolve follows aliases so anchors (&x / *x) work anywhere.
func resolve(n *yaml.Node) *yaml.Node {
	for hops := 0; n != nil && n.Kind == yaml.AliasNode && hops < 64; hops++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing (null)"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unexpected node"
}

// field handles the value of one known key.
type field func(key, val *yaml.Node)

// mapping calls the handler of each key of n, reporting unknown keys with
// the closest known one. It reports n if it is not a mapping.
func (d *decoder) mapping(n *yaml.Node, what string, fields map[string]field) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping, got %s", what, kindName(n))
		return
	}
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], resolve(n.Content[i+1])
		if seen[key.Value] {
			d.errorf(key, "%s: duplicate key %q", what, key.Value)
			continue
		}
		seen[key.Value] = true
		if key.Tag == "!!merge" {
			d.mapping(val, what, fields)
			continue
		}
		if f, ok := fields[key.Value]; ok {
			f(key, val)
			continue
		}
		d.unknownKey(key, what, fields)
	}
}

func (d *decoder) unknownKey(key *yaml.Node, what string, fields map[string]field) {
	known := make([]string, 0, len(fields))
	for k := range fields {
		known = append(known, k)
	}
	sort.Strings(known)
	if s := suggest(key.Value, known); s != "" {
		d.errorf(key, "%s: unknown field %q; did you mean %q?", what, key.Value, s)
		return
	}
	d.errorf(key, "%s: unknown field %q (known: %s)", what, key.Value, strings.Join(known, ", "))
}

// sequence calls f for each item of n.
func (d *decoder) sequence(n *yaml.Node, what string, f func(i int, item *yaml.Node)) {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: expected a list, got %s", what, kindName(n))
		return
	}
	for i, item := range n.Content {
		f(i, resolve(item))
	}
}

func (d *decoder) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s: expected a string, got %s", what, kindName(n))
		return ""
	}
	return n.Value
}

// number accepts a number or a numeric string, as Artillery does for
// values that may come from templates such as {{ $env.RATE }}.
func (d *decoder) number(n *yaml.Node, what string) float64 {
	if n.Kind == yaml.ScalarNode {
		if v, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			if v < 0 {
				d.errorf(n, "%s: must not be negative, got %s", what, n.Value)
				return 0
			}
			return v
		}
	}
	d.errorf(n, "%s: expected a number, got %s", what, kindName(n))
	return 0
}

func (d *decoder) integer(n *yaml.Node, what string) int64 {
	v := d.number(n, what)
	if v != math.Trunc(v) || v > math.MaxInt32*1e6 {
		d.errorf(n, "%s: expected a whole number, got %s", what, n.Value)
		return 0
	}
	return int64(v)
}

func (d *decoder) boolean(n *yaml.Node, what string) bool {
	if n.Kind == yaml.ScalarNode {
		if v, err := strconv.ParseBool(n.Value); err == nil {
			return v
		}
	}
	d.errorf(n, "%s: expected true or false, got %s", what, kindName(n))
	return false
}

func (d *decoder) duration(n *yaml.Node, what string) time.Duration {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s: expected a duration (seconds, or e.g. 30s, 5m), got %s", what, kindName(n))
		return 0
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		d.errorf(n, "%s: %v", what, err)
	}
	return v
}

// headers reads a mapping of header names to values; names are lower-cased
// as Artillery sends them.
func (d *decoder) headers(n *yaml.Node, what string) []Header {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: expected a mapping of header names to values, got %s", what, kindName(n))
		return nil
	}
	var hs []Header
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		hs = append(hs, Header{Name: strings.ToLower(k.Value), Value: d.scalarText(v, what+"."+k.Value)})
	}
	return hs
}

// scalarText is a scalar's text whatever its type (numbers as written).
func (d *decoder) scalarText(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, "%s: expected a single value, got %s", what, kindName(n))
		return ""
	}
	return n.Value
}

// value decodes a free-form value (a JSON body, a variable) as YAML would.
func (d *decoder) value(n *yaml.Node, what string) any {
	var v any
	if err := n.Decode(&v); err != nil {
		var le *yaml.LoadError
		if errors.As(err, &le) {
			d.errorf(n, "%s: %s", what, le.Message)
		} else {
			d.errorf(n, "%s: %v", what, err)
		}
	}
	return v
}
