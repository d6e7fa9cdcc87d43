package capture

import (
	"fmt"
	"strings"

	"github.com/theory/jsonpath"
)

// ParseJSONPath parses a JSONPath written for Artillery (jsonpath-plus) as
// an RFC 9535 query. It first rewrites the jsonpath-plus conveniences that
// scripts rely on (see [NormalizeJSONPath]).
func ParseJSONPath(expr string) (*jsonpath.Path, error) {
	p, err := jsonpath.Parse(NormalizeJSONPath(expr))
	if err != nil {
		return nil, fmt.Errorf("JSONPath %q: %w (Surge uses RFC 9535 JSONPath)", expr, err)
	}
	return p, nil
}

// NormalizeJSONPath rewrites jsonpath-plus syntax into RFC 9535:
//   - a path without a leading "$" is relative to the root ("a.b" is "$.a.b");
//   - a dotted number selects an array index or an object key ("$.items.0"
//     becomes "$.items['0',0]");
//   - dotted names RFC 9535 does not allow unquoted, such as "x-id" or
//     "2fa", are quoted ("$['x-id']");
//   - a dot directly before a bracket is dropped ("$.['a']" is "$['a']").
//
// Bracketed selectors and filters are copied unchanged.
func NormalizeJSONPath(expr string) string {
	expr = strings.TrimSpace(expr)
	rest := strings.TrimPrefix(expr, "$")
	if rest == expr && rest != "" && rest[0] != '[' && rest[0] != '.' {
		rest = "." + rest
	}
	var b strings.Builder
	b.WriteByte('$')
	for i := 0; i < len(rest); {
		switch rest[i] {
		case '[':
			j := bracketEnd(rest, i)
			b.WriteString(rest[i:j])
			i = j
		case '.':
			i = writeDotted(&b, rest, i)
		default:
			b.WriteString(rest[i:])
			i = len(rest)
		}
	}
	return b.String()
}

// writeDotted writes the ".name" or "..name" segment at rest[i:] and
// returns the index after it.
func writeDotted(b *strings.Builder, rest string, i int) int {
	dots := "."
	if strings.HasPrefix(rest[i:], "..") {
		dots = ".."
	}
	i += len(dots)
	j := i
	for j < len(rest) && rest[j] != '.' && rest[j] != '[' {
		j++
	}
	name := rest[i:j]
	quoted, ok := quoteName(name)
	switch {
	case name == "" && dots == "." && j < len(rest):
		// "$.['a']": jsonpath-plus ignores a dot before a bracket.
	case !ok:
		b.WriteString(dots + name)
	case dots == "..":
		b.WriteString(".." + quoted)
	default:
		b.WriteString(quoted)
	}
	return j
}

// quoteName returns the bracketed form of a dotted name that RFC 9535 does
// not accept bare, or ok=false when the name can stay as it is.
func quoteName(name string) (string, bool) {
	switch {
	case name == "" || name == "*" || isShorthand(name):
		return "", false
	case isIndex(name):
		return "['" + name + "'," + name + "]", true
	case isLooseName(name):
		return "['" + name + "']", true
	}
	return "", false
}

// isShorthand reports whether RFC 9535 accepts name after a dot.
func isShorthand(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		alpha := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
		if !alpha && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return name != ""
}

// isIndex accepts a canonical array index short enough for RFC 9535.
func isIndex(name string) bool {
	if len(name) > 15 || (len(name) > 1 && name[0] == '0') {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] < '0' || name[i] > '9' {
			return false
		}
	}
	return name != ""
}

// isLooseName accepts names jsonpath-plus reads after a dot that need
// quoting in RFC 9535: letters, digits, "_", "$", "-" and non-ASCII.
func isLooseName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '_' || c == '$' || c == '-' || c >= 0x80
		if !ok {
			return false
		}
	}
	return true
}

// bracketEnd returns the index just after the "]" closing the bracket that
// opens at s[i], skipping quoted strings and nested brackets; len(s) if it
// never closes.
func bracketEnd(s string, i int) int {
	depth := 0
	for ; i < len(s); i++ {
		switch s[i] {
		case '\'', '"':
			i = quoteEnd(s, i)
		case '[', '(':
			depth++
		case ']', ')':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(s)
}

// quoteEnd returns the index of the quote closing the one at s[i].
func quoteEnd(s string, i int) int {
	q := s[i]
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i
		}
	}
	return len(s)
}
