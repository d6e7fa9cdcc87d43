package promexport

import (
	"math"
	"testing"

	"github.com/surge-dev/surge/metrics"
)

func TestNativeIndexBoundsAreUpperInclusive(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want int
	}{{1, 0}, {2, 32}, {0.5, -32}, {math.Pow(2, 1.0/32), 1}, {math.Pow(2, 1.0/32) * 1.0001, 2}, {1.0001, 1}, {0.9999, 0}} {
		if got := nativeIndex(c.v); got != c.want {
			t.Errorf("nativeIndex(%v) = %d, want %d", c.v, got, c.want)
		}
	}
}

// TestFromHDRCountsEachValueOnce: classic buckets are cumulative with a
// value on a bound counted in it (le), values past the last bound only
// in the count, and every value in one native bucket.
func TestFromHDRCountsEachValueOnce(t *testing.T) {
	h := metrics.NewHistogram()
	for _, us := range []int64{400, 500, 501, 1000, 1000, 60_000_000, 70_000_000} {
		if err := h.RecordValue(us); err != nil {
			t.Fatal(err)
		}
	}
	d := fromHDR(h)
	want := map[float64]uint64{0.0005: 2, 0.001: 5, 0.0025: 5, 30: 5, 60: 6}
	for i, le := range ClassicBounds {
		if n, ok := want[le]; ok && d.cumulative[i] != n {
			t.Errorf("le=%v: %d, want %d", le, d.cumulative[i], n)
		}
	}
	var native int64
	for _, n := range d.native {
		native += n
	}
	if d.count != 7 || native != 7 || d.native[nativeIndex(0.001)] != 2 {
		t.Errorf("count %d, native %v", d.count, d.native)
	}
	if wantSum := 0.0004 + 0.0005 + 0.000501 + 0.002 + 130; math.Abs(d.sum-wantSum) > wantSum*0.001 {
		t.Errorf("sum %v, want %v within HDR's 0.1 %%", d.sum, wantSum)
	}
}
