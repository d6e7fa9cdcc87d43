package fleet

import (
	"errors"
	"math"
	"testing"
)

// FuzzParseAdjustments: no input panics; a refusal wraps
// ErrInvalidConfig; accepted steps hold no NaN, and FormatAdjustments
// writes them as a line that reads back as the very same numbers (the
// line a monitored run records for a report to replay).
func FuzzParseAdjustments(f *testing.F) {
	for _, s := range []string{"-Inf:0:-1,0:10:1,10:+Inf:3", "0:1:2", "-0:1e-300:1.7976931348623157e308", "0x1p-3:1:2", "", ",",
		"0:1", "0:1:2:3", "NaN:1:2", "a:b:c", "0:1:2,", "1e400:0:0", "inf:-INFINITY:+inf", " 0:1:2", "0:1:2,,3:4:5"} {
		f.Add(s)
	}
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	f.Fuzz(func(t *testing.T, text string) {
		steps, err := ParseAdjustments(text)
		if err != nil {
			if !errors.Is(err, ErrInvalidConfig) || steps != nil {
				t.Fatalf("%q: %v, %v", text, steps, err)
			}
			return
		}
		if len(steps) == 0 {
			t.Fatalf("%q: accepted no steps", text)
		}
		for _, s := range steps {
			if math.IsNaN(s.Lower) || math.IsNaN(s.Upper) || math.IsNaN(s.Adjustment) {
				t.Fatalf("%q: accepted %+v", text, s)
			}
		}
		line := FormatAdjustments(steps)
		back, err := ParseAdjustments(line)
		if err != nil || len(back) != len(steps) {
			t.Fatalf("%q written as %q reads back as %v, %v", text, line, back, err)
		}
		for i := range steps {
			a, b := steps[i], back[i]
			if !same(a.Lower, b.Lower) || !same(a.Upper, b.Upper) || !same(a.Adjustment, b.Adjustment) {
				t.Fatalf("%q written as %q: step %d %+v reads back as %+v", text, line, i, a, b)
			}
		}
		if FormatAdjustments(back) != line {
			t.Fatalf("%q: written %q, then %q", text, line, FormatAdjustments(back))
		}
	})
}
