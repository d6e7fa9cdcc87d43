package report

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// fmtInt writes n with thousands separators: 1,234,567.
func fmtInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// fmtMs formats milliseconds with three significant digits: 850 µs,
// 12.3 ms, 1.25 s.
func fmtMs(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v == 0:
		return "0"
	case v >= 1000:
		return sig3(v/1000) + " s"
	case v >= 1:
		return sig3(v) + " ms"
	default:
		return sig3(v*1000) + " µs"
	}
}

func sig3(v float64) string {
	return fmtFloat(roundSig(v, 3))
}

// roundSig rounds v to the given number of significant digits.
func roundSig(v float64, digits int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	exp := digits - int(math.Ceil(math.Log10(math.Abs(v))))
	if exp >= 0 {
		p := math.Pow10(exp)
		return math.Round(v*p) / p
	}
	p := math.Pow10(-exp)
	return math.Round(v/p) * p
}

// fmtRate formats a per-second rate: 9,876, 12.5, 0.25.
func fmtRate(v float64) string {
	if v >= 100 {
		return fmtInt(int64(math.Round(v)))
	}
	return fmtFloat(roundSig(v, 3))
}

// fmtShare formats part of whole as a percentage: 0.25 %.
func fmtShare(part, whole int64) string {
	if whole == 0 {
		return "–"
	}
	if part > 0 && 100*float64(part)/float64(whole) < 0.001 {
		return "< 0.001 %"
	}
	return fmtFloat(roundSig(100*float64(part)/float64(whole), 3)) + " %"
}

// fmtDuration formats seconds as 1h02m03s, 5m30s or 12.5s.
func fmtDuration(s float64) string {
	if s < 60 {
		return fmtFloat(roundSig(s, 3)) + "s"
	}
	return time.Duration(math.Round(s) * float64(time.Second)).String()
}

// fmtBytes formats a byte count: 512 B, 1.5 MB (powers of 1000).
func fmtBytes(n int64) string {
	units := []string{"B", "kB", "MB", "GB", "TB"}
	v, i := float64(n), 0
	for v >= 1000 && i < len(units)-1 {
		v /= 1000
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return sig3(v) + " " + units[i]
}

// fmtTime formats a timestamp in UTC, or "–" when unknown.
func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func fmtFloat(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
