package scenario

import (
	"math"
	"strconv"
	"strings"
)

// Artillery reads scripts with js-yaml 3, whose plain scalars follow
// YAML 1.1 where the YAML library here follows YAML 1.2: "0042" is the
// octal 34 there and 42 here, "1:30" the base-60 number 90 there and text
// here, "0o17" and "08" text there and numbers here. The same script must
// send the same bytes, so the numbers are js-yaml's (retag.go applies
// them). These functions are js-yaml 3's rules for the int and float
// types, written from their definition.

// jsNumber reads a plain scalar as js-yaml 3 does: its number, whether
// the int type (rather than float) matched it, and ok false when it is no
// number there.
func jsNumber(s string) (v float64, isInt, ok bool) {
	if jsIsInt(s) {
		return jsInt(s), true, true
	}
	if jsIsFloat(s) {
		return jsFloat(s), false, true
	}
	return 0, false, false
}

// jsIsInt is js-yaml's int resolver: an optional sign, then 0, a binary
// (0b) or hex (0x) or legacy octal (leading 0) integer, or a decimal one,
// perhaps base 60 (1:30); underscores may separate digits but not end
// the number.
func jsIsInt(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	switch {
	case s == "0":
		return true
	case strings.HasPrefix(s, "0b"):
		return jsDigits(s[2:], func(c byte) bool { return c == '0' || c == '1' })
	case strings.HasPrefix(s, "0x"):
		return jsDigits(s[2:], isHexDigit)
	case strings.HasPrefix(s, "0"):
		return jsDigits(s[1:], func(c byte) bool { return c >= '0' && c <= '7' })
	case strings.HasPrefix(s, "_"):
		return false
	}
	head, rest, sexagesimal := strings.Cut(s, ":")
	if !sexagesimal {
		return jsDigits(head, isDecDigit)
	}
	// Before a colon js-yaml does not mind a trailing '_' ("1_:30").
	return jsDigits(strings.TrimRight(head, "_"), isDecDigit) && jsBase60Tail(":"+rest)
}

// jsDigits: at least one digit, each byte a digit or '_', not ending in
// '_'.
func jsDigits(s string, digit func(byte) bool) bool {
	seen := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '_':
		case digit(s[i]):
			seen = true
		default:
			return false
		}
	}
	return seen && !strings.HasSuffix(s, "_")
}

// jsBase60Tail matches (:[0-5]?[0-9])+ to the end.
func jsBase60Tail(s string) bool {
	for s != "" {
		if s[0] != ':' {
			return false
		}
		s = s[1:]
		switch {
		case len(s) >= 2 && s[0] >= '0' && s[0] <= '5' && isDecDigit(s[1]):
			s = s[2:]
		case len(s) >= 1 && isDecDigit(s[0]):
			s = s[1:]
		default:
			return false
		}
	}
	return true
}

// jsInt is js-yaml's int constructor for a text jsIsInt accepted.
func jsInt(s string) float64 {
	sign, s := splitSign(strings.ReplaceAll(s, "_", ""))
	switch {
	case s == "0":
		return 0 // js-yaml returns 0 itself, never -0
	case strings.HasPrefix(s, "0b"):
		return sign * parseBase(s[2:], 2)
	case strings.HasPrefix(s, "0x"):
		return sign * parseBase(s[2:], 16)
	case strings.HasPrefix(s, "0"):
		return sign * parseBase(s[1:], 8)
	case strings.Contains(s, ":"):
		return sign * base60(s)
	}
	f, _ := strconv.ParseFloat(s, 64) // rounded as JavaScript's parseInt rounds
	return sign * f
}

// parseBase reads digits already checked, in a float as JavaScript
// does: a number past 2^53 loses digits rather than overflowing.
func parseBase(s string, base int) float64 {
	v := 0.0
	for i := 0; i < len(s); i++ {
		d, _ := strconv.ParseUint(s[i:i+1], base, 8)
		v = v*float64(base) + float64(d)
	}
	return v
}

// base60 sums "a:b:c" as a·60² + b·60 + c.
func base60(s string) float64 {
	v := 0.0
	for _, part := range strings.Split(s, ":") {
		f, _ := strconv.ParseFloat(part, 64)
		v = v*60 + f
	}
	return v
}

// jsIsFloat is js-yaml's float pattern: [-+]?(0|[1-9][0-9_]*)(.[0-9_]*)?
// ([eE][-+]?[0-9]+)?, or .[0-9_]+ with an exponent, or a base-60 number
// with a fraction, or .inf with a sign, or .nan; not ending in '_'.
func jsIsFloat(s string) bool {
	if s == "" || strings.HasSuffix(s, "_") {
		return false
	}
	switch s {
	case ".nan", ".NaN", ".NAN":
		return true
	}
	unsigned := strings.TrimLeft(s[:1], "+-") + s[1:]
	switch unsigned {
	case ".inf", ".Inf", ".INF":
		return true
	}
	if strings.HasPrefix(s, ".") {
		return jsFraction(s) == ""
	}
	if head, rest, ok := strings.Cut(unsigned, ":"); ok {
		return jsSexagesimalFloat(head, rest)
	}
	return jsDecimalFloat(unsigned)
}

// jsDecimalFloat matches (0|[1-9][0-9_]*)(.[0-9_]*)?([eE][-+]?[0-9]+)?.
func jsDecimalFloat(s string) bool {
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case s[0] >= '1' && s[0] <= '9':
		s = strings.TrimLeft(s, "0123456789_")
	default:
		return false
	}
	if strings.HasPrefix(s, ".") {
		s = strings.TrimLeft(s[1:], "0123456789_")
	}
	return jsExponent(s)
}

// jsFraction consumes .[0-9_]+ and an optional exponent; what is left.
func jsFraction(s string) string {
	digits := strings.TrimLeft(s[1:], "0123456789_")
	if len(digits) == len(s)-1 {
		return s // no digit after the point
	}
	if jsExponent(digits) {
		return ""
	}
	return digits
}

// jsExponent matches ([eE][-+]?[0-9]+)? to the end.
func jsExponent(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != 'e' && s[0] != 'E' {
		return false
	}
	s = s[1:]
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return s != "" && strings.TrimLeft(s, "0123456789") == ""
}

// jsSexagesimalFloat matches [0-9][0-9_]*(:[0-5]?[0-9])+.[0-9_]* split at
// its first colon.
func jsSexagesimalFloat(head, rest string) bool {
	if head == "" || !isDecDigit(head[0]) || strings.TrimLeft(head, "0123456789_") != "" {
		return false
	}
	groups, frac, ok := strings.Cut(rest, ".")
	return ok && jsBase60Tail(":"+groups) && strings.TrimLeft(frac, "0123456789_") == ""
}

// jsFloat is js-yaml's float constructor for a text jsIsFloat accepted.
func jsFloat(s string) float64 {
	sign, s := splitSign(strings.ToLower(strings.ReplaceAll(s, "_", "")))
	switch {
	case s == ".inf":
		return sign * math.Inf(1)
	case s == ".nan":
		return math.NaN()
	case strings.Contains(s, ":"):
		return sign * base60(s)
	}
	f, _ := strconv.ParseFloat(s, 64)
	return sign * f
}

// splitSign takes a leading + or - off s: -1 for a minus, else 1.
func splitSign(s string) (float64, string) {
	switch {
	case strings.HasPrefix(s, "-"):
		return -1, s[1:]
	case strings.HasPrefix(s, "+"):
		return 1, s[1:]
	}
	return 1, s
}

func isDecDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDecDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
