package scenario

import (
	"encoding/json"
	"fmt"

	yaml "go.yaml.in/yaml/v4"
)

// maxMergeDepth bounds recursion through documents that nest absurdly deep
// or contain themselves through aliases.
const maxMergeDepth = 64

// mergeNode deep-merges src into dst the way lodash's merge does, which is
// how Artillery combines files, environments and --overrides: mappings
// merge key by key, lists merge element by element (or, with
// replaceLists, the source list replaces the old one whole, as
// --overrides does), anything else is replaced. It returns the node to
// keep in dst's place; dst itself may have been changed.
func mergeNode(dst, src *yaml.Node, replaceLists bool, depth int) *yaml.Node {
	dst, src = resolve(dst), resolve(src)
	if dst == nil || depth > maxMergeDepth {
		return src
	}
	switch {
	case src.Kind == yaml.MappingNode && dst.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(src.Content); i += 2 {
			k, v := src.Content[i], src.Content[i+1]
			if j := keyIndex(dst, k.Value); j >= 0 {
				dst.Content[j+1] = mergeNode(dst.Content[j+1], v, replaceLists, depth+1)
			} else {
				dst.Content = append(dst.Content, k, v)
			}
		}
		return dst
	case src.Kind == yaml.SequenceNode && dst.Kind == yaml.SequenceNode && !replaceLists:
		for i, item := range src.Content {
			if i < len(dst.Content) {
				dst.Content[i] = mergeNode(dst.Content[i], item, replaceLists, depth+1)
			} else {
				dst.Content = append(dst.Content, item)
			}
		}
		return dst
	}
	return src
}

// keyIndex is the index of key's key node in mapping m, or -1.
func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// child returns the value under key in mapping m, or nil.
func child(m *yaml.Node, key string) *yaml.Node {
	m = resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	if i := keyIndex(m, key); i >= 0 {
		return resolve(m.Content[i+1])
	}
	return nil
}

// mappingAt returns the mapping under key in m, creating it (or replacing
// a non-mapping) as needed.
func mappingAt(m *yaml.Node, key string) *yaml.Node {
	if c := child(m, key); c != nil && c.Kind == yaml.MappingNode {
		return c
	}
	c := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	set(m, key, c)
	return c
}

// set puts v under key in mapping m.
func set(m *yaml.Node, key string, v *yaml.Node) {
	if i := keyIndex(m, key); i >= 0 {
		m.Content[i+1] = v
		return
	}
	k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	m.Content = append(m.Content, k, v)
}

func strNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// parseJSONObject reads the JSON object given to a flag (--overrides, -v)
// as a node tree whose nodes are all attributed to the flag in errors.
func parseJSONObject(flag, text string, origin map[*yaml.Node]string) (*yaml.Node, error) {
	var probe any
	if err := json.Unmarshal([]byte(text), &probe); err != nil {
		return nil, &Error{File: flag, Msg: fmt.Sprintf("invalid JSON: %v", err)}
	}
	if _, ok := probe.(map[string]any); !ok {
		return nil, &Error{File: flag, Msg: "expected a JSON object such as {\"config\": {...}}"}
	}
	var doc yaml.Node
	if err := yaml.Load([]byte(text), &doc); err != nil {
		return nil, &Error{File: flag, Msg: fmt.Sprintf("cannot read: %v", err)}
	}
	root := doc.Content[0]
	tag(root, flag, origin, 0)
	return root, nil
}

// tag attributes every node of a tree to a source for error messages.
func tag(n *yaml.Node, source string, origin map[*yaml.Node]string, depth int) {
	if n == nil || depth > maxMergeDepth {
		return
	}
	origin[n] = source
	for _, c := range n.Content {
		tag(c, source, origin, depth+1)
	}
}
