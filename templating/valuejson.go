package templating

import "slices"

// AppendJSON appends the JSON text of the value for one request and
// reports whether it is defined (when it is Undefined nothing is
// appended). It writes what Render returns, the bytes
// AppendJSON(dst, v.Render(sc)) appends, except that the keys of an
// [Object] keep their order, as Artillery sends them: JSON.stringify of
// the object js-yaml read, then rendered in place. The value is written
// as it renders, without building it: a request's json body is rendered
// for every request.
func (v Value) AppendJSON(dst []byte, sc Scope) ([]byte, bool) {
	if v.n == nil {
		return append(dst, "null"...), true
	}
	return v.n.appendJSON(dst, orEmpty(sc))
}

func (c constNode) appendJSON(dst []byte, _ Scope) ([]byte, bool) {
	if c.json != nil {
		return append(dst, c.json...), true
	}
	if IsUndefined(c.v) {
		return dst, false
	}
	return AppendJSON(dst, c.v), true
}

func (n tmplNode) appendJSON(dst []byte, sc Scope) ([]byte, bool) {
	v := n.t.Render(sc)
	if IsUndefined(v) {
		return dst, false
	}
	return AppendJSON(dst, v), true
}

func (n listNode) appendJSON(dst []byte, sc Scope) ([]byte, bool) {
	dst = append(dst, '[')
	for i, e := range n.elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = e.appendJSON(dst, sc); !ok {
			dst = append(dst, "null"...)
		}
	}
	return append(dst, ']'), true
}

func (n *mapNode) appendJSON(dst []byte, sc Scope) ([]byte, bool) {
	if len(n.dyn) > 0 {
		return n.appendPlaced(dst, sc), true
	}
	dst = append(dst, '{')
	first := true
	for i := range n.fixed {
		e := &n.fixed[i]
		dst, first = appendMember(dst, first, e.kjson, "", e.val, sc)
	}
	return append(dst, '}'), true
}

// appendMember writes one member, `"key":value` after a comma unless it
// is the first; kjson is the key's `"key":`, or nil to encode key here.
// A value that renders as Undefined takes back what was written for it,
// as JSON.stringify leaves out undefined properties. It returns whether
// the next member is still the first.
func appendMember(dst []byte, first bool, kjson []byte, key string, val node, sc Scope) ([]byte, bool) {
	mark := len(dst)
	if !first {
		dst = append(dst, ',')
	}
	if kjson != nil {
		dst = append(dst, kjson...)
	} else {
		dst = append(appendJSONString(dst, key), ':')
	}
	dst, ok := val.appendJSON(dst, sc)
	if !ok {
		return dst[:mark], first
	}
	return dst, false
}

// placed is one key of an object with templated keys, as placed for one
// request: its value is val, rendered as it is written.
type placed struct {
	key   string
	kjson []byte // nil for a key a template added
	val   node
}

// appendPlaced writes a map with templated keys, placing them as
// Artillery does (see mapNode).
func (n *mapNode) appendPlaced(dst []byte, sc Scope) []byte {
	ps := make([]placed, len(n.fixed), len(n.fixed)+len(n.dyn))
	for i := range n.fixed {
		e := &n.fixed[i]
		ps[i] = placed{key: e.key, kjson: e.kjson, val: e.val}
	}
	added := false // an added key may be an array index, to move forward
	for i := range n.dyn {
		e := &n.dyn[i]
		key := e.tkey.RenderString(sc)
		j, ok := n.slots[key]
		if !ok {
			j = slices.IndexFunc(ps[len(n.fixed):], func(p placed) bool { return p.key == key })
			ok = j >= 0
			j += len(n.fixed)
		}
		if ok {
			ps[j].val = e.val
			continue
		}
		ps = append(ps, placed{key: key, val: e.val})
		added = true
	}
	if added {
		slices.SortStableFunc(ps, func(a, b placed) int { return compareJSKeys(a.key, b.key) })
	}
	return appendPlacedMembers(dst, ps, sc)
}

func appendPlacedMembers(dst []byte, ps []placed, sc Scope) []byte {
	dst = append(dst, '{')
	first := true
	for _, p := range ps {
		dst, first = appendMember(dst, first, p.kjson, p.key, p.val, sc)
	}
	return append(dst, '}')
}
