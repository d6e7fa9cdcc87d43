package scalability

import (
	"math"
	"testing"
)

// The measurements from codahale/usl's README (Baron Schwartz's example in
// "Practical Scalability Analysis with the USL"), with its published fit:
// σ = 0.0277299, κ = 0.000104343, λ = 89.9878; peak 1,883.76 at N = 96.
var baronPoints = []Point{{1, 65}, {18, 996}, {36, 1652}, {72, 1853}, {108, 1829}, {144, 1775}, {216, 1702}}

func within(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if math.Abs(got-want) > rel*math.Abs(want) {
		t.Errorf("%s = %.9g, want %.9g within %.2g%%", name, got, want, rel*100)
	}
}

func TestFitUSLReproducesThePublishedExample(t *testing.T) {
	f, err := FitUSL(baronPoints, FitOptions{Resamples: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := f.Model
	within(t, "σ", m.Sigma, 0.0277299, 0.001)
	within(t, "κ", m.Kappa, 0.000104343, 0.001)
	within(t, "λ", m.Lambda, 89.9878, 0.001)
	within(t, "peak X", m.PeakX(), 1883.76, 0.001)
	if n := math.Floor(m.PeakN()); n != 96 {
		t.Errorf("peak N = %.3f, want ⌊N*⌋ = 96", m.PeakN())
	}
	if !m.ContentionBound() {
		t.Error("the example is contention-bound (σ > κ)")
	}
	// The README's predictions at 10 and 300 clients.
	within(t, "X(10)", m.Throughput(10), 714.778987, 0.001)
	within(t, "X(300)", m.Throughput(300), 1447.463805, 0.001)
	for name, iv := range map[string]Interval{"σ": f.Sigma, "κ": f.Kappa, "peak N": f.PeakN, "peak X": f.PeakX} {
		if !(iv.Low < iv.Value && iv.Value < iv.High) {
			t.Errorf("%s interval [%g, %g] does not hold the estimate %g", name, iv.Low, iv.High, iv.Value)
		}
	}
	t.Logf("σ=%.7f [%.5f, %.5f] κ=%.9f [%.6f, %.6f] λ=%.4f peak X=%.2f [%.0f, %.0f] at N=%.2f [%.0f, %.0f]",
		m.Sigma, f.Sigma.Low, f.Sigma.High, m.Kappa, f.Kappa.Low, f.Kappa.High, m.Lambda,
		m.PeakX(), f.PeakX.Low, f.PeakX.High, m.PeakN(), f.PeakN.Low, f.PeakN.High)
}

func TestFitUSLRecoversAKnownModel(t *testing.T) {
	truth := USL{Lambda: 120, Sigma: 0.08, Kappa: 0.0005}
	var pts []Point
	for _, n := range []float64{1, 4, 8, 16, 32, 48, 64, 96} {
		pts = append(pts, Point{N: n, X: truth.Throughput(n)})
	}
	f, err := FitUSL(pts, FitOptions{Resamples: -1})
	if err != nil {
		t.Fatal(err)
	}
	within(t, "σ", f.Model.Sigma, truth.Sigma, 1e-4)
	within(t, "κ", f.Model.Kappa, truth.Kappa, 1e-4)
	within(t, "peak N", f.Model.PeakN(), truth.PeakN(), 1e-4)
}

func TestFitUSLRefusesTooFewOrBadPoints(t *testing.T) {
	if _, err := FitUSL(baronPoints[:5], FitOptions{}); err != ErrTooFewPoints {
		t.Errorf("5 points: err = %v, want ErrTooFewPoints", err)
	}
	same := []Point{{1, 10}, {1, 11}, {2, 20}, {2, 21}, {3, 30}, {3, 29}, {4, 40}}
	if _, err := FitUSL(same, FitOptions{}); err != ErrTooFewPoints {
		t.Errorf("4 distinct concurrencies: err = %v, want ErrTooFewPoints", err)
	}
	bad := append([]Point{{0.5, 10}}, baronPoints...)
	if _, err := FitUSL(bad, FitOptions{}); err == nil {
		t.Error("N=0.5 accepted")
	}
}

func TestAmdahlPeak(t *testing.T) {
	m := USL{Lambda: 100, Sigma: 0.1}
	if !math.IsInf(m.PeakN(), 1) || m.PeakX() != 1000 {
		t.Errorf("κ=0: peak N %g, X %g; want +Inf and λ/σ = 1000", m.PeakN(), m.PeakX())
	}
}

// An Amdahl system (κ = 0) has no peak: throughput levels off at λ/σ. The
// search runs on log κ, which cannot reach 0, so a fit that ends on that
// boundary must say "no peak" rather than name one at N in the millions,
// far beyond anything measured, with an interval as if it knew. Likewise
// a system that scales linearly (σ = κ = 0) has no bound at all.
func TestFitUSLReportsNoPeakWithoutCoherency(t *testing.T) {
	ns := []float64{1, 2, 4, 8, 16, 32, 64}
	for _, c := range []struct {
		name  string
		truth USL
	}{
		{"amdahl", USL{Lambda: 100, Sigma: 0.1}},
		{"linear", USL{Lambda: 100}},
	} {
		var pts []Point
		for _, n := range ns {
			pts = append(pts, Point{N: n, X: c.truth.Throughput(n)})
		}
		f, err := FitUSL(pts, FitOptions{Resamples: 50, Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if f.Model.Kappa != 0 || !math.IsInf(f.PeakN.Value, 1) || !math.IsInf(f.PeakN.High, 1) {
			t.Errorf("%s: κ = %g, peak N = %g [%g, %g]; want κ = 0 and no peak (+Inf)",
				c.name, f.Model.Kappa, f.PeakN.Value, f.PeakN.Low, f.PeakN.High)
		}
		if c.truth.Sigma > 0 {
			within(t, c.name+": peak X (λ/σ)", f.PeakX.Value, c.truth.PeakX(), 1e-6)
		} else if f.Model.Sigma != 0 || !math.IsInf(f.PeakX.Value, 1) {
			t.Errorf("%s: σ = %g, peak X = %g; want σ = 0 and no limit (+Inf)", c.name, f.Model.Sigma, f.PeakX.Value)
		}
	}
}
