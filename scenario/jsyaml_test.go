package scenario

import (
	"math"
	"testing"

	"github.com/surge-dev/surge/templating"
)

// jsYAMLNumbers is how js-yaml 3.15.2, the YAML reader of Artillery
// 2.0.34, reads each plain scalar: the number as JavaScript prints it,
// or "" when the scalar is text there. Recorded with node from that
// js-yaml (yaml.load('v: ' + text).v).
var jsYAMLNumbers = []struct{ text, number string }{
	{"0o17", ""},
	{"017", "15"},
	{"0b101", "5"},
	{"0x1F", "31"},
	{"1_000", "1000"},
	{"1:30", "90"},
	{"190:20:30.15", "685230.15"},
	{"1_000.5", "1000.5"},
	{".5", "0.5"},
	{"+12", "12"},
	{"-0", "0"},
	{"0.0", "0"},
	{"1e3", "1000"},
	{"1E3", "1000"},
	{"1.0e+3", "1000"},
	{".inf", "Infinity"},
	{"-.Inf", "-Infinity"},
	{".nan", "NaN"},
	{"0x_1F", "31"},
	{"1__0", "10"},
	{"08", ""},
	{"0.1_5", "0.15"},
	{"+.5", ""},
	{"1.", "1"},
	{"12e03", "12000"},
	{"0B11", ""},
	{"0X1f", ""},
	{"-0x1F", "-31"},
	{"+0b1", "1"},
	{"1e", ""},
	{"e3", ""},
	{"0o", ""},
	{"1:60", ""},
	{"10:2x", ""},
	{"1_0:30", "630"},
	{"0b2", ""},
	{"0xG", ""},
	{"00", "0"},
	{"-017", "-15"},
	{"+017", "15"},
	{"0.", "0"},
	{"-.5e-3", ""},
	{"0042", "34"},
	{"0089", ""},
	{"1_:30", "90"},
	{"0_", ""},
	{"_1", ""},
	{"+_1", ""},
	{"0x", ""},
	{"1_", ""},
	{"1._", ""},
	{"9007199254740993", "9007199254740992"},
	{"12345678901234567890123", "1.2345678901234568e+22"},
	{"0777777777777777777777", "9223372036854776000"},
	{"1e400", "Infinity"},
	{"-1:30:00", "-5400"},
	{"1:30.5", "90.5"},
	{"1:3x.5", ""},
	{"00.5", ""},
	{".e3", ""},
	{"1.5E-3", "0.0015"},
	{"2.0", "2"},
	{".NaN", "NaN"},
	{"+.inf", "Infinity"},
	{"-.nan", ""},
	{"0b_", ""},
	{"0:30", ""},
	{"1:2:3:4", "223384"},
	{"+0", "0"},
	{"-0.0", "0"},
	{"1:5", "65"},
	{"1:05", "65"},
	{"01:30", ""},
	{"0.5_", ""},
}

func TestJSNumberReadsPlainScalarsAsJSYAML3(t *testing.T) {
	for _, c := range jsYAMLNumbers {
		v, _, ok := jsNumber(c.text)
		got := ""
		if ok {
			got = templating.FormatNumber(v)
		}
		if got != c.number {
			t.Errorf("%q: %q, want %q", c.text, got, c.number)
		}
	}
}

// FuzzJSNumber: any text is no number, or a number whose printed form,
// when finite, reads back as the same number; nothing panics.
func FuzzJSNumber(f *testing.F) {
	for _, c := range jsYAMLNumbers {
		f.Add(c.text)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, isInt, ok := jsNumber(s)
		if !ok || math.IsInf(v, 0) || (math.IsNaN(v) && !isInt) {
			return
		}
		printed := templating.FormatNumber(v)
		if w, _, ok := jsNumber(printed); !ok || w != v {
			t.Fatalf("%q is %v, printed %q, read back %v, %v", s, v, printed, w, ok)
		}
	})
}
