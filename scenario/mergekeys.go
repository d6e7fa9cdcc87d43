package scenario

import (
	yaml "go.yaml.in/yaml/v4"
)

// Merge keys (<<, https://yaml.org/type/merge.html) are resolved once, on
// the node tree, as soon as a file is parsed: the decoders, the -e and
// --config merges and the template renderer then see plain mappings, so
// none of them can apply << in the wrong order or forget it. Nodes are
// reused, not copied, so every value keeps its line:col.

// merger resolves the merge keys of one file's tree in place.
type merger struct {
	file string
	done map[*yaml.Node]bool // anchored nodes are reached once per alias
	errs Errors
}

// resolveMerges rewrites every mapping of root that has merge keys. It
// must run after checkAliases, which refuses a mapping that merges itself.
func resolveMerges(file string, root *yaml.Node) error {
	m := &merger{file: file, done: map[*yaml.Node]bool{}}
	m.walk(root)
	if len(m.errs) > 0 {
		return m.errs
	}
	return nil
}

// walk resolves children first, so a mapping merged in has its own merge
// keys resolved before its keys are copied.
func (m *merger) walk(n *yaml.Node) {
	n = resolve(n)
	if n == nil || m.done[n] {
		return
	}
	m.done[n] = true
	for _, c := range n.Content {
		m.walk(c)
	}
	if n.Kind == yaml.MappingNode && hasMergeKey(n) {
		m.expand(n)
	}
}

// expand replaces each << of mapping n by the keys it merges that n does
// not already have. Explicit keys win over merged ones wherever << stands
// (merging in document order made `{a: 3, <<: *x}` take x's a), and the
// first map to name a key wins over later ones, in a list or a later <<,
// as in js-yaml. A key written after the << that merges it takes the
// merged key's place, as js-yaml assigns it to the property the merge
// made: the order is sent in a json body. Explicit keys written twice
// are both kept, for the decoder to report as duplicates.
func (m *merger) expand(n *yaml.Node) {
	e := &expansion{n: n, out: make([]*yaml.Node, 0, len(n.Content)),
		taken: map[string]bool{}, first: map[string]int{}, moved: map[int]bool{}}
	for i := len(n.Content) - 2; i >= 0; i -= 2 {
		if k := n.Content[i]; !isMergeKey(k) {
			e.first[k.Value] = i
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !isMergeKey(k) {
			if !e.moved[i] {
				e.out = append(e.out, k, v)
			}
			e.taken[k.Value] = true
			continue
		}
		for _, src := range m.sources(v) {
			e.merge(src)
		}
	}
	n.Content = e.out
}

// expansion is the mapping expand builds.
type expansion struct {
	n     *yaml.Node
	out   []*yaml.Node
	taken map[string]bool // the keys out has
	first map[string]int  // each explicit key's first pair in n.Content
	moved map[int]bool    // the explicit pairs a << placed
}

// merge appends the pairs of mapping src whose keys out does not have,
// or the explicit pair written later for such a key.
func (e *expansion) merge(src *yaml.Node) {
	for i := 0; i+1 < len(src.Content); i += 2 {
		k := src.Content[i]
		if e.taken[k.Value] {
			continue
		}
		e.taken[k.Value] = true
		if j, ok := e.first[k.Value]; ok {
			e.out = append(e.out, e.n.Content[j], e.n.Content[j+1])
			e.moved[j] = true
			continue
		}
		e.out = append(e.out, k, src.Content[i+1])
	}
}

// sources are the mappings the value v of a << names, first first: a
// mapping, an alias to one, or a list (written there or aliased, as
// js-yaml accepts) of those. Anything else is reported where it is
// written: at the list item, or at the alias when the list is elsewhere.
func (m *merger) sources(v *yaml.Node) []*yaml.Node {
	r := resolve(v)
	if r.Kind == yaml.MappingNode {
		return []*yaml.Node{r}
	}
	if r.Kind != yaml.SequenceNode {
		m.fail(v, r)
		return nil
	}
	var maps []*yaml.Node
	for _, item := range r.Content {
		switch ri := resolve(item); {
		case ri.Kind == yaml.MappingNode:
			maps = append(maps, ri)
		case v.Kind == yaml.AliasNode:
			m.fail(v, ri)
		default:
			m.fail(item, ri)
		}
	}
	return maps
}

func (m *merger) fail(at, got *yaml.Node) {
	m.errs = append(m.errs, &Error{File: m.file, Pos: posOf(at),
		Msg: "merge key <<: expected a mapping, an alias to one, or a list of those, got " + kindName(got)})
}

// isMergeKey is go-yaml's test: a plain << or a key tagged !!merge.
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge"
}

func hasMergeKey(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if isMergeKey(n.Content[i]) {
			return true
		}
	}
	return false
}
