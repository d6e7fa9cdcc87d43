package compare

import (
	"fmt"
	"testing"
)

// benchstat's documented example (golang.org/x/perf, cmd/benchstat's
// package documentation): ten runs of two benchmarks before and after a
// change, in ns/op, and the verdicts benchstat prints for them:
//
//	Encode/format=json-48   1.718µ ± 1%   1.423µ ± 1%  -17.20% (p=0.000 n=10)
//	Encode/format=gob-48    3.066µ ± 0%   3.070µ ± 2%        ~ (p=0.446 n=10)
//	geomean                 2.295µ        2.090µ        -8.94%
var (
	jsonOld = []float64{1726, 1723, 1707, 1707, 1713, 1729, 1736, 1707, 1705, 1774}
	jsonNew = []float64{1423, 1416, 1411, 1413, 1412, 1426, 1422, 1424, 1447, 1425}
	gobOld  = []float64{3069, 3075, 3069, 3067, 3207, 3064, 3064, 3058, 3059, 3062}
	gobNew  = []float64{3075, 3065, 3059, 3065, 3060, 3081, 3186, 3135, 3087, 3062}
)

func TestBatchGivesBenchstatsVerdicts(t *testing.T) {
	for _, c := range []struct {
		name             string
		base, head       []float64
		baseMed, headMed string
		baseSpr, headSpr string
		delta, p         string
		significant      bool
	}{
		{"json", jsonOld, jsonNew, "1.718", "1.423", "1%", "1%", "-17.20%", "0.000", true},
		{"gob", gobOld, gobNew, "3.066", "3.070", "0%", "2%", "", "0.446", false},
	} {
		res, err := Batch(c.base, c.head, 0.05, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		got := []string{
			fmt.Sprintf("%.3f", res.Base.Center/1000), fmt.Sprintf("%.3f", res.Head.Center/1000),
			fmt.Sprintf("%.0f%%", 100*res.Base.Spread()), fmt.Sprintf("%.0f%%", 100*res.Head.Spread()),
			fmt.Sprintf("%.3f", res.P),
		}
		want := []string{c.baseMed, c.headMed, c.baseSpr, c.headSpr, c.p}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v (benchstat's)", c.name, got, want)
		}
		if res.Significant != c.significant {
			t.Errorf("%s: significant %v, benchstat says %v", c.name, res.Significant, c.significant)
		}
		if c.significant {
			if d := fmt.Sprintf("%+.2f%%", 100*res.Delta); d != c.delta {
				t.Errorf("%s: delta %s, want %s", c.name, d, c.delta)
			}
		}
	}
}

func TestBatchGeomeanMatchesBenchstat(t *testing.T) {
	var old, cur []float64
	for _, pair := range [][2][]float64{{jsonOld, jsonNew}, {gobOld, gobNew}} {
		res, err := Batch(pair[0], pair[1], 0.05, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		old, cur = append(old, res.Base.Center), append(cur, res.Head.Center)
	}
	g0, g1 := Geomean(old), Geomean(cur)
	got := fmt.Sprintf("%.3f %.3f %+.2f%%", g0/1000, g1/1000, 100*(g1/g0-1))
	if want := "2.295 2.090 -8.94%"; got != want {
		t.Errorf("geomean row %q, benchstat prints %q", got, want)
	}
}

func TestBatchRefusesAnEmptySide(t *testing.T) {
	if _, err := Batch(nil, []float64{1}, 0.05, 0.95); err == nil {
		t.Error("no error for an empty base")
	}
}
