package report

import (
	"math"
	"testing"
	"time"
)

func TestFormat(t *testing.T) {
	cases := []struct{ got, want string }{
		{fmtInt(0), "0"}, {fmtInt(999), "999"}, {fmtInt(1234567), "1,234,567"}, {fmtInt(-1000), "-1,000"},
		{fmtMs(0), "0"}, {fmtMs(0.85), "850 µs"}, {fmtMs(12.345), "12.3 ms"}, {fmtMs(1250), "1.25 s"},
		{fmtMs(math.NaN()), "–"}, {fmtRate(9876.4), "9,876"}, {fmtRate(12.345), "12.3"},
		{fmtShare(1, 400), "0.25 %"}, {fmtShare(1, 0), "–"}, {fmtDuration(12.5), "12.5s"},
		{fmtDuration(3723), "1h2m3s"}, {fmtBytes(512), "512 B"}, {fmtBytes(1_500_000), "1.5 MB"},
		{fmtTime(time.Time{}), "–"}, {fmtTime(t0), "2026-11-01 12:00:00 UTC"}, {fmtNum(1234.56), "1235"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}
