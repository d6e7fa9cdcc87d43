package metrics

import (
	"strings"
	"testing"
)

func TestParseStatusSet(t *testing.T) {
	tests := []struct {
		spec     string
		has, not []int
		str      string
	}{
		{"200", []int{200}, []int{199, 201, 404}, "200"},
		{"2xx,304", []int{200, 250, 299, 304}, []int{300, 303, 400}, "200-299,304"},
		{"200-399, 404", []int{200, 399, 404}, []int{400, 405, 500}, "200-399,404"},
		{"5XX", []int{500, 599}, []int{499}, "500-599"},
	}
	for _, tt := range tests {
		s, err := ParseStatusSet(tt.spec)
		if err != nil {
			t.Fatalf("%q: %v", tt.spec, err)
		}
		for _, c := range tt.has {
			if !s.Has(c) {
				t.Errorf("%q: %d missing", tt.spec, c)
			}
		}
		for _, c := range tt.not {
			if s.Has(c) {
				t.Errorf("%q: %d present", tt.spec, c)
			}
		}
		if got := s.String(); got != tt.str {
			t.Errorf("%q: String() = %q, want %q", tt.spec, got, tt.str)
		}
	}
}

func TestParseStatusSetRejects(t *testing.T) {
	for _, spec := range []string{"", "abc", "99", "600", "300-200", "6xx", "0xx", "200,", "-1", "200-"} {
		if _, err := ParseStatusSet(spec); err == nil {
			t.Errorf("%q: accepted", spec)
		}
	}
}

// TestParseStatusSetNamesWhatItRefuses: codes not written as three
// digits and empty items were read as 200 and skipped; each is now an
// error that names it.
func TestParseStatusSetNamesWhatItRefuses(t *testing.T) {
	for _, tt := range []struct{ spec, want string }{
		{"+200", `"+200": want status codes of three digits`},
		{"0200", `"0200": want status codes of three digits`},
		{"200-+299", `"200-+299": want status codes of three digits`},
		{"0200-0299", `"0200-0299": want status codes of three digits`},
		{"200,,201", `"200,,201": item 2 is empty`},
		{",200", `",200": item 1 is empty`},
		{"200, ", `"200, ": item 2 is empty`},
	} {
		_, err := ParseStatusSet(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error with %s", tt.spec, err, tt.want)
		}
	}
	var s StatusSet
	if err := s.Add("+404"); err == nil {
		t.Error("Add(+404) accepted")
	}
}

func TestDefaultExpected(t *testing.T) {
	s := DefaultExpected()
	for c, want := range map[int]bool{99: false, 100: true, 200: true, 399: true, 400: false, 429: false, 500: false, 600: false, 0: false} {
		if s.Has(c) != want {
			t.Errorf("Has(%d) = %v, want %v", c, !want, want)
		}
	}
}

func TestStatusSetAddOneItem(t *testing.T) {
	var s StatusSet
	for _, item := range []string{"201", " 3xx", "404-405"} {
		if err := s.Add(item); err != nil {
			t.Fatalf("%q: %v", item, err)
		}
	}
	if got := s.String(); got != "201,300-399,404-405" {
		t.Fatalf("set %s", got)
	}
	for _, bad := range []string{"200,201", "", "2.5", "true", "1e3"} {
		if err := s.Add(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParseStatusSet: no input panics; an accepted list holds at least
// one code, only codes from MinStatus to MaxStatus, is the union of its
// items, and is written by String as a list that reads back as the same
// set (and is written the same again). Every code in it is written as
// three digits.
func FuzzParseStatusSet(f *testing.F) {
	for _, s := range []string{"200", "2xx,304", "200-399, 404", "5XX", "100-599", "1xx,2xx,3xx,4xx,5xx",
		"", "abc", "99", "600", "300-200", "6xx", "0xx", "200,", "-1", "200-", "200--300", "+200", " 2xx ",
		"0200", "200-299-300", "x2x", "200,,201", ",200", "0200-0299", "200-+299", "2xx, ,3xx", "\x00xx", "99999999999999999999", "200-99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := ParseStatusSet(spec)
		if err != nil {
			if s != (StatusSet{}) {
				t.Fatalf("%q: an error (%v) with a non-empty set %v", spec, err, s)
			}
			return
		}
		n := 0
		for c := 0; c < len(s.bits)*64; c++ {
			if s.bits[c/64]&(1<<(c%64)) == 0 {
				continue
			}
			if c < MinStatus || c > MaxStatus {
				t.Fatalf("%q: holds %d, outside %d-%d", spec, c, MinStatus, MaxStatus)
			}
			n++
		}
		if n == 0 {
			t.Fatalf("%q: accepted as the empty set", spec)
		}
		var union StatusSet
		for item := range strings.SplitSeq(spec, ",") {
			for code := range strings.SplitSeq(strings.TrimSpace(item), "-") {
				if c := strings.TrimSpace(code); len(c) != 3 || c[0] < '1' || c[0] > '5' {
					t.Fatalf("%q accepted with the code %q", spec, code)
				}
			}
			one, err := ParseStatusSet(item)
			if err != nil {
				t.Fatalf("%q accepted, its item %q refused: %v", spec, item, err)
			}
			for i := range union.bits {
				union.bits[i] |= one.bits[i]
			}
		}
		if union != s {
			t.Fatalf("%q: %v, the union of its items is %v", spec, s, union)
		}
		back, err := ParseStatusSet(s.String())
		if err != nil || back != s {
			t.Fatalf("%q written as %q reads back as %v, %v", spec, s.String(), back, err)
		}
		if back.String() != s.String() {
			t.Fatalf("%q: written %q, then %q", spec, s.String(), back.String())
		}
	})
}
