package compare

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/aclements/go-moremath/stats"
	"github.com/surge-dev/surge/metrics"
)

// Newcombe's own worked example (Statistics in Medicine 17, 1998, table
// II, example (a)): 56/70 against 48/80, method 10 gives 0.0524 to 0.3339.
func TestNewcombeMatchesHisWorkedExample(t *testing.T) {
	lo, hi := newcombe(proportion{48, 80}, proportion{56, 70}, normalQuantile(0.975))
	if math.Abs(lo-0.0524) > 5e-5 || math.Abs(hi-0.3339) > 5e-5 {
		t.Errorf("interval [%.4f, %.4f], want [0.0524, 0.3339]", lo, hi)
	}
}

// 0 of 10 has the Wilson upper bound z²/(n+z²).
func TestWilsonOfNothing(t *testing.T) {
	z := normalQuantile(0.975)
	lo, hi := wilson(proportion{0, 10}, z)
	if math.Abs(lo) > 1e-12 || math.Abs(hi-z*z/(10+z*z)) > 1e-12 {
		t.Errorf("[%v, %v]", lo, hi)
	}
}

func TestHolmStepsDown(t *testing.T) {
	got := holm([]float64{0.01, 0.04, math.NaN(), 0.03, 0.005})
	want := []float64{0.03, 0.06, math.NaN(), 0.06, 0.02}
	for i := range want {
		if math.IsNaN(want[i]) != math.IsNaN(got[i]) || !math.IsNaN(want[i]) && math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("holm = %v, want %v", got, want)
		}
	}
}

// Values below 2,048 µs have a bucket each in Surge's histograms, so the
// binned test must be the ordinary test on the raw values.
func TestBinnedMannWhitneyIsTheOrdinaryTestOnExactBuckets(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	hb, hh := metrics.NewHistogram(), metrics.NewHistogram()
	var xb, xh []float64
	for range 300 {
		b, h := 100+rng.IntN(900), 150+rng.IntN(900)
		_ = hb.RecordValue(int64(b))
		_ = hh.RecordValue(int64(h))
		xb, xh = append(xb, float64(b)), append(xh, float64(h))
	}
	s := mannWhitney(hb, hh, 1)
	raw, err := stats.MannWhitneyUTest(xh, xb, stats.LocationDiffers)
	if err != nil {
		t.Fatal(err)
	}
	if u := s.Superiority * 300 * 300; math.Abs(u-raw.U) > 1e-6 {
		t.Errorf("U = %v, the raw test's %v", u, raw.U)
	}
	if math.Abs(s.NaiveP-raw.P) > 0.01*raw.P+1e-12 {
		t.Errorf("p = %v, the raw test's %v", s.NaiveP, raw.P)
	}
	if inflated := mannWhitney(hb, hh, 4); math.Abs(inflated.Z*2-s.Z) > 1e-9 {
		t.Errorf("a design effect of 4 should halve z: %v against %v", inflated.Z, s.Z)
	}
}

func TestBlockLengthFollowsTheAutocorrelation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	white, ar := make([]float64, 300), make([]float64, 300)
	for i := range white {
		white[i] = rng.NormFloat64()
		if i > 0 {
			ar[i] = 0.9*ar[i-1] + rng.NormFloat64()
		}
	}
	if b := politisWhite(white); b > 2.5 {
		t.Errorf("white noise: block %.1f, want about 1", b)
	}
	if b := politisWhite(ar); b < 6 {
		t.Errorf("AR(1) with ρ = 0.9: block %.1f, want well above the white noise's", b)
	}
	if b := politisWhite(make([]float64, 50)); b != 1 {
		t.Errorf("a constant series: block %v", b)
	}
}

func TestClampBlock(t *testing.T) {
	for _, c := range [][3]int{{1, 60, 4}, {50, 60, 20}, {7, 300, 7}, {1, 1000, 10}, {3, 3, 1}} {
		if got := clampBlock(c[0], c[1]); got != c[2] {
			t.Errorf("clampBlock(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}
