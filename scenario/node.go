package scenario

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/surge-dev/surge/internal/decimal"
	"github.com/surge-dev/surge/templating"
	yaml "go.yaml.in/yaml/v4"
)

// decoder walks a YAML node tree and collects every error it finds, so one
// run reports all the problems of a script rather than the first.
type decoder struct {
	file   string
	errs   Errors
	warns  Errors
	usesJS bool // a construct that needs JavaScript was found (and reported)
	// origin names the file (or flag) a node came from when it is not the
	// script itself: a --config file, --overrides, -v.
	origin map[*yaml.Node]string
	// undefined are the scalars a config template rendered undefined
	// ({{ $env.UNSET }}): decoded as templating.Undefined, as Artillery
	// keeps them, not as null. The value is the template as written, for
	// errors about such a value.
	undefined map[*yaml.Node]string
	envName   string // -e: the environment merged into config
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if t := d.undefined[resolve(n)]; t != "" {
		// The value judged is what the template rendered, not what the
		// line shows: "got nothing (null)" alone points nowhere. The
		// warning that says so is dropped with the script's errors.
		msg += fmt.Sprintf(" (the template %q rendered undefined: a variable or an environment variable not set?)", t)
	}
	d.errs = append(d.errs, d.at(n, msg))
}

// warnf records a problem that does not stop the script.
func (d *decoder) warnf(n *yaml.Node, format string, args ...any) {
	d.warns = append(d.warns, d.at(n, "warning: "+fmt.Sprintf(format, args...)))
}

// ignored warns about a key Artillery accepts and Surge ignores.
func (d *decoder) ignored(key *yaml.Node, what, why string) {
	if why != "" {
		why = " (" + why + ")"
	}
	d.warnf(key, "%s is ignored by Surge%s", what, why)
}

func (d *decoder) at(n *yaml.Node, msg string) *Error {
	e := &Error{File: d.file, Msg: msg}
	if n != nil {
		e.Pos = posOf(n)
		if f, ok := d.origin[n]; ok {
			e.File = f
		}
	}
	return e
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

// otherKeys, as a key of a field table, handles every key the table does
// not name instead of reporting it as unknown.
const otherKeys = "\x00other"

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
		if f, ok := fields[key.Value]; ok {
			f(key, val)
			continue
		}
		if f, ok := fields[otherKeys]; ok {
			f(key, val)
			continue
		}
		d.unknownKey(key, what, fields)
	}
}

func (d *decoder) unknownKey(key *yaml.Node, what string, fields map[string]field) {
	known := make([]string, 0, len(fields))
	for k := range fields {
		if k != otherKeys {
			known = append(known, k)
		}
	}
	sort.Strings(known)
	if s := Suggest(key.Value, known); s != "" {
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

// optStr is str that also accepts null (a template that rendered as
// undefined) as "".
func (d *decoder) optStr(n *yaml.Node, what string) string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return ""
	}
	return d.str(n, what)
}

func (d *decoder) str(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		d.errorf(n, "%s: expected a string, got %s", what, kindName(n))
		return ""
	}
	return n.Value
}

// number accepts a number or a numeric string, as Artillery does for
// values that may come from templates such as {{ $env.RATE }}. Only
// decimal notation: strconv alone would also read 0x1p3 as 8, and inf.
func (d *decoder) number(n *yaml.Node, what string) float64 {
	if n.Kind == yaml.ScalarNode {
		text := strings.TrimSpace(n.Value)
		if v, err := decimal.ParseFloat(text); err == nil {
			if v < 0 {
				d.errorf(n, "%s: must not be negative, got %s", what, n.Value)
				return 0
			}
			return v
		}
		if _, err := strconv.ParseFloat(text, 64); err == nil && !decimal.IsFloat(text) {
			d.errorf(n, "%s: expected a number in decimal notation (such as 10 or 2.5), got %s", what, kindName(n))
			return 0
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

// boolean reads a YAML or JSON boolean. A string or a number that merely
// looks like one ("false", 0) is an error: Artillery tests such a value
// for truth, where any non-empty string is true, so the quoted "false"
// of tls.rejectUnauthorized would verify certificates there and, read as
// false, skip the verification here.
func (d *decoder) boolean(n *yaml.Node, what string) bool {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		if v, err := strconv.ParseBool(strings.ToLower(n.Value)); err == nil {
			return v
		}
	}
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		d.errorf(n, "%s: expected true or false, got the string %q: write the boolean without quotes (Artillery reads any non-empty string as true)", what, n.Value)
		return false
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() != "!!null" {
		d.errorf(n, "%s: expected true or false, got %s", what, n.Value)
		return false
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
	if v > MaxDuration {
		d.errorf(n, "%s: %v is longer than %v, the longest Surge runs", what, v, MaxDuration)
	}
	return v
}

// timeout is a duration that must be positive: Artillery reads 0 as "use
// the default of 10 s", which a script surely does not mean.
func (d *decoder) timeout(n *yaml.Node, what string) time.Duration {
	v := d.duration(n, what)
	if v <= 0 && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		d.errorf(n, "%s: must be positive, got %s (leave it out for the default of 10 s)", what, n.Value)
	}
	return v
}

// rate is a per-second rate: a number from 0 to MaxArrivalRate.
func (d *decoder) rate(n *yaml.Node, what string) float64 {
	v := d.number(n, what)
	d.atMost(n, v, MaxArrivalRate, what, "a second in one process")
	return v
}

// atMost reports a value above a limit, saying what the limit counts.
func (d *decoder) atMost(n *yaml.Node, v, limit float64, what, unit string) {
	if v > limit {
		d.errorf(n, "%s: %s is more than %s %s", what, n.Value, templating.FormatNumber(limit), unit)
	}
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
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			// A value that rendered as undefined at load (an unset
			// {{ $env.X }}, a variable no VU has yet) is left out, as
			// Artillery leaves it out; a null is kept, for the step to
			// refuse as Artillery's client does.
			if d.undefined[v] == "" {
				hs = append(hs, Header{Name: strings.ToLower(k.Value), Null: true, Pos: posOf(v)})
			}
			continue
		}
		h := Header{Name: strings.ToLower(k.Value), Value: d.scalarJS(v, what+"."+k.Value)}
		if err := CheckHeader(h.Name, h.Value); err != nil {
			d.errorf(v, "%s: %v", what, err)
		}
		hs = append(hs, h)
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

// scalarJS is a scalar as Artillery turns it into text: a YAML number is
// a JavaScript number there, so "version: 2.0" is sent as 2 and "1e3" as
// 1000; anything else is its text.
func (d *decoder) scalarJS(n *yaml.Node, what string) string {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float") && d.undefined[n] == "" {
		return templating.JSString(d.value(n, what))
	}
	return d.scalarText(n, what)
}

// value decodes a free-form value (a JSON body, a variable) as YAML would.
func (d *decoder) value(n *yaml.Node, what string) any {
	if d.undefined[n] != "" {
		return templating.Undefined
	}
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
