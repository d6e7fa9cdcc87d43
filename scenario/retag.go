package scenario

import (
	"math"
	"strings"

	"github.com/surge-dev/surge/templating"
	yaml "go.yaml.in/yaml/v4"
)

// notPlain are the styles of a scalar whose type is not resolved from
// its text: quoted, a block, or with an explicit tag.
const notPlain = yaml.TaggedStyle | yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle

// retagJS gives every plain scalar of a script (or config file) the type
// js-yaml 3 gives it in Artillery (jsyaml.go): a number where js-yaml
// reads one, with its value, and text where js-yaml reads text. A date is
// kept as its text, where js-yaml makes a JavaScript Date (see
// docs/scripting.md). The surprising readings are named in a warning.
func (d *decoder) retagJS(n *yaml.Node) {
	seen := map[*yaml.Node]bool{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] || n.Kind == yaml.AliasNode {
			return
		}
		seen[n] = true
		if n.Kind == yaml.ScalarNode {
			d.retagScalar(n)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}

func (d *decoder) retagScalar(n *yaml.Node) {
	if n.Style&notPlain != 0 {
		return
	}
	if n.Tag == "!!timestamp" {
		n.Tag = "!!str"
		d.warnf(n, "%s is a date in Artillery (js-yaml), sent as %sT00:00:00.000Z in a JSON body and as the date's long form in a header; "+
			"Surge sends the text as written: quote it (%q) for the same bytes in both", n.Value, n.Value[:min(len(n.Value), 10)], n.Value)
		return
	}
	v, isInt, ok := jsNumber(n.Value)
	if !ok {
		if n.Tag == "!!int" || n.Tag == "!!float" {
			n.Tag = "!!str" // "0o17", "08", "+.5": text in js-yaml
		}
		return
	}
	if how := legacyReading(n.Value, isInt); how != "" {
		d.warnf(n, "%s is read %s as the number %s, as Artillery (js-yaml) reads it; quote it (%q) to keep the text",
			n.Value, how, templating.FormatNumber(v), n.Value)
	}
	if (n.Tag == "!!int" || n.Tag == "!!float") && same(goNumber(n), v) {
		return
	}
	setJSNumber(n, v, isInt) // "1:30" is 90 in js-yaml
}

// goNumber is the number the YAML library reads in n (NaN: none).
func goNumber(n *yaml.Node) float64 {
	var v any
	if n.Decode(&v) != nil {
		return math.NaN()
	}
	f, ok := templating.Number(v)
	if !ok {
		return math.NaN()
	}
	return f
}

func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// setJSNumber writes v into n as the YAML library reads it back.
func setJSNumber(n *yaml.Node, v float64, isInt bool) {
	n.Tag, n.Value = "!!float", templating.FormatNumber(v)
	switch {
	case math.IsInf(v, 1):
		n.Value = ".inf"
	case math.IsInf(v, -1):
		n.Value = "-.inf"
	case math.IsNaN(v):
		n.Value = ".nan"
	case isInt && v == math.Trunc(v) && math.Abs(v) < 1<<53:
		n.Tag = "!!int"
	}
}

// legacyReading names a YAML 1.1 reading that a script's author may not
// mean: base 60 ("12:30" is 750) or a leading zero ("0042" is octal 34);
// "" for any other number.
func legacyReading(text string, isInt bool) string {
	unsigned := strings.TrimLeft(text, "+-")
	switch {
	case strings.Contains(text, ":"):
		return "in base 60"
	case isInt && len(unsigned) > 1 && unsigned[0] == '0' && isDecDigit(unsigned[1]):
		return "in octal (a leading zero)"
	}
	return ""
}
