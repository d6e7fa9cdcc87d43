package templating

import (
	"fmt"
	"maps"
	"slices"
)

// Value is a compiled value tree (maps or [Object]s, lists, strings and
// scalars as decoded from YAML or JSON), such as a request's json body,
// headers, qs or form. Compile it once with [CompileValue]; render it per
// request. The zero Value renders as nil.
type Value struct {
	n node
}

type node interface {
	render(sc Scope) any
	// appendJSON appends the JSON text of what render returns, keeping
	// the order of Objects, and reports whether it is defined (when it
	// is Undefined, nothing is appended).
	appendJSON(dst []byte, sc Scope) ([]byte, bool)
}

// CompileValue compiles every string in v, map keys included. Subtrees that
// contain no template are kept as they are and shared by every render.
// An [Object] renders as a map; [Value.AppendJSON] writes it in its order.
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
// keys render as text; a templated key that renders as another key of the
// map sets that key, as Artillery does (see [Value.AppendJSON]). Objects
// render as maps. The result may share unchanged subtrees with the
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

// constNode is a subtree without templates. json is its JSON text when it
// is a map, list or Object, written once here rather than per request.
type constNode struct {
	v    any
	json []byte
}

func (c constNode) render(Scope) any { return c.v }

func constOf(src any) constNode {
	switch src.(type) {
	case map[string]any, []any, Object:
		return constNode{v: plain(src), json: AppendJSON(nil, src)}
	}
	return constNode{v: src}
}

type tmplNode struct{ t *Template }

func (n tmplNode) render(sc Scope) any { return n.t.Render(sc) }

type mapEntry struct {
	key   string
	tkey  *Template // nil when the key is static
	kjson []byte    // the static key's `"key":`
	val   node
}

// mapNode is a map or Object with a template somewhere. Artillery renders
// an object in place (engine_util's templateObjectOrArray): a static key
// keeps its place, a templated one is deleted and set again under the
// text it renders as, at the end of the object unless that key exists.
// So static keys come first, in the order JSON.stringify writes them,
// then the keys that templates add, and a templated key's value wins
// over a static one of the same text wherever it is written.
type mapNode struct {
	fixed []mapEntry // the static keys, in JSON order
	dyn   []mapEntry // the templated keys, in written order
	// slots finds a fixed entry by key, when there are templated keys.
	slots map[string]int
}

func (n *mapNode) render(sc Scope) any {
	out := make(map[string]any, len(n.fixed)+len(n.dyn))
	for i := range n.fixed {
		e := &n.fixed[i]
		if val := e.val.render(sc); !IsUndefined(val) {
			out[e.key] = val
		}
	}
	for i := range n.dyn {
		e := &n.dyn[i]
		key := e.tkey.RenderString(sc)
		if val := e.val.render(sc); IsUndefined(val) {
			delete(out, key) // an undefined value hides an earlier one
		} else {
			out[key] = val
		}
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
			return constNode{v: v}, err
		}
		return tmplNode{t}, nil
	case Object:
		return compileObject(x, x)
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
	return constNode{v: v}, nil
}

// compileMap compiles a Go map as the Object of its keys in the order
// AppendJSON writes a map's keys, which stands for the order a map does
// not have.
func compileMap(m map[string]any) (node, error) {
	keys := slices.SortedFunc(maps.Keys(m), compareMapKeys)
	o := make(Object, len(keys))
	for i, k := range keys {
		o[i] = Member{k, m[k]}
	}
	return compileObject(o, m)
}

// compileObject compiles o; src is what it renders as when it has no
// template (o itself, or the map it was made from).
func compileObject(o Object, src any) (node, error) {
	n := &mapNode{}
	static := true
	for _, i := range o.order() {
		e, err := compileEntry(o[i])
		if err != nil {
			return nil, err
		}
		if e.tkey != nil {
			n.dyn = append(n.dyn, e)
			static = false
			continue
		}
		if _, ok := e.val.(constNode); !ok {
			static = false
		}
		n.fixed = append(n.fixed, e)
	}
	if static {
		return constOf(src), nil
	}
	if len(n.dyn) > 0 {
		// order() sorted the templated keys among the static ones by
		// their written text, which is never an array index: they stay
		// in written order.
		n.slots = make(map[string]int, len(n.fixed))
		for i, e := range n.fixed {
			n.slots[e.key] = i
		}
	}
	return n, nil
}

func compileEntry(m Member) (mapEntry, error) {
	e := mapEntry{key: m.Key}
	kt, err := Compile(m.Key)
	if err != nil {
		return e, err
	}
	if kt.IsStatic() {
		e.kjson = append(appendJSONString(nil, m.Key), ':')
	} else {
		e.tkey = kt
	}
	e.val, err = compileNode(m.Value)
	return e, err
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
		return constOf(l), nil
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
