package templating

import (
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// UndefinedType is the type of [Undefined].
type UndefinedType struct{}

// Undefined stands for JavaScript's undefined: the result of a missing
// variable, of an unknown function call, or of a failed capture. In text it
// prints as "undefined"; encoded as JSON it is null (as in an array). Deep
// rendering drops map keys whose value is Undefined, as JSON.stringify does.
var Undefined = UndefinedType{}

// MarshalJSON encodes Undefined as null.
func (UndefinedType) MarshalJSON() ([]byte, error) { return []byte("null"), nil }

// String returns "undefined".
func (UndefinedType) String() string { return "undefined" }

// IsUndefined reports whether v is [Undefined].
func IsUndefined(v any) bool {
	_, ok := v.(UndefinedType)
	return ok
}

// Stringify converts a value the way a template substitutes it into longer
// text: objects, arrays and null become JSON; everything else is String(v).
func Stringify(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(AppendStringify(nil, v))
}

// AppendStringify appends [Stringify] of v to dst.
func AppendStringify(dst []byte, v any) []byte {
	switch v.(type) {
	case nil, map[string]any, []any, []string, map[string]string, Object:
		return AppendJSON(dst, v)
	}
	return appendScalar(dst, v)
}

// JSString converts a value the way JavaScript's String(v) does: arrays join
// their elements with "," (null and undefined elements print as nothing) and
// objects print as "[object Object]".
func JSString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(appendJSString(nil, v))
}

func appendJSString(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case map[string]any, map[string]string, Object:
		return append(dst, "[object Object]"...)
	case []any:
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			if e != nil && !IsUndefined(e) {
				dst = appendJSString(dst, e)
			}
		}
		return dst
	case []string:
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, e...)
		}
		return dst
	}
	return appendScalar(dst, v)
}

// appendScalar prints strings, numbers, booleans and Undefined; any other
// type falls back to JSON.
func appendScalar(dst []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return append(dst, x...)
	case bool:
		return strconv.AppendBool(dst, x)
	case UndefinedType:
		return append(dst, "undefined"...)
	}
	if f, ok := toFloat(v); ok {
		return AppendNumber(dst, f)
	}
	return AppendJSON(dst, v)
}

// Number reports whether v is a JavaScript number (any Go numeric type) and
// returns it as float64.
func Number(v any) (float64, bool) { return toFloat(v) }

// toFloat converts any Go numeric type to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case float32:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint32:
		return float64(x), true
	case int16, int8, uint16, uint8:
		return float64(toInt64Small(x)), true
	}
	return 0, false
}

func toInt64Small(v any) int64 {
	switch x := v.(type) {
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint8:
		return int64(x)
	}
	return 0
}

// FormatNumber prints f as JavaScript's Number.prototype.toString does:
// integers without a fraction, the shortest round-tripping digits, and
// exponent notation below 1e-6 and from 1e21 up.
func FormatNumber(f float64) string { return string(AppendNumber(nil, f)) }

// AppendNumber appends [FormatNumber] of f to dst.
func AppendNumber(dst []byte, f float64) []byte {
	switch {
	case f == 0:
		return append(dst, '0')
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}
	if f < 1e21 && f == math.Trunc(f) {
		return strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	var buf [32]byte
	e := strconv.AppendFloat(buf[:0], f, 'e', -1, 64)
	digits, exp := splitExp(e)
	return appendJSDigits(dst, digits, exp+1)
}

// splitExp turns "d.ddde±x" into its digits and decimal exponent.
func splitExp(e []byte) ([]byte, int) {
	var digits []byte
	i := 0
	for ; i < len(e) && e[i] != 'e'; i++ {
		if e[i] != '.' {
			digits = append(digits, e[i])
		}
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	return digits, exp
}

// appendJSDigits lays out digits d with the decimal point after n digits,
// following the ECMAScript Number::toString rules.
func appendJSDigits(dst, d []byte, n int) []byte {
	k := len(d)
	switch {
	case k <= n && n <= 21:
		dst = append(dst, d...)
		for range n - k {
			dst = append(dst, '0')
		}
		return dst
	case 0 < n && n <= 21:
		dst = append(dst, d[:n]...)
		dst = append(dst, '.')
		return append(dst, d[n:]...)
	case -6 < n && n <= 0:
		dst = append(dst, "0."...)
		for range -n {
			dst = append(dst, '0')
		}
		return append(dst, d...)
	}
	dst = append(dst, d[0])
	if k > 1 {
		dst = append(dst, '.')
		dst = append(dst, d[1:]...)
	}
	dst = append(dst, 'e')
	if n-1 >= 0 {
		dst = append(dst, '+')
	}
	return strconv.AppendInt(dst, int64(n-1), 10)
}

// AppendJSON appends v encoded as JSON.stringify would: no HTML escaping,
// NaN and infinities as null, Undefined map entries left out and Undefined
// list elements as null. Keys come in the order a JavaScript object lists
// them: array indices ("0", "7", not "07" or "-1") first, ascending, then
// the others as an [Object] has them or, for a Go map, which has no
// insertion order, sorted.
func AppendJSON(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil, UndefinedType:
		return append(dst, "null"...)
	case string:
		return appendJSONString(dst, x)
	case bool:
		return strconv.AppendBool(dst, x)
	case map[string]any:
		return appendJSONMap(dst, x)
	case Object:
		return appendJSONObject(dst, x)
	case map[string]string:
		m := make(map[string]any, len(x))
		for k, s := range x {
			m[k] = s
		}
		return appendJSONMap(dst, m)
	case []any:
		return appendJSONList(dst, x)
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return appendJSONList(dst, l)
	}
	if f, ok := toFloat(v); ok {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return append(dst, "null"...)
		}
		return AppendNumber(dst, f)
	}
	return append(dst, "null"...)
}

func appendJSONMap(dst []byte, m map[string]any) []byte {
	keys := make([]string, 0, len(m))
	for k, e := range m {
		if !IsUndefined(e) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareMapKeys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, k)
		dst = append(dst, ':')
		dst = AppendJSON(dst, m[k])
	}
	return append(dst, '}')
}

func appendJSONList(dst []byte, l []any) []byte {
	dst = append(dst, '[')
	for i, e := range l {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSON(dst, e)
	}
	return append(dst, ']')
}

const hexDigits = "0123456789abcdef"

func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, `\ufffd`...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		dst = appendJSONByte(dst, c)
		i++
	}
	return append(dst, '"')
}

func appendJSONByte(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, `\n`...)
	case '\r':
		return append(dst, `\r`...)
	case '\t':
		return append(dst, `\t`...)
	case '\b':
		return append(dst, `\b`...)
	case '\f':
		return append(dst, `\f`...)
	}
	if c < 0x20 {
		return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(dst, c)
}

// Truthy reports whether a value counts as true in JavaScript: false for
// undefined, null, false, "", 0 and NaN; true for anything else.
func Truthy(v any) bool {
	switch x := v.(type) {
	case nil, UndefinedType:
		return false
	case bool:
		return x
	case string:
		return x != ""
	}
	if f, ok := Number(v); ok {
		return f != 0 && !math.IsNaN(f)
	}
	return true
}
