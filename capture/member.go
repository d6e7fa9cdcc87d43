package capture

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// Most JSON captures name one member of an object ("$.token",
// "$.data.id"). Decoding the whole body into maps to pick one value is
// most of such a capture's cost: the maps, a string for every key and
// value, an interface for each. For a path made of member names only,
// the body is checked as JSON (json.Valid, as Unmarshal itself does
// first) and walked without decoding, and only the value found is
// decoded. The walk gives up, and the whole body is decoded as before,
// on anything it does not handle exactly as the full decoding would: a
// root that is not an object, a key with escapes or invalid UTF-8 on
// the way. Duplicate keys resolve to the last, as in the decoded map.

// memberChain returns the member names of a normalised path made of
// them only ("$.a['b-c']"), or nil.
func memberChain(path string) []string {
	rest, ok := strings.CutPrefix(path, "$")
	if !ok || rest == "" {
		return nil
	}
	var names []string
	for rest != "" {
		var name string
		switch {
		case strings.HasPrefix(rest, "['"):
			end := strings.Index(rest[2:], "']")
			if end < 0 {
				return nil
			}
			name, rest = rest[2:2+end], rest[2+end+2:]
			if !isLooseName(name) {
				return nil
			}
		case strings.HasPrefix(rest, ".") && !strings.HasPrefix(rest, ".."):
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			name, rest = rest[1:1+end], rest[1+end:]
			if !isShorthand(name) {
				return nil
			}
		default:
			return nil
		}
		names = append(names, name)
	}
	return names
}

// lookupMembers finds the value at names in a JSON body. handled is false
// when the body must be decoded whole instead (see above); found says
// whether the path selects a value.
func lookupMembers(body []byte, names []string) (value any, found, handled bool) {
	if !json.Valid(body) {
		return nil, false, false
	}
	span := bytes.TrimSpace(body)
	if len(span) == 0 || span[0] != '{' {
		return nil, false, false
	}
	for _, name := range names {
		if len(span) == 0 || span[0] != '{' {
			return nil, false, true // a name selects nothing in an array or a scalar
		}
		var ok bool
		if span, ok = member(span, name); !ok {
			return nil, false, span != nil
		}
	}
	if v, ok := scalar(span); ok {
		return v, true, true
	}
	if err := json.Unmarshal(span, &value); err != nil {
		return nil, false, false
	}
	return value, true, true
}

// scalar decodes a valid JSON string without escapes, number, true, false
// or null as json.Unmarshal into an any would, without its second pass
// over the bytes and its allocations: the id or token most captures take
// is such a value. ok is false for anything else.
func scalar(span []byte) (v any, ok bool) {
	switch span[0] {
	case '"':
		inner := span[1 : len(span)-1]
		if bytes.IndexByte(inner, '\\') >= 0 || !utf8.Valid(inner) {
			return nil, false // Unmarshal unescapes, and replaces bad UTF-8
		}
		return string(inner), true
	case 't':
		return true, true
	case 'f':
		return false, true
	case 'n':
		return nil, true
	case '{', '[':
		return nil, false
	}
	return jsNumber(string(span)), true
}

// member returns the value of the last member named name in obj, a valid
// JSON object. Without one it returns ok false and a non-nil span, or a
// nil span when a key it cannot compare exactly was met.
func member(obj []byte, name string) (span []byte, ok bool) {
	i := skipSpace(obj, 1)
	for i < len(obj) && obj[i] == '"' {
		keyEnd := stringEnd(obj, i)
		key := obj[i+1 : keyEnd-1]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			return nil, false
		}
		start := skipSpace(obj, skipSpace(obj, keyEnd)+1) // past the colon
		end := valueEnd(obj, start)
		if string(key) == name {
			span, ok = obj[start:end], true
		}
		i = skipSpace(obj, end)
		if i < len(obj) && obj[i] == ',' {
			i = skipSpace(obj, i+1)
		}
	}
	if !ok {
		return obj[:0], false
	}
	return span, true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string that opens at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index after the valid JSON value at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && !strings.ContainsRune(",}] \t\r\n", rune(b[i])) {
		i++
	}
	return i
}
