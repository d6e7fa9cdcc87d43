package fleet

import (
	"errors"
	"reflect"
	"testing"
)

// The default steps (AWS's worked example, open at both ends) survive a
// round trip through their label form; malformed text is refused.
func TestAdjustmentsRoundTrip(t *testing.T) {
	steps := DefaultConfig().Step.Adjustments
	text := FormatAdjustments(steps)
	if text != "-Inf:-20:-30,-20:-10:-10,-10:0:0,0:10:0,10:20:10,20:+Inf:30" {
		t.Errorf("formatted %q", text)
	}
	back, err := ParseAdjustments(text)
	if err != nil || !reflect.DeepEqual(back, steps) {
		t.Fatalf("read back %v (%v), want %v", back, err, steps)
	}
	for _, bad := range []string{"", "0:10", "0:10:x", "0:10:1,", "0:NaN:1", "0:10:1:2"} {
		if _, err := ParseAdjustments(bad); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}
