package scalability

import (
	"math"
	"testing"
)

func TestLittlesLaw(t *testing.T) {
	l := LittlesLaw(1440, 0.058, 90)
	if math.Abs(l.Predicted-83.52) > 1e-9 {
		t.Errorf("X·R = %g, want 83.52", l.Predicted)
	}
	if math.Abs(l.Mismatch-(90-83.52)/83.52) > 1e-12 {
		t.Errorf("mismatch %g", l.Mismatch)
	}
	if !math.IsNaN(LittlesLaw(0, 0.1, 3).Mismatch) {
		t.Error("no throughput: mismatch should be NaN, not a number")
	}
}
