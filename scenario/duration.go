package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/surge-dev/surge/internal/decimal"
)

// durationUnits are the unit words Artillery's duration strings accept
// ("30s", "5m", "10min", "1.5 hours"), mapped to their length.
var durationUnits = map[string]time.Duration{
	"ms": time.Millisecond, "msec": time.Millisecond, "msecs": time.Millisecond,
	"millisecond": time.Millisecond, "milliseconds": time.Millisecond,
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
}

// ParseDuration reads a duration as Artillery does: a plain number is
// seconds; otherwise a number followed by a unit ("500ms", "30s", "5m",
// "2 hours"). Numbers are decimal: strconv alone would read 0x1p3 as 8.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if v, err := decimal.ParseFloat(s); err == nil {
		return secondsToDuration(v)
	}
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' })
	if i <= 0 {
		return 0, fmt.Errorf("invalid duration %q: want seconds or a number with a unit such as 30s, 5m, 500ms", s)
	}
	num, err := strconv.ParseFloat(s[:i], 64)
	unit, ok := durationUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if err != nil || !ok {
		return 0, fmt.Errorf("invalid duration %q: want seconds or a number with a unit such as 30s, 5m, 500ms", s)
	}
	// math.MaxInt64 as a float64 is 2^63, itself too long for a Duration.
	if num < 0 || num*float64(unit) >= math.MaxInt64 {
		return 0, fmt.Errorf("duration %q out of range", s)
	}
	return time.Duration(num * float64(unit)), nil
}

func secondsToDuration(v float64) (time.Duration, error) {
	if v < 0 || math.IsNaN(v) || v*float64(time.Second) >= math.MaxInt64 {
		return 0, fmt.Errorf("duration %v out of range", v)
	}
	return time.Duration(v * float64(time.Second)), nil
}
