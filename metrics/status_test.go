package metrics

import "testing"

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
