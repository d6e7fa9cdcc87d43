package capture

import (
	"fmt"
	"regexp"
	"strings"
)

// CompileRegexp compiles a JavaScript regular expression and its flags for
// Go. Flags i, m and s map to RE2 flags, y anchors the match at the start,
// and d, g, u and v change nothing for a single first match. \uXXXX and
// \u{X...} escapes are translated. Features RE2 lacks (lookaround,
// backreferences) are reported as errors.
func CompileRegexp(expr, flags string) (*regexp.Regexp, error) {
	prefix, sticky, err := translateFlags(flags)
	if err != nil {
		return nil, err
	}
	body := translateEscapes(expr)
	if sticky {
		body = `\A(?:` + body + `)`
	}
	re, err := regexp.Compile(prefix + body)
	if err != nil {
		return nil, fmt.Errorf("regexp %q: %w (Surge uses RE2 syntax: no lookaround or backreferences)", expr, err)
	}
	return re, nil
}

func translateFlags(flags string) (prefix string, sticky bool, err error) {
	var re2 []byte
	seen := map[rune]bool{}
	for _, f := range flags {
		if seen[f] || !strings.ContainsRune("dgimsuyv", f) {
			return "", false, fmt.Errorf("regexp flags %q: invalid or repeated flag %q", flags, f)
		}
		seen[f] = true
		switch f {
		case 'i', 'm', 's':
			re2 = append(re2, byte(f))
		case 'y':
			sticky = true
		}
	}
	if len(re2) > 0 {
		prefix = "(?" + string(re2) + ")"
	}
	return prefix, sticky, nil
}

// translateEscapes rewrites JavaScript's \uXXXX and \u{...} escapes into
// RE2's \x{...}; every other escape is copied unchanged.
func translateEscapes(expr string) string {
	if !strings.Contains(expr, `\u`) {
		return expr
	}
	var b strings.Builder
	for i := 0; i < len(expr); i++ {
		if expr[i] != '\\' || i+1 >= len(expr) {
			b.WriteByte(expr[i])
			continue
		}
		if expr[i+1] == 'u' {
			if hex, n := unicodeEscape(expr[i+2:]); n > 0 {
				b.WriteString(`\x{` + hex + `}`)
				i += 1 + n
				continue
			}
		}
		b.WriteString(expr[i : i+2])
		i++
	}
	return b.String()
}

// unicodeEscape reads "XXXX" or "{X...}" and returns the hex digits and the
// bytes consumed, or 0 if s starts otherwise.
func unicodeEscape(s string) (string, int) {
	if strings.HasPrefix(s, "{") {
		end := strings.IndexByte(s, '}')
		if end > 1 && isHex(s[1:end]) {
			return s[1:end], end + 1
		}
		return "", 0
	}
	if len(s) >= 4 && isHex(s[:4]) {
		return s[:4], 4
	}
	return "", 0
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return s != ""
}
