package templating

import (
	"fmt"
	"slices"
	"strings"
)

// Value is a compiled value tree (maps, lists, strings and scalars as
// decoded from YAML or JSON), such as a request's json body, headers, qs or
// form. Compile it once with [CompileValue]; render it per request. The zero
// Value renders as nil.
type Value struct {
	n node
}

type node interface {
	render(sc Scope) any
}

// CompileValue compiles every string in v, map keys included. Subtrees that
// contain no template are kept as they are and shared by every render.
func CompileValue(v any) (Value, error) {
	n, err := compileNode(v)
	if err != nil {
		return Value{}, err
	}
	return Value{n: n}, nil
}

// MustCompileValue is [CompileValue] that panics on error.
func MustCompileValue(v any) Value {
	val, err := CompileValue(v)
	if err != nil {
		panic(err)
	}
	return val
}

// Render produces the value for one request. Strings render as
// [Template.Render] does (a lone "{{ var }}" keeps its type). A map entry
// whose value renders as [Undefined] is left out, as JSON.stringify leaves
// out undefined properties; list elements keep Undefined (JSON null). Map
// keys render as text. The result may share unchanged subtrees with the
// compiled source and with scope values: treat it as read-only.
func (v Value) Render(sc Scope) any {
	if v.n == nil {
		return nil
	}
	return v.n.render(orEmpty(sc))
}

// IsStatic reports whether rendering always returns the source unchanged.
func (v Value) IsStatic() bool {
	_, ok := v.n.(constNode)
	return v.n == nil || ok
}

type constNode struct{ v any }

func (c constNode) render(Scope) any { return c.v }

type tmplNode struct{ t *Template }

func (n tmplNode) render(sc Scope) any { return n.t.Render(sc) }

type mapEntry struct {
	key  string
	tkey *Template // nil when the key is static
	val  node
}

type mapNode struct {
	entries []mapEntry
	// sorted are the entries in key order when every key is static,
	// for AppendJSON; nil otherwise.
	sorted []mapEntry
}

func (n mapNode) render(sc Scope) any {
	out := make(map[string]any, len(n.entries))
	for i := range n.entries {
		e := &n.entries[i]
		val := e.val.render(sc)
		if IsUndefined(val) {
			continue
		}
		key := e.key
		if e.tkey != nil {
			key = e.tkey.RenderString(sc)
		}
		out[key] = val
	}
	return out
}

type listNode struct{ elems []node }

func (n listNode) render(sc Scope) any {
	out := make([]any, len(n.elems))
	for i, e := range n.elems {
		out[i] = e.render(sc)
	}
	return out
}

func compileNode(v any) (node, error) {
	switch x := v.(type) {
	case string:
		t, err := Compile(x)
		if err != nil || t.IsStatic() {
			return constNode{v}, err
		}
		return tmplNode{t}, nil
	case map[string]any:
		return compileMap(x)
	case []any:
		return compileList(x)
	case map[any]any:
		m, err := stringKeys(x)
		if err != nil {
			return nil, err
		}
		return compileMap(m)
	}
	return constNode{v}, nil
}

func compileMap(m map[string]any) (node, error) {
	entries := make([]mapEntry, 0, len(m))
	static := true
	for k, v := range m {
		e := mapEntry{key: k}
		kt, err := Compile(k)
		if err != nil {
			return nil, err
		}
		if !kt.IsStatic() {
			e.tkey, static = kt, false
		}
		if e.val, err = compileNode(v); err != nil {
			return nil, err
		}
		if _, ok := e.val.(constNode); !ok {
			static = false
		}
		entries = append(entries, e)
	}
	if static {
		return constNode{m}, nil
	}
	n := mapNode{entries: entries}
	if !slices.ContainsFunc(entries, func(e mapEntry) bool { return e.tkey != nil }) {
		n.sorted = slices.SortedFunc(slices.Values(entries), func(a, b mapEntry) int { return strings.Compare(a.key, b.key) })
	}
	return n, nil
}

// AppendJSON appends the JSON text of what Render returns, the bytes
// AppendJSON(dst, v.Render(sc)) appends, and reports whether it is
// defined (when it is Undefined nothing is appended). A map whose keys are
// static is written as it renders, without building it: a request's json
// body is rendered for every request.
func (v Value) AppendJSON(dst []byte, sc Scope) ([]byte, bool) {
	if m, ok := v.n.(mapNode); ok && m.sorted != nil {
		return m.appendJSON(dst, orEmpty(sc)), true
	}
	val := v.Render(sc)
	if IsUndefined(val) {
		return dst, false
	}
	return AppendJSON(dst, val), true
}

// appendJSON writes the map's entries in key order, leaving out those
// that render as Undefined, as appendJSONMap does with the rendered map.
func (n mapNode) appendJSON(dst []byte, sc Scope) []byte {
	dst = append(dst, '{')
	first := true
	for i := range n.sorted {
		e := &n.sorted[i]
		sub, nested := e.val.(mapNode)
		var val any
		if !nested || sub.sorted == nil {
			if val = e.val.render(sc); IsUndefined(val) {
				continue
			}
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, e.key)
		dst = append(dst, ':')
		if nested && sub.sorted != nil {
			dst = sub.appendJSON(dst, sc)
		} else {
			dst = AppendJSON(dst, val)
		}
	}
	return append(dst, '}')
}

func compileList(l []any) (node, error) {
	elems := make([]node, len(l))
	static := true
	for i, v := range l {
		n, err := compileNode(v)
		if err != nil {
			return nil, err
		}
		if _, ok := n.(constNode); !ok {
			static = false
		}
		elems[i] = n
	}
	if static {
		return constNode{l}, nil
	}
	return listNode{elems}, nil
}

// stringKeys converts a map with arbitrary keys (some YAML decoders produce
// them) into a string-keyed map.
func stringKeys(m map[any]any) (map[string]any, error) {
	out := make(map[string]any, len(m))
	for k, v := range m {
		ks, ok := k.(string)
		if !ok {
			return nil, fmt.Errorf("map key %v: want a string, got %T", k, k)
		}
		out[ks] = v
	}
	return out, nil
}
