package prober

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/scalability"
)

// The USL line names a peak only where the fitted model has one: an
// Amdahl system's throughput levels off at λ/σ, a linear one's keeps
// growing; neither may be given a peak concurrency in the millions.
func TestUSLLineSaysWhenThereIsNoPeak(t *testing.T) {
	for _, c := range []struct {
		name  string
		truth scalability.USL
		want  []string
		not   string
	}{
		{"amdahl", scalability.USL{Lambda: 100, Sigma: 0.1}, []string{"no peak: throughput levels off toward 1,000/s", "contention-bound"}, "at N≈"},
		{"linear", scalability.USL{Lambda: 100}, []string{"no peak: throughput grew in proportion", "(linear,"}, "at N≈"},
		{"peak", scalability.USL{Lambda: 100, Sigma: 0.05, Kappa: 0.001}, []string{"peak 904/s", "at N≈30.8", "contention-bound"}, "no peak"},
	} {
		var pts []scalability.Point
		for _, n := range []float64{1, 2, 4, 8, 16, 32, 64} {
			pts = append(pts, scalability.Point{N: n, X: c.truth.Throughput(n)})
		}
		fit, err := scalability.FitUSL(pts, scalability.FitOptions{Resamples: 20, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Join(modelLines(capacity.Config{}, capacity.Models{USL: &fit}), "\n")
		for _, w := range c.want {
			if !strings.Contains(line, w) {
				t.Errorf("%s: %q lacks %q", c.name, line, w)
			}
		}
		if strings.Contains(line, c.not) {
			t.Errorf("%s: %q says %q", c.name, line, c.not)
		}
	}
}
