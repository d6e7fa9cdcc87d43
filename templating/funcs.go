package templating

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// MaxRandomString caps the length a $randomString() call may ask for.
const MaxRandomString = 1 << 20

// call is one parsed "{{ $name(args) }}" function call. Arguments are the
// literal values a JavaScript parser would see: numbers (float64), true,
// false, null (nil); bare identifiers are Undefined.
type call struct {
	name string
	args []any
	fn   builtin
}

// builtin appends a function's result text to dst.
type builtin func(dst []byte, r *rand.Rand, args []any) []byte

// builtins are the functions Artillery puts in every VU's function table.
var builtins = map[string]builtin{
	"$randomNumber": randomNumber,
	"$randomString": randomString,
	"$template":     templateFunc,
}

// parseCall parses the text "$name ( args )". known is false for a name
// outside the built-in table, which makes the whole template undefined.
func parseCall(text string) (c *call, known bool, err error) {
	open := strings.IndexByte(text, '(')
	name := TrimJSSpace(text[:open])
	inner := text[open+1 : len(text)-1]
	args, err := parseArgs(inner)
	if err != nil {
		return nil, false, fmt.Errorf("call %s: %w", text, err)
	}
	fn, known := builtins[name]
	if !known {
		return nil, false, nil
	}
	if err := checkArgs(name, args); err != nil {
		return nil, false, err
	}
	return &call{name: name, args: args, fn: fn}, true, nil
}

func checkArgs(name string, args []any) error {
	if name != "$randomString" || len(args) == 0 {
		return nil
	}
	if f, ok := args[0].(float64); ok && f > MaxRandomString {
		return fmt.Errorf("$randomString(%s): length above %d", FormatNumber(f), MaxRandomString)
	}
	return nil
}

var errArgSyntax = errors.New("invalid argument list")

// parseArgs splits a comma-separated list of simple literals. A trailing
// comma is allowed, an empty argument elsewhere is a syntax error.
func parseArgs(inner string) ([]any, error) {
	if TrimJSSpace(inner) == "" {
		return nil, nil
	}
	parts := strings.Split(inner, ",")
	if TrimJSSpace(parts[len(parts)-1]) == "" {
		parts = parts[:len(parts)-1]
	}
	args := make([]any, 0, len(parts))
	for _, p := range parts {
		v, err := parseArg(TrimJSSpace(p))
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	return args, nil
}

func parseArg(tok string) (any, error) {
	if tok == "" || strings.IndexFunc(tok, IsJSSpace) >= 0 {
		return nil, errArgSyntax
	}
	c := tok[0]
	if c >= '0' && c <= '9' {
		return parseNumberLiteral(tok)
	}
	switch tok {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	return Undefined, nil
}

// parseNumberLiteral accepts decimal, legacy-octal (leading 0), 0x/0o/0b
// and exponent literals made of the characters a template call allows.
func parseNumberLiteral(tok string) (any, error) {
	if len(tok) > 2 && tok[0] == '0' {
		if base := radixOf(tok[1]); base != 0 {
			return checkNaN(parseRadix(tok[2:], base))
		}
	}
	if len(tok) > 1 && tok[0] == '0' && !strings.ContainsAny(tok, "89eE") {
		return checkNaN(parseRadix(tok[1:], 8))
	}
	if decimalPrefix(tok) != len(tok) || strings.ContainsAny(tok, "+-.") {
		return nil, errArgSyntax
	}
	return parseDecimal(tok), nil
}

func checkNaN(f float64) (any, error) {
	if math.IsNaN(f) {
		return nil, errArgSyntax
	}
	return f, nil
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined
}

func float01(r *rand.Rand) float64 {
	if r == nil {
		return rand.Float64()
	}
	return r.Float64()
}

// randomNumber follows lodash's random(lower, upper, floating): one bound
// means [0, bound], none means [0, 1], bounds are swapped when reversed, and
// the result is an integer unless a bound is fractional or floating is set.
func randomNumber(dst []byte, r *rand.Rand, args []any) []byte {
	lower, upper, floating := arg(args, 0), arg(args, 1), arg(args, 2)
	if IsUndefined(floating) {
		if b, ok := upper.(bool); ok {
			floating, upper = b, Undefined
		} else if b, ok := lower.(bool); ok {
			floating, lower = b, Undefined
		}
	}
	lo, hi := 0.0, 1.0
	if !IsUndefined(lower) || !IsUndefined(upper) {
		lo, hi = toFinite(lower), toFinite(upper)
		if IsUndefined(upper) {
			lo, hi = 0, lo
		}
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	x := float01(r)
	if truthy(floating) || math.Mod(lo, 1) != 0 || math.Mod(hi, 1) != 0 {
		return AppendNumber(dst, math.Min(lo+x*(hi-lo), hi))
	}
	return AppendNumber(dst, lo+math.Floor(x*(hi-lo+1)))
}

func toFinite(v any) float64 {
	f := ToNumber(v)
	switch {
	case math.IsNaN(f):
		return 0
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	}
	return f
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	}
	return false
}

const alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomString returns length (default 10) characters from [a-zA-Z0-9].
func randomString(dst []byte, r *rand.Rand, args []any) []byte {
	n := 10.0
	if a := arg(args, 0); !IsUndefined(a) {
		n = ToNumber(a)
	}
	if !(n > 0) {
		return dst
	}
	for range int(math.Min(math.Ceil(n), MaxRandomString)) {
		dst = append(dst, alphanumeric[int(float01(r)*float64(len(alphanumeric)))])
	}
	return dst
}

// templateFunc is $template(x): with literal arguments it prints x.
func templateFunc(dst []byte, _ *rand.Rand, args []any) []byte {
	return appendJSString(dst, arg(args, 0))
}

// NewUUID returns a random (version 4) UUID drawn from r, or from the shared
// source when r is nil. A VU uses it once to set its $uuid variable.
func NewUUID(r *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		var u uint64
		if r == nil {
			u = rand.Uint64()
		} else {
			u = r.Uint64()
		}
		for j := range 8 {
			b[i+j] = byte(u >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	// Every VU gets one, so it is spelt out by hand: one allocation
	// where fmt.Sprintf made six.
	const hexDigits = "0123456789abcdef"
	var s [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			s[j] = '-'
			j++
		}
		s[j], s[j+1] = hexDigits[c>>4], hexDigits[c&15]
		j += 2
	}
	return string(s[:])
}
