package suggest

import "testing"

func TestNearestAndWithin(t *testing.T) {
	keys := []string{"arrivalRate", "arrivalCount", "duration", "expect", "ensure"}
	for _, c := range []struct {
		unknown, nearest, within2 string
	}{
		{"arivalRate", "arrivalRate", "arrivalRate"},
		{"DURATION", "duration", "duration"},
		{"expct", "expect", "expect"},
		{"ensur", "ensure", "ensure"},
		{"publish-metrics", "", ""},
		{"durationx", "duration", "duration"},
		{"arrCount", "arrivalCount", ""}, // four edits: near, not surely a typo
	} {
		if got := Nearest(c.unknown, keys); got != c.nearest {
			t.Errorf("Nearest(%q) = %q, want %q", c.unknown, got, c.nearest)
		}
		if got := Within(c.unknown, keys, 2); got != c.within2 {
			t.Errorf("Within(%q, 2) = %q, want %q", c.unknown, got, c.within2)
		}
	}
	if d := Distance("kitten", "sitting"); d != 3 {
		t.Errorf("Distance(kitten, sitting) = %d, want 3", d)
	}
}
