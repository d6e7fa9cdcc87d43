package decimal

import (
	"math"
	"strconv"
	"testing"
)

func TestIsFloat(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "8": true, "-1": true, "+2.5": true, "1.": true, ".5": true, "1e3": true, "2.5E-2": true,
		"1e+3": true, "007": true,
		"": false, ".": false, "-": false, "e3": false, "1e": false, "1e+": false, "0x1p3": false, "0x10": false,
		"inf": false, "+Inf": false, "Infinity": false, "NaN": false, "nan": false, "1_000": false, " 1": false,
		"1 ": false, "1.2.3": false, "1e3.5": false, "--1": false, "0b1": false, "٣": false,
	} {
		if got := IsFloat(s); got != want {
			t.Errorf("IsFloat(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestIsInt(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "7": true, "-1": true, "+5": true, "100": true, "-0": true,
		"": false, "-": false, "010": false, "00": false, "0x10": false, "0o7": false, "0b1": false, "1_000": false,
		"1.0": false, "1e3": false, " 1": false, "+": false,
	} {
		if got := IsInt(s); got != want {
			t.Errorf("IsInt(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestParseFloat(t *testing.T) {
	if v, err := ParseFloat("2.5e1"); err != nil || v != 25 {
		t.Errorf("2.5e1: %v, %v", v, err)
	}
	for _, s := range []string{"0x1p3", "inf", "NaN"} {
		if _, err := ParseFloat(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if v, err := ParseFloat("1e400"); !math.IsInf(v, 1) || err == nil {
		t.Errorf("1e400: %v, %v (want +Inf and a range error, as strconv)", v, err)
	}
}

// FuzzIsFloat: whatever IsFloat accepts, strconv.ParseFloat reads
// without a syntax error and never as NaN.
func FuzzIsFloat(f *testing.F) {
	for _, s := range []string{"1", "-1.5e3", ".5", "1.", "0x1p3", "inf", "nan", "1e", "+.e1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !IsFloat(s) {
			return
		}
		v, err := strconv.ParseFloat(s, 64)
		if ne, ok := err.(*strconv.NumError); (ok && ne.Err == strconv.ErrSyntax) || math.IsNaN(v) {
			t.Fatalf("%q accepted, strconv reads %v, %v", s, v, err)
		}
		if IsInt(s) {
			if _, err := strconv.ParseInt(s, 10, 64); err != nil && err.(*strconv.NumError).Err == strconv.ErrSyntax {
				t.Fatalf("%q accepted as an integer, strconv: %v", s, err)
			}
		}
	})
}
