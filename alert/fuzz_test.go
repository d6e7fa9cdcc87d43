package alert

import (
	"math"
	"testing"
)

// FuzzParseStatistic: no input panics; an accepted statistic is one of
// CloudWatch's or a percentile from 0 to 100, and String writes it as a
// name that reads back as the same statistic.
func FuzzParseStatistic(f *testing.F) {
	for _, s := range []string{"SampleCount", "Average", "Sum", "Minimum", "Maximum", "p99", "p99.9", "p0", "p100", "p50.",
		"p.5", "p-0", "p", "p101", "p-1", "p+5", "p1e2", "pNaN", "pinf", "p0x10", "p1_0", "average", "P99", "none", " p99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStatistic(s)
		if err != nil {
			return
		}
		switch {
		case st.Kind == Percentile:
			if !(st.P >= 0 && st.P <= 100) {
				t.Fatalf("%q: percentile %v", s, st.P)
			}
		case statNames[st.Kind] == "" || st.P != 0:
			t.Fatalf("%q: %+v", s, st)
		}
		back, err := ParseStatistic(st.String())
		if err != nil || back != st {
			t.Fatalf("%q = %+v written as %q reads back as %+v, %v", s, st, st.String(), back, err)
		}
	})
}

// FuzzParseValue: no input panics; an accepted value is finite, not
// negative unless the unit is Raw, at most 100 % for a rate, and
// FormatValue writes it as text that reads back as the value to its six
// significant digits.
func FuzzParseValue(f *testing.F) {
	for _, c := range []struct {
		u Unit
		s string
	}{{Millis, "300"}, {Millis, "300ms"}, {Millis, "1.5s"}, {Millis, "250us"}, {Millis, "250µs"}, {Millis, "1m30s"},
		{Millis, "2ns"}, {Millis, "1h"}, {Millis, "999999.5ms"}, {Millis, "1e308s"}, {Millis, "1e300h"}, {Millis, "-5ms"}, {Millis, "300 parsecs"}, {Fraction, "1%"},
		{Fraction, "0.5 %"}, {Fraction, "101%"}, {Fraction, "1"}, {PerSecond, "250/s"}, {PerSecond, "1e309/s"}, {Count, "10"},
		{Count, "NaN"}, {Count, "0x10"}, {Count, "1_000"}, {Raw, "-3.5"}, {Raw, "-1.7976931348623157e308"}, {Unit(7), "1"}} {
		f.Add(int8(c.u), c.s)
	}
	f.Fuzz(func(t *testing.T, unit int8, s string) {
		u := Unit(unit)
		v, err := ParseValue(u, s)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || (v < 0 && u != Raw) || (u == Fraction && v > 1) {
			t.Fatalf("%v %q: accepted %v", u, s, v)
		}
		text := FormatValue(u, v)
		back, err := ParseValue(u, text)
		if err != nil || math.Abs(back-v) > 5e-6*math.Abs(v) {
			t.Fatalf("%v %q = %v written as %q reads back as %v, %v", u, s, v, text, back, err)
		}
	})
}

// FuzzParseNames: ParseComparison, ParseMissingData and ParseLowSample
// panic on no input, and what they accept reads back from String (and a
// comparison from Symbol).
func FuzzParseNames(f *testing.F) {
	for _, s := range []string{">", ">=", "<", "<=", "GreaterThanThreshold", "LessThanOrEqualToThreshold", "=", "",
		"missing", "ignore", "breaching", "notBreaching", "Missing", "evaluate", "Comparison(1)", "?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if c, err := ParseComparison(s); err == nil {
			if c < GreaterThanOrEqual || c > LessThanOrEqual {
				t.Fatalf("comparison %q: %d", s, c)
			}
			if back, err := ParseComparison(c.String()); err != nil || back != c {
				t.Fatalf("comparison %q = %v reads back as %v, %v", s, c, back, err)
			}
			if back, err := ParseComparison(c.Symbol()); err != nil || back != c {
				t.Fatalf("comparison %q = %v, as %q, reads back as %v, %v", s, c, c.Symbol(), back, err)
			}
		}
		if m, err := ParseMissingData(s); err == nil {
			if m < Missing || m > NotBreaching {
				t.Fatalf("missing data %q: %d", s, m)
			}
			if back, err := ParseMissingData(m.String()); err != nil || back != m {
				t.Fatalf("missing data %q = %v reads back as %v, %v", s, m, back, err)
			}
		}
		if l, err := ParseLowSample(s); err == nil {
			if back, err := ParseLowSample(l.String()); err != nil || back != l {
				t.Fatalf("low sample %q = %v reads back as %v, %v", s, l, back, err)
			}
		}
	})
}
