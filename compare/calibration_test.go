package compare

import (
	"math"
	"os"
	"testing"
)

// testResamples keeps the calibration fast: 300 resamples estimate a
// standard deviation to within about 4 % (1/√(2·300)), which moves a 5 %
// test's real level by a few tenths of a percent; the command's default is
// 2,000.
const testResamples = 300

// tally counts how often each procedure calls a pair a regression.
type tally struct {
	pairs          int
	compareAny     int // compare: any row regressed
	compareP99     int // compare: the overall p99 row regressed
	naiveMW        int // Mann-Whitney over every request, α = 5 %
	naiveP99       int // p99 with independent-request intervals, no Holm
	p99Covered     int // compare's p99 interval holds the true ratio
	p99Inconclusiv int
}

func (t *tally) add(rep *Report, trueRatio float64) {
	t.pairs++
	if rep.Count(Regressed) > 0 {
		t.compareAny++
	}
	p99 := rep.row(AllEndpoints, P99)
	if p99.Verdict == Regressed {
		t.compareP99++
	}
	if p99.Verdict == Inconclusive {
		t.p99Inconclusiv++
	}
	if p99.Lo <= trueRatio && trueRatio <= p99.Hi {
		t.p99Covered++
	}
	if s := rep.Shifts[0]; s.NaiveP < 0.05 && s.Superiority > 0.5 {
		t.naiveMW++
	}
}

func (t *tally) share(n int) float64 { return float64(n) / float64(t.pairs) }

// row finds a row of the report.
func (r *Report) row(scope string, m Metric) Row {
	for _, row := range r.Rows {
		if row.Scope == scope && row.Metric == m {
			return row
		}
	}
	return Row{P: math.NaN()}
}

func calibrate(t *testing.T, m simModel, scale float64, pairs int, seed uint64) tally {
	t.Helper()
	skipUnderRace(t)
	return calibrateWith(t, m, scale, pairs, seed, testResamples)
}

func calibrateWith(t *testing.T, m simModel, scale float64, pairs int, seed uint64, resamples int) tally {
	t.Helper()
	var tl tally
	for i := range pairs {
		base, head := simPair(m, scale, seed+uint64(i))
		rep, err := Compare(base, head, Options{Resamples: resamples, Seed: uint64(i)})
		if err != nil {
			t.Fatal(err)
		}
		tl.add(rep, scale)
		if naiveP99Regressed(base, head) {
			tl.naiveP99++
		}
	}
	return tl
}

// naiveP99Regressed is the per-request test: the p99 ratio's interval
// taken from each run's histogram as if its requests were independent.
func naiveP99Regressed(base, head *Run) bool {
	var sd [2]float64
	var v [2]float64
	for i, r := range []*Run{base, head} {
		h := newSeries(r, nil).all.mergedHistogram()
		sd[i], v[i] = iidSD(h, P99), latencyOf(h, P99)
	}
	d := math.Log(v[1] / v[0])
	return normalTest(d, math.Hypot(sd[0], sd[1])) < 0.05 && d > 0
}

// TestCalibrationAA is the proof that a "regressed" can be trusted: on
// pairs of runs of one and the same system, compare calls fewer than
// 6.5 % of them a regression (α = 5 % plus the Monte-Carlo error of 200
// pairs), where a per-request test calls many more. The figures go into
// docs/compare.md.
func TestCalibrationAA(t *testing.T) {
	tl := calibrate(t, realistic(60), 1, 200, 1000)
	t.Logf("A/A, %d pairs of 60 s: compare regressed (any row) %.1f %%, p99 row %.1f %%, p99 CI coverage %.1f %%; naive Mann-Whitney %.1f %%, naive p99 %.1f %%",
		tl.pairs, 100*tl.share(tl.compareAny), 100*tl.share(tl.compareP99), 100*tl.share(tl.p99Covered),
		100*tl.share(tl.naiveMW), 100*tl.share(tl.naiveP99))
	if got := tl.share(tl.compareAny); got >= 0.065 {
		t.Errorf("compare called %.1f %% of A/A pairs a regression, want < 6.5 %%", 100*got)
	}
	if got := tl.share(tl.naiveMW); got < 2*0.065 {
		t.Errorf("the per-request Mann-Whitney called only %.1f %% of A/A pairs a regression: the simulation has lost its dependence", 100*got)
	}
}

// TestCalibrationPower: a 10 % slower p99 is found in at least 80 % of
// pairs of 60 s runs.
func TestCalibrationPower(t *testing.T) {
	tl := calibrate(t, realistic(60), 1.10, 100, 5000)
	t.Logf("+10 %%, %d pairs of 60 s: compare p99 regressed %.1f %%, inconclusive %.1f %%, CI coverage %.1f %%",
		tl.pairs, 100*tl.share(tl.compareP99), 100*tl.share(tl.p99Inconclusiv), 100*tl.share(tl.p99Covered))
	if got := tl.share(tl.compareP99); got < 0.80 {
		t.Errorf("p99 regression found in %.1f %% of pairs, want ≥ 80 %%", 100*got)
	}
}

// skipUnderRace skips the calibration under the race detector: it is
// arithmetic in one goroutine, where the detector has nothing to find and
// makes it twenty times slower (over four minutes). make unit runs it
// without -race.
func skipUnderRace(t *testing.T) {
	if raceDetector {
		t.Skip("calibration: no goroutines to check, and 20× slower under -race; make unit runs it without")
	}
}

// normalTest is the two-sided p-value of d with standard error se, as if
// the standard error were known.
func normalTest(d, se float64) float64 {
	if se > 0 {
		return twoSided(d / se)
	}
	return 1
}

// TestCalibrationTable prints the calibration table of docs/compare.md
// (SURGE_COMPARE_TABLE=1 go test -run TestCalibrationTable -v ./compare/):
// more scenarios than the two tests above, at the command's 2,000
// resamples; a minute or two of CPU.
func TestCalibrationTable(t *testing.T) {
	if os.Getenv("SURGE_COMPARE_TABLE") == "" {
		t.Skip("set SURGE_COMPARE_TABLE=1 to print the table of docs/compare.md")
	}
	harsh := func(seconds int) simModel {
		m := realistic(seconds)
		m.driftSD, m.driftRho = 0.06, 0.9
		return m
	}
	for _, c := range []struct {
		name  string
		m     simModel
		scale float64
		pairs int
	}{
		{"A/A, 60 s", realistic(60), 1, 500},
		{"A/A, 300 s", realistic(300), 1, 100},
		{"A/A, 60 s, slow drift (ρ 0.9, ±6 %)", harsh(60), 1, 200},
		{"A/A, 300 s, slow drift (ρ 0.9, ±6 %)", harsh(300), 1, 100},
		{"+10 %, 60 s", realistic(60), 1.10, 200},
		{"+5 %, 60 s", realistic(60), 1.05, 200},
		{"+5 %, 300 s", realistic(300), 1.05, 100},
	} {
		tl := calibrateWith(t, c.m, c.scale, c.pairs, 9000, DefaultResamples)
		t.Logf("| %s | %d | %.1f %% | %.1f %% | %.1f %% | %.1f %% | %.1f %% |", c.name, tl.pairs,
			100*tl.share(tl.compareAny), 100*tl.share(tl.compareP99), 100*tl.share(tl.p99Covered),
			100*tl.share(tl.naiveMW), 100*tl.share(tl.naiveP99))
	}
}
