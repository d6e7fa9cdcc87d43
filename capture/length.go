package capture

import (
	"strings"

	"github.com/theory/jsonpath"
)

// A path that ends in ".length" ("$.items.length") reads, in
// jsonpath-plus, JavaScript's length property of what the rest selects:
// an array's element count or a string's length in UTF-16 units, and an
// object's own "length" member. RFC 9535 has no such property (a name
// selects object members only), so Surge selects the rest and takes the
// length itself.

// lengthOf returns the path before a final ".length", and whether expr
// has one.
func lengthOf(expr string) (string, bool) {
	parent, ok := strings.CutSuffix(expr, ".length")
	if !ok || parent == "" || strings.HasSuffix(parent, ".") {
		return expr, false // "$..length" is a descent, not the property
	}
	return parent, true
}

// jsonPathOf is the path that is selected for expr: the part before a
// final ".length", or expr itself.
func jsonPathOf(expr string) string {
	p, _ := lengthOf(expr)
	return p
}

// selectJSON selects src's nodes in doc with c's compiled path (or src,
// parsed now, when it was templated), applying a final ".length". ok is
// false when the path does not parse.
func (c *Capture) selectJSON(src string, doc any) (nodes jsonpath.NodeList, ok bool) {
	path := c.path
	if path == nil {
		var err error
		if path, err = ParseJSONPath(jsonPathOf(src)); err != nil {
			return nil, false
		}
	}
	nodes = path.Select(doc)
	if _, isLength := lengthOf(src); isLength {
		nodes = lengths(nodes)
	}
	return nodes, true
}

// lengths is JavaScript's length property of each node that has one.
func lengths(nodes jsonpath.NodeList) jsonpath.NodeList {
	out := make(jsonpath.NodeList, 0, len(nodes))
	for _, n := range nodes {
		switch v := n.(type) {
		case []any:
			out = append(out, float64(len(v)))
		case string:
			out = append(out, float64(utf16Len(v)))
		case map[string]any:
			if m, ok := v["length"]; ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// utf16Len is a string's length in UTF-16 code units, as JavaScript
// counts it: two for a character beyond the Basic Multilingual Plane.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}
