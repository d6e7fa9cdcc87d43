package scalability

import (
	"math"
	"testing"
)

// figure2 is the curve of figure 2 in Satopää et al. (2011), as kneed's
// DataGenerator.figure2 builds it: ten points on [0, 1], y = 5 − 1/(x+0.1).
// Its published knee is x = 0.222, y = 1.897.
func figure2() (x, y []float64) {
	for i := range 10 {
		v := float64(i) / 9
		x, y = append(x, v), append(y, 5-1/(v+0.1))
	}
	return x, y
}

func TestKneedleReproducesFigure2(t *testing.T) {
	x, y := figure2()
	k, err := Kneedle(x, y, Concave, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(k.X-0.222) > 0.0005 || math.Abs(k.Y-1.897) > 0.0005 {
		t.Errorf("knee (%.4f, %.4f), want (0.222, 1.897)", k.X, k.Y)
	}
}

func TestKneedleFindsTheHockeyStick(t *testing.T) {
	// Latency of an M/M/1 queue, 1/(μ−λ), against load: convex.
	var x, y []float64
	for l := 10.0; l <= 95; l += 5 {
		x, y = append(x, l), append(y, 1/(100-l))
	}
	k, err := Kneedle(x, y, Convex, 1)
	if err != nil {
		t.Fatal(err)
	}
	if k.X < 70 || k.X > 90 {
		t.Errorf("knee at load %g, want where the curve turns up (70..90)", k.X)
	}
}

func TestKneedleRefusesAStraightLine(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6}
	if _, err := Kneedle(x, x, Concave, 1); err != ErrNoKnee {
		t.Errorf("straight line: err = %v, want ErrNoKnee", err)
	}
	if _, err := Kneedle(x[:2], x[:2], Concave, 1); err != ErrNoKnee {
		t.Errorf("two points: err = %v, want ErrNoKnee", err)
	}
}
