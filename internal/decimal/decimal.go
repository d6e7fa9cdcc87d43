package decimal

import "strconv"

// IsFloat reports whether s is a decimal number: an optional sign,
// digits with an optional fraction or a fraction alone (1, 1.5, 1., .5),
// and an optional exponent (1e3, 2.5E-2). No spaces, no underscores.
func IsFloat(s string) bool {
	i := signLen(s)
	whole := digitsLen(s[i:])
	i += whole
	frac := 0
	if i < len(s) && s[i] == '.' {
		i++
		frac = digitsLen(s[i:])
		i += frac
	}
	if whole+frac == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		i += signLen(s[i:])
		exp := digitsLen(s[i:])
		if exp == 0 {
			return false
		}
		i += exp
	}
	return i == len(s)
}

// IsInt reports whether s is a whole number in decimal: an optional sign
// and digits, without a leading zero (0 itself is one), since 010 was 8
// to pflag.
func IsInt(s string) bool {
	d := s[signLen(s):]
	n := digitsLen(d)
	return n > 0 && n == len(d) && (d[0] != '0' || n == 1)
}

// ParseFloat is strconv.ParseFloat for decimal numbers only: anything
// else is a syntax error. A number too large for a float64 is ±Inf with
// strconv.ErrRange, as strconv gives it.
func ParseFloat(s string) (float64, error) {
	if !IsFloat(s) {
		return 0, &strconv.NumError{Func: "ParseFloat", Num: s, Err: strconv.ErrSyntax}
	}
	return strconv.ParseFloat(s, 64)
}

func signLen(s string) int {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		return 1
	}
	return 0
}

func digitsLen(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
