package alert

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// StatKind is which statistic summarises a period's values.
type StatKind int8

// CloudWatch's statistics (percentiles carry their rank in Statistic.P).
const (
	SampleCount StatKind = iota + 1
	Average
	Sum
	Minimum
	Maximum
	Percentile
)

var statNames = map[StatKind]string{
	SampleCount: "SampleCount", Average: "Average", Sum: "Sum", Minimum: "Minimum", Maximum: "Maximum",
}

// Statistic is a statistic by CloudWatch's name: SampleCount, Average,
// Sum, Minimum, Maximum, or a percentile pNN (p99, p99.9).
type Statistic struct {
	Kind StatKind
	P    float64 // the percentile's rank, 0 to 100 (p99 → 99), for Percentile
}

// ParseStatistic reads a statistic by CloudWatch's name.
func ParseStatistic(s string) (Statistic, error) {
	for k, n := range statNames {
		if s == n {
			return Statistic{Kind: k}, nil
		}
	}
	if rest, ok := strings.CutPrefix(s, "p"); ok && rest != "" {
		p, err := strconv.ParseFloat(rest, 64)
		if err == nil && p >= 0 && p <= 100 && rest[0] != '+' && !strings.ContainsAny(rest, "eExXnN_") {
			return Statistic{Kind: Percentile, P: p}, nil
		}
		return Statistic{}, fmt.Errorf("statistic %q: a percentile is p followed by 0 to 100, such as p99 or p99.9", s)
	}
	return Statistic{}, fmt.Errorf("unknown statistic %q (known: SampleCount, Average, Sum, Minimum, Maximum, "+
		"or a percentile such as p99)", s)
}

func (s Statistic) String() string {
	if s.Kind == Percentile {
		return "p" + strconv.FormatFloat(s.P, 'f', -1, 64)
	}
	if n, ok := statNames[s.Kind]; ok {
		return n
	}
	return "none"
}

// MinSamples is the smallest number of values behind a percentile that
// CloudWatch deems enough: 10/(1−p) for p from 0.5 up to 1 (1,000 for
// p99), 10/p below 0.5. It is 0 where the rule does not apply (statistics
// other than percentiles, p0 and p100).
func (s Statistic) MinSamples() int64 {
	if s.Kind != Percentile || s.P <= 0 || s.P >= 100 {
		return 0
	}
	// In percent, 10/(1−p) is 1000/(100−P); the rounding guard keeps
	// 1000/(100−99.9) at 10,000 rather than one more.
	x := 1000 / (100 - s.P)
	if s.P < 50 {
		x = 1000 / s.P
	}
	return int64(math.Ceil(x - 1e-6))
}
