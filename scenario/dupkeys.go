package scenario

import (
	"fmt"
	"strconv"

	yaml "go.yaml.in/yaml/v4"
)

// checkDuplicateKeys refuses a mapping that names a key twice. The YAML
// library checks that only when it decodes into Go maps, never into the
// node tree Surge reads, so the second value silently won: a script with
// two staging environments or two Authorization headers ran. Artillery's
// parser (js-yaml, for JSON scripts too) refuses such a script, and so
// does Surge, at the second key. Merge keys (<<) are not keys of the
// mapping and may repeat.
func checkDuplicateKeys(file string, root *yaml.Node) error {
	d := &dupCheck{file: file, seen: map[*yaml.Node]bool{}}
	d.walk(root, "")
	if len(d.errs) > 0 {
		return d.errs
	}
	return nil
}

type dupCheck struct {
	file string
	seen map[*yaml.Node]bool
	errs Errors
}

// walk checks n, found at path (config.phases[0]), and what it holds.
func (d *dupCheck) walk(n *yaml.Node, path string) {
	if n == nil || n.Kind == yaml.AliasNode || d.seen[n] {
		return // an alias's target is checked where its anchor is
	}
	d.seen[n] = true
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			d.walk(c, path)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			d.walk(c, path+"["+strconv.Itoa(i)+"]")
		}
	case yaml.MappingNode:
		d.mapping(n, path)
	}
}

// mapping reports each key of n written again after its first time.
func (d *dupCheck) mapping(n *yaml.Node, path string) {
	first := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode || isMergeKey(k) {
			d.walk(n.Content[i+1], path)
			continue
		}
		if prev, ok := first[k.Value]; ok {
			d.errs = append(d.errs, &Error{File: d.file, Pos: posOf(k),
				Msg: fmt.Sprintf("%sduplicate key %q (first at line %d): a mapping names each key once", pathPrefix(path), k.Value, prev.Line)})
		} else {
			first[k.Value] = k
		}
		d.walk(n.Content[i+1], keyPath(path, k.Value))
	}
}

func pathPrefix(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
