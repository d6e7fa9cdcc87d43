package templating

import (
	"math"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{7, "7"},
		{-7, "-7"},
		{0.1, "0.1"},
		{123.456, "123.456"},
		{1e21, "1e+21"},
		{1.5e21, "1.5e+21"},
		{1e20, "100000000000000000000"},
		{12345678901234567890, "12345678901234567000"},
		{0.0000015, "0.0000015"},
		{1e-7, "1e-7"},
		{-1.25e-9, "-1.25e-9"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.in); got != tt.want {
			t.Errorf("FormatNumber(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStringifyAndJSString(t *testing.T) {
	tests := []struct {
		in               any
		stringify, jsStr string
	}{
		{"s", "s", "s"},
		{7, "7", "7"},
		{int64(-3), "-3", "-3"},
		{uint8(9), "9", "9"},
		{2.5, "2.5", "2.5"},
		{true, "true", "true"},
		{nil, "null", "null"},
		{Undefined, "undefined", "undefined"},
		{map[string]any{"b": 1, "a": "<&>"}, `{"a":"<&>","b":1}`, "[object Object]"},
		{[]any{1.0, nil, "a", Undefined}, `[1,null,"a",null]`, "1,,a,"},
		{[]any{[]any{1, 2}, 3}, `[[1,2],3]`, "1,2,3"},
		{[]string{"x", "y"}, `["x","y"]`, "x,y"},
		{map[string]any{"u": Undefined, "n": math.NaN()}, `{"n":null}`, "[object Object]"},
		{"q\"\\\n\t\x01é", "q\"\\\n\t\x01é", "q\"\\\n\t\x01é"},
	}
	for _, tt := range tests {
		if got := Stringify(tt.in); got != tt.stringify {
			t.Errorf("Stringify(%#v) = %q, want %q", tt.in, got, tt.stringify)
		}
		if got := JSString(tt.in); got != tt.jsStr {
			t.Errorf("JSString(%#v) = %q, want %q", tt.in, got, tt.jsStr)
		}
	}
}

func TestAppendJSONEscapes(t *testing.T) {
	got := string(AppendJSON(nil, "a\"\\\n\r\t\b\f\x01<\u2028\xff"))
	want := `"a\"\\\n\r\t\b\f\u0001<` + "\u2028" + `\ufffd"`
	if got != want {
		t.Errorf("AppendJSON = %s, want %s", got, want)
	}
}

func TestToNumber(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		in   any
		want float64
	}{
		{"42", 42},
		{" 42 \n", 42},
		{"\u00a042\ufeff", 42},
		{"", 0},
		{"   ", 0},
		{"0x1F", 31},
		{"0b101", 5},
		{"0o17", 15},
		{"-0x10", nan},
		{"1e3", 1000},
		{"5.", 5},
		{".5", 0.5},
		{"+5", 5},
		{".", nan},
		{"1_000", nan},
		{"12abc", nan},
		{"abc", nan},
		{"Infinity", math.Inf(1)},
		{"-Infinity", math.Inf(-1)},
		{"inf", nan},
		{"1e400", math.Inf(1)},
		{"0x1p3", nan},
		{true, 1},
		{false, 0},
		{nil, 0},
		{Undefined, nan},
		{[]any{"7"}, 7},
		{[]any{1.0, 2.0}, nan},
		{[]any{}, 0},
		{map[string]any{}, nan},
		{int32(3), 3},
	}
	for _, tt := range tests {
		got := ToNumber(tt.in)
		if !sameFloat(got, tt.want) {
			t.Errorf("ToNumber(%#v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseFloatPrefix(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		in   string
		want float64
	}{
		{"12abc", 12},
		{"  -3.5e2x", -350},
		{"0x1F", 0},
		{"1e", 1},
		{"1e+", 1},
		{".e1", nan},
		{"abc", nan},
		{"", nan},
		{"Infinityx", math.Inf(1)},
		{"-.5.5", -0.5},
		{"1e400", math.Inf(1)},
		{"1e-400", 0},
	}
	for _, tt := range tests {
		if got := ParseFloatPrefix(tt.in); !sameFloat(got, tt.want) {
			t.Errorf("ParseFloatPrefix(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func sameFloat(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}
