package compare

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var fast = Options{Resamples: testResamples, Seed: 1}

func mustCompare(t *testing.T, base, head *Run, o Options) *Report {
	t.Helper()
	rep, err := Compare(base, head, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSameSeedSameReport(t *testing.T) {
	base, head := simPair(realistic(30), 1.05, 11)
	a, b := mustCompare(t, base, head, fast), mustCompare(t, base, head, fast)
	opt := cmp.Options{cmpopts.EquateNaNs(), cmp.AllowUnexported(Row{})}
	if d := cmp.Diff(a, b, opt); d != "" {
		t.Fatalf("two comparisons with one seed differ:\n%s", d)
	}
	other := fast
	other.Seed = 2
	c := mustCompare(t, base, head, other)
	if c.Rows[0].BaseSD == a.Rows[0].BaseSD {
		t.Error("another seed gave the very same bootstrap")
	}
}

// One endpoint 30 % slower, the other unchanged: the endpoint rows say so,
// row by row.
func TestEndpointRowsFindTheSlowEndpoint(t *testing.T) {
	m := realistic(60)
	rng := rand.New(rand.NewPCG(21, 21))
	base := m.run("base", rng)
	m.endpointScale = []float64{1, 1.3}
	head := m.run("head", rng)
	rep := mustCompare(t, base, head, fast)
	for _, mt := range []Metric{P50, P90, Mean} {
		if v := rep.row("B", mt).Verdict; v != Regressed {
			t.Errorf("B %s: %s, want regressed", mt, v)
		}
		if v := rep.row("A", mt).Verdict; v == Regressed || v == Improved {
			t.Errorf("A %s: %s, but A did not change", mt, v)
		}
	}
	if s := rep.Shifts[2]; s.Scope != "B" || s.P > 0.01 || s.Superiority < 0.6 {
		t.Errorf("Mann-Whitney on B: %+v", s)
	}
}

// A faster head is "improved"; throughput is better when it goes up.
func TestFasterHeadImproves(t *testing.T) {
	base, head := simPair(realistic(60), 0.7, 31)
	rep := mustCompare(t, base, head, fast)
	if v := rep.row(AllEndpoints, P50).Verdict; v != Improved {
		t.Errorf("p50 30 %% faster: %s", v)
	}
	tp := rep.row(AllEndpoints, Throughput)
	if tp.Verdict == Regressed || tp.Verdict == Improved {
		t.Errorf("throughput did not change but is %s", tp.Verdict)
	}
}

// A wide margin turns a real 10 % change into "no change".
func TestMarginPerMetric(t *testing.T) {
	base, head := simPair(realistic(60), 1.1, 41)
	o := fast
	o.Margins = map[Metric]Margin{P50: {Relative: 0.5}}
	rep := mustCompare(t, base, head, o)
	if v := rep.row(AllEndpoints, P50).Verdict; v != NoChange {
		t.Errorf("p50 +10 %% inside a ±50 %% margin: %s", v)
	}
	if v := rep.row(AllEndpoints, P90).Verdict; v != Regressed {
		t.Errorf("p90 +10 %% with the default margin: %s", v)
	}
}

// Without a single error in either run the error rate has not changed.
func TestNoErrorsIsNoChange(t *testing.T) {
	m := realistic(60)
	m.errBase, m.burstErr = 0, 0
	base, head := simPair(m, 1, 51)
	r := mustCompare(t, base, head, fast).row(AllEndpoints, ErrorRate)
	if r.Verdict != NoChange || r.Base != 0 || r.Head != 0 {
		t.Errorf("error rate row %+v", r)
	}
}

// A rate with no event in either run cannot be rejected whatever the
// runs hold: it keeps its own p (1) and its verdict, but stays out of
// Holm's family, so the other rows' tests are not weakened by it.
func TestRatesWithoutEventsStayOutOfHolmsFamily(t *testing.T) {
	m := realistic(60)
	m.errBase, m.burstErr = 0, 0
	base, head := simPair(m, 1, 51)
	rep := mustCompare(t, base, head, fast)
	tested, certain := 0, 0
	for _, r := range rep.Rows {
		switch {
		case r.Metric.IsRate() && r.Base == 0 && r.Head == 0:
			certain++
			if r.PAdjusted != 1 || r.Verdict != NoChange {
				t.Errorf("%s %s: adjusted p %v, verdict %v; want 1 and no change", r.Scope, r.Metric, r.PAdjusted, r.Verdict)
			}
		case !math.IsNaN(r.P):
			tested++
		}
	}
	if certain == 0 || rep.Tests != tested {
		t.Errorf("Holm over %d tests; want the %d rows that can reject, without the %d rates with no event", rep.Tests, tested, certain)
	}
}

// A 1 % error rate appearing where there was 0.1 % is a regression, and
// the row's interval is in percentage points around the change.
func TestMoreErrorsRegress(t *testing.T) {
	m := realistic(60)
	m.burstErr = 0 // steady errors: a burst would make the base's own rate uncertain
	rng := rand.New(rand.NewPCG(61, 61))
	base := m.run("base", rng)
	m.errBase = 0.01
	head := m.run("head", rng)
	r := mustCompare(t, base, head, fast).row(AllEndpoints, ErrorRate)
	if r.Verdict != Regressed || !(r.DiffLo > 0 && r.DiffLo < r.Diff && r.Diff < r.DiffHi) {
		t.Errorf("error rate row %+v", r)
	}
}

// A short, noisy pair is inconclusive, and says what it could detect.
func TestInconclusiveSaysWhatItCouldDetect(t *testing.T) {
	m := realistic(12)
	m.rps = 100
	base, head := simPair(m, 1.04, 71)
	r := mustCompare(t, base, head, fast).row(AllEndpoints, P99)
	if r.Verdict != Inconclusive || r.MDE <= 0.05 || r.LengthFactor <= 1 {
		t.Errorf("p99 of 12 s at 100 req/s: %s, MDE %.3f, length ×%.1f", r.Verdict, r.MDE, r.LengthFactor)
	}
}

// p99.9 of fewer than 10,000 requests is not compared.
func TestTooFewRequestsForTheTail(t *testing.T) {
	m := realistic(20)
	base, head := simPair(m, 1, 81)
	r := mustCompare(t, base, head, fast).row(AllEndpoints, P999)
	if !math.IsNaN(r.P) || r.Verdict != Inconclusive || r.Note == "" {
		t.Errorf("p99.9 row %+v", r)
	}
}

func TestCompareRefusesShortRuns(t *testing.T) {
	base, head := simPair(realistic(MinIntervals-1), 1, 91)
	if _, err := Compare(base, head, fast); !errors.Is(err, ErrTooShort) {
		t.Errorf("err = %v, want ErrTooShort", err)
	}
}

func TestCompareRefusesBadOptions(t *testing.T) {
	base, head := simPair(realistic(MinIntervals), 1, 92)
	for _, o := range []Options{{Alpha: 0.7}, {Resamples: 10}, {Margins: map[Metric]Margin{P99: {Relative: -1}}}} {
		if _, err := Compare(base, head, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}

// Endpoints present in one run only are named in the notes.
func TestUnmatchedEndpointsAreNoted(t *testing.T) {
	base, head := simPair(realistic(MinIntervals), 1, 93)
	head.Endpoints[1].Name = "C"
	rep := mustCompare(t, base, head, fast)
	// One endpoint left, the all scope's: no shift of its own (of every
	// request or of the successes).
	if len(rep.Notes) != 2 || len(rep.Shifts) == 0 || slices.ContainsFunc(rep.Shifts, func(s Shift) bool { return s.Scope != AllEndpoints }) {
		t.Errorf("notes %q, shifts %+v", rep.Notes, rep.Shifts)
	}
}

func TestParseMargins(t *testing.T) {
	all, per, err := ParseMargins([]string{"10%", "p99=20%,error_rate=0.5pp", "failure_rate=2%"})
	if err != nil {
		t.Fatal(err)
	}
	if all != (Margin{Relative: 0.1, Absolute: 0.001}) {
		t.Errorf("all: %+v", all)
	}
	want := map[Metric]Margin{P99: {0.2, 0.001}, ErrorRate: {0, 0.005}, FailureRate: {0.02, 0.001}}
	if len(per) != len(want) {
		t.Errorf("per metric: %+v", per)
	}
	for m, g := range want {
		if math.Abs(per[m].Relative-g.Relative) > 1e-12 || math.Abs(per[m].Absolute-g.Absolute) > 1e-12 {
			t.Errorf("%s: %+v, want %+v", m, per[m], g)
		}
	}
	for _, bad := range []string{"5", "p99=1pp", "p42=5%", "-1%", "p99=x%", "NaN%", "p99=nan%", "error_rate=NaNpp", "1000%", "0x1p3%", "p99=0X1P-2%", "error_rate=0x1p-1pp", "1_0%"} {
		if _, _, err := ParseMargins([]string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for bad, want := range map[string]string{"5%,,p99=10%": `"5%,,p99=10%": item 2 is empty`, "5%,": `"5%,": item 2 is empty`, "": `"": item 1 is empty`} {
		if _, _, err := ParseMargins([]string{bad}); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want an error with %s", bad, err, want)
		}
	}
}

// The window cannot cut an endpoint's latency (results files hold it for
// the whole span only): the report says so.
func TestWindowNoteForEndpointLatency(t *testing.T) {
	base, head := simPair(realistic(MinIntervals), 1, 94)
	o := fast
	o.Window = Window{From: 2}
	if rep := mustCompare(t, base, head, o); len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "whole span") {
		t.Errorf("notes %q", rep.Notes)
	}
}
