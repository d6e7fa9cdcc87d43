package templating

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// ParsePath splits a lodash-style property path ("a.b", "items[0].id",
// `m["x.y"]`) into its keys. Unquoted bracket contents are plain keys, quoted
// ones may escape characters with a backslash, and a leading or doubled dot
// yields an empty key, as lodash's path parser does.
func ParsePath(s string) []string {
	var segs []string
	if strings.HasPrefix(s, ".") {
		segs = append(segs, "")
	}
	for i := 0; i < len(s); {
		switch s[i] {
		case '.':
			if emptyKeyAfterDot(s[i+1:]) {
				segs = append(segs, "")
			}
			i++
		case '[':
			seg, n := bracketKey(s[i:])
			if n > 0 {
				segs = append(segs, seg)
				i += n
				continue
			}
			i++
		case ']':
			i++
		default:
			j := i + strings.IndexAny(s[i:], ".[]")
			if j < i {
				j = len(s)
			}
			segs = append(segs, s[i:j])
			i = j
		}
	}
	return segs
}

// emptyKeyAfterDot reports whether the text after a dot starts another
// separator or ends the path, so the dot delimits an empty key.
func emptyKeyAfterDot(rest string) bool {
	return rest == "" || rest[0] == '.' || strings.HasPrefix(rest, "[]")
}

// bracketKey parses `[123]`, `[-1.5]`, `["q"]` or `['q']` at the start of s
// and returns the key and the bytes consumed, or 0 if s starts otherwise.
func bracketKey(s string) (string, int) {
	if len(s) < 3 {
		return "", 0
	}
	if q := s[1]; q == '"' || q == '\'' {
		return quotedKey(s, q)
	}
	end := strings.IndexByte(s, ']')
	if end < 0 || !isNumberKey(s[1:end]) {
		return "", 0
	}
	return s[1:end], end + 1
}

func quotedKey(s string, q byte) (string, int) {
	var b strings.Builder
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == q:
			if i+1 < len(s) && s[i+1] == ']' {
				return b.String(), i + 2
			}
			return "", 0
		default:
			b.WriteByte(c)
		}
	}
	return "", 0
}

func isNumberKey(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" || skipDigits(intPart, 0) != len(intPart) {
		return false
	}
	return !hasDot || (frac != "" && skipDigits(frac, 0) == len(frac))
}

// Get resolves a lodash-style path inside root. A map key equal to the whole
// path wins over splitting it, as in lodash. It reports false when any step
// is missing; a present null yields (nil, true).
func Get(root any, path string) (any, bool) {
	if m, ok := root.(map[string]any); ok {
		if v, ok := m[path]; ok {
			return v, true
		}
	}
	return GetPath(root, ParsePath(path))
}

// GetPath walks already split keys inside root. Lists accept canonical
// decimal indexes and "length"; strings accept "length" (UTF-16 units).
func GetPath(root any, segs []string) (any, bool) {
	cur := root
	for _, seg := range segs {
		next, ok := step(cur, seg)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

func step(cur any, seg string) (any, bool) {
	switch x := cur.(type) {
	case map[string]any:
		v, ok := x[seg]
		return v, ok
	case []any:
		if seg == "length" {
			return len(x), true
		}
		i, ok := listIndex(seg, len(x))
		if !ok {
			return nil, false
		}
		return x[i], true
	case string:
		if seg == "length" {
			return len(utf16.Encode([]rune(x))), true
		}
	}
	return nil, false
}

// listIndex accepts only canonical array indexes ("0", "12"; not "01", "-1").
func listIndex(seg string, n int) (int, bool) {
	if seg == "" || (len(seg) > 1 && seg[0] == '0') {
		return 0, false
	}
	i, err := strconv.Atoi(seg)
	if err != nil || i < 0 || i >= n {
		return 0, false
	}
	return i, true
}

// SetPath stores v at a lodash-style path inside m, creating intermediate
// maps as needed (lodash's set, used for a capture's dotted `as`). A key
// equal to the whole path is overwritten in place.
func SetPath(m map[string]any, path string, v any) {
	if _, ok := m[path]; ok || !strings.ContainsAny(path, ".[") {
		m[path] = v
		return
	}
	segs := ParsePath(path)
	if len(segs) == 0 {
		m[path] = v
		return
	}
	cur := m
	for _, seg := range segs[:len(segs)-1] {
		cur = childMap(cur, seg)
	}
	cur[segs[len(segs)-1]] = v
}

func childMap(m map[string]any, seg string) map[string]any {
	if next, ok := m[seg].(map[string]any); ok {
		return next
	}
	next := map[string]any{}
	m[seg] = next
	return next
}
