package templating

import (
	"math"
	"strconv"
	"strings"
)

// ToNumber converts a value the way JavaScript's Number(v) does: numeric
// strings parse (see [StringToNumber]), booleans are 1 and 0, null is 0,
// Undefined and objects are NaN, and arrays convert through their String().
func ToNumber(v any) float64 {
	switch x := v.(type) {
	case string:
		return StringToNumber(x)
	case bool:
		if x {
			return 1
		}
		return 0
	case nil:
		return 0
	case []any, []string:
		return StringToNumber(JSString(x))
	}
	if f, ok := toFloat(v); ok {
		return f
	}
	return math.NaN()
}

// IsJSSpace reports whether r is white space or a line terminator for
// JavaScript (the set String.prototype.trim and \s use).
func IsJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029,
		0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// TrimJSSpace trims JavaScript white space from both ends of s.
func TrimJSSpace(s string) string { return strings.TrimFunc(s, IsJSSpace) }

// StringToNumber converts s as Number(s) does: surrounding white space is
// ignored, the empty string is 0, "Infinity" is accepted with a sign,
// 0x/0o/0b integers are accepted without one, and anything else that is not
// a complete decimal literal is NaN.
func StringToNumber(s string) float64 {
	s = TrimJSSpace(s)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		if base := radixOf(s[1]); base != 0 {
			return parseRadix(s[2:], base)
		}
	}
	n := decimalPrefix(s)
	if n != len(s) {
		return math.NaN()
	}
	return parseDecimal(s)
}

// ParseFloatPrefix converts s as parseFloat(s) does: leading white space is
// skipped and the longest decimal prefix is parsed; no prefix gives NaN.
func ParseFloatPrefix(s string) float64 {
	s = strings.TrimLeftFunc(s, IsJSSpace)
	n := decimalPrefix(s)
	if n == 0 {
		return math.NaN()
	}
	return parseDecimal(s[:n])
}

func radixOf(c byte) int {
	switch c {
	case 'x', 'X':
		return 16
	case 'o', 'O':
		return 8
	case 'b', 'B':
		return 2
	}
	return 0
}

func parseRadix(digits string, base int) float64 {
	f := 0.0
	for i := 0; i < len(digits); i++ {
		d := digitValue(digits[i])
		if d >= base {
			return math.NaN()
		}
		f = f*float64(base) + float64(d)
	}
	return f
}

func digitValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// parseDecimal parses a string already validated by decimalPrefix.
func parseDecimal(s string) float64 {
	body := strings.TrimLeft(s, "+-")
	if body == "Infinity" {
		if s[0] == '-' {
			return math.Inf(-1)
		}
		return math.Inf(1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return math.NaN()
	}
	return f
}

// decimalPrefix returns the length of the longest prefix of s that is a
// JavaScript StrDecimalLiteral: [+-] (Infinity | digits [. digits] | . digits)
// followed by an optional exponent.
func decimalPrefix(s string) int {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if strings.HasPrefix(s[i:], "Infinity") {
		return i + len("Infinity")
	}
	start := i
	i = skipDigits(s, i)
	intDigits := i > start
	fracDigits := false
	if i < len(s) && s[i] == '.' {
		j := skipDigits(s, i+1)
		fracDigits = j > i+1
		if intDigits || fracDigits {
			i = j
		}
	}
	if !intDigits && !fracDigits {
		return 0
	}
	return i + exponentLen(s[i:])
}

func exponentLen(s string) int {
	if len(s) < 2 || (s[0] != 'e' && s[0] != 'E') {
		return 0
	}
	i := 1
	if s[i] == '+' || s[i] == '-' {
		i++
	}
	j := skipDigits(s, i)
	if j == i {
		return 0
	}
	return j
}

func skipDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}
