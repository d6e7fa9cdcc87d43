package templating

import (
	"cmp"
	"slices"
	"strings"
)

// Object is a mapping whose key order is part of its meaning: a request's
// json body as the script writes it. Artillery sends JSON.stringify of the
// object js-yaml built, which keeps the order written except that
// integer-like keys come first (see [AppendJSON]); a Go map would lose it.
// Values may be Objects, []any, strings and scalars. A key written twice
// keeps its first place with its last value, as when a JavaScript object
// is assigned twice.
type Object []Member

// Member is one key and value of an [Object].
type Member struct {
	Key   string
	Value any
}

// order returns the indices of o's members in the order JSON.stringify
// writes them, one per key (the last member of a key written twice, in
// the first one's place).
func (o Object) order() []int {
	idx := make([]int, 0, len(o))
	place := make(map[string]int, len(o))
	for i, m := range o {
		if p, ok := place[m.Key]; ok {
			idx[p] = i
			continue
		}
		place[m.Key] = len(idx)
		idx = append(idx, i)
	}
	slices.SortStableFunc(idx, func(a, b int) int { return compareJSKeys(o[a].Key, o[b].Key) })
	return idx
}

func appendJSONObject(dst []byte, o Object) []byte {
	dst = append(dst, '{')
	first := true
	for _, i := range o.order() {
		m := o[i]
		if IsUndefined(m.Value) {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, m.Key)
		dst = append(dst, ':')
		dst = AppendJSON(dst, m.Value)
	}
	return append(dst, '}')
}

// plain converts the Objects in v to maps, for [Value.Render], whose
// results are plain values. Lists without an Object are shared, not
// copied.
func plain(v any) any {
	switch x := v.(type) {
	case Object:
		m := make(map[string]any, len(x))
		for _, mem := range x {
			m[mem.Key] = plain(mem.Value)
		}
		return m
	case []any:
		if !slices.ContainsFunc(x, holdsObject) {
			return x
		}
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	case map[string]any:
		if !holdsObjectValue(x) {
			return x
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plain(e)
		}
		return out
	}
	return v
}

func holdsObject(v any) bool {
	switch x := v.(type) {
	case Object:
		return true
	case []any:
		return slices.ContainsFunc(x, holdsObject)
	case map[string]any:
		return holdsObjectValue(x)
	}
	return false
}

func holdsObjectValue(m map[string]any) bool {
	for _, e := range m {
		if holdsObject(e) {
			return true
		}
	}
	return false
}

// compareJSKeys orders two keys as a JavaScript object orders its own
// properties: array indices first, ascending by value; any other two keys
// compare equal, for a stable sort to keep them in insertion order.
func compareJSKeys(a, b string) int {
	ia, aok := arrayIndex(a)
	ib, bok := arrayIndex(b)
	switch {
	case aok && bok:
		return cmp.Compare(ia, ib)
	case aok:
		return -1
	case bok:
		return 1
	}
	return 0
}

// compareMapKeys orders a Go map's keys for JSON: as compareJSKeys, with
// the other keys sorted, since a map does not know the order they were
// inserted in.
func compareMapKeys(a, b string) int {
	if c := compareJSKeys(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// arrayIndex reports whether key is an array index, a key JavaScript
// lists before the others: the canonical decimal text of an integer from
// 0 to 2^32-2 ("7", not "07", "-7" or "7.0").
func arrayIndex(key string) (uint32, bool) {
	if len(key) == 0 || len(key) > 10 || (key[0] == '0' && len(key) > 1) {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	if n > 1<<32-2 {
		return 0, false
	}
	return uint32(n), true
}
