package scenario

import (
	"fmt"

	yaml "go.yaml.in/yaml/v4"
)

// MaxExpandedValues bounds a document's size once every alias is expanded.
// YAML aliases let a few hundred bytes name billions of values (ten lists of
// ten aliases to the list before, eight deep); every walk over the script
// (flattening nested flows, merging, decoding) would expand them. Real
// scripts hold a few thousand values; this is several hundred times more
// (a few hundred MB of decoded steps at most).
const MaxExpandedValues = 1_000_000

// aliasCheck measures a document with aliases expanded, without expanding
// them: each node's expanded size is computed once and reused wherever an
// alias names it.
type aliasCheck struct {
	file   string
	sizes  map[*yaml.Node]int
	onPath map[*yaml.Node]bool
	err    *Error
}

// checkAliases rejects a document that aliases expand beyond
// MaxExpandedValues, or an alias used inside the value it names (which
// would expand forever).
func checkAliases(file string, root *yaml.Node) error {
	c := &aliasCheck{file: file, sizes: map[*yaml.Node]int{}, onPath: map[*yaml.Node]bool{}}
	c.size(root)
	if c.err != nil {
		return Errors{c.err}
	}
	return nil
}

// size is n's expanded size, saturated just above the limit; it stops at
// the first problem.
func (c *aliasCheck) size(n *yaml.Node) int {
	if c.err != nil || n == nil {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		if c.onPath[n.Alias] {
			c.fail(n, fmt.Sprintf("alias *%s is used inside the value its anchor names, which would repeat forever", n.Value))
			return 0
		}
		return c.size(n.Alias)
	}
	if s, ok := c.sizes[n]; ok {
		return s
	}
	c.onPath[n] = true
	total := 1
	for _, child := range n.Content {
		total += c.size(child)
		if total > MaxExpandedValues && c.err == nil {
			c.fail(child, fmt.Sprintf("aliases expand the script to more than %d values (an alias bomb?); Surge refuses larger documents", MaxExpandedValues))
		}
		total = min(total, MaxExpandedValues+1)
	}
	delete(c.onPath, n)
	c.sizes[n] = total
	return total
}

func (c *aliasCheck) fail(n *yaml.Node, msg string) {
	c.err = &Error{File: c.file, Pos: posOf(n), Msg: msg}
}
