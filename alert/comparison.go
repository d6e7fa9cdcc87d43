package alert

import "fmt"

// Comparison says when a datapoint breaches the threshold (CloudWatch's
// ComparisonOperator). The zero value is invalid, so that a rule cannot
// leave it out by accident.
type Comparison int8

// CloudWatch's four comparisons of a static threshold.
const (
	GreaterThanOrEqual Comparison = iota + 1
	GreaterThan
	LessThan
	LessThanOrEqual
)

// comparisonNames holds each comparison's CloudWatch name, symbol and
// words (for reasons).
var comparisonNames = map[Comparison][3]string{
	GreaterThanOrEqual: {"GreaterThanOrEqualToThreshold", ">=", "greater than or equal to"},
	GreaterThan:        {"GreaterThanThreshold", ">", "greater than"},
	LessThan:           {"LessThanThreshold", "<", "less than"},
	LessThanOrEqual:    {"LessThanOrEqualToThreshold", "<=", "less than or equal to"},
}

// ParseComparison reads CloudWatch's names (GreaterThanThreshold, …) or
// their symbols (>, >=, <, <=).
func ParseComparison(s string) (Comparison, error) {
	for c, names := range comparisonNames {
		if s == names[0] || s == names[1] {
			return c, nil
		}
	}
	return 0, fmt.Errorf("unknown comparison %q (known: GreaterThanOrEqualToThreshold or >=, "+
		"GreaterThanThreshold or >, LessThanThreshold or <, LessThanOrEqualToThreshold or <=)", s)
}

// String is CloudWatch's name.
func (c Comparison) String() string {
	if n, ok := comparisonNames[c]; ok {
		return n[0]
	}
	return fmt.Sprintf("Comparison(%d)", int8(c))
}

// Symbol is the comparison as an operator: >=, >, <, <=.
func (c Comparison) Symbol() string {
	if n, ok := comparisonNames[c]; ok {
		return n[1]
	}
	return "?"
}

// Breaches reports whether v breaches threshold. NaN never breaches.
func (c Comparison) Breaches(v, threshold float64) bool {
	switch c {
	case GreaterThanOrEqual:
		return v >= threshold
	case GreaterThan:
		return v > threshold
	case LessThan:
		return v < threshold
	case LessThanOrEqual:
		return v <= threshold
	}
	return false
}

// describe is the comparison in words, for reasons.
func (c Comparison) describe() string { return comparisonNames[c][2] }
