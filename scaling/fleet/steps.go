package fleet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatAdjustments writes a step policy's adjustments as one line,
// "lower:upper:adjustment" per step, comma-separated, with open ends as
// -Inf and +Inf: short enough for a metric label, so that a monitored
// run records the policy it met and a report can replay it.
func FormatAdjustments(steps []StepAdjustment) string {
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = num(s.Lower) + ":" + num(s.Upper) + ":" + num(s.Adjustment)
	}
	return strings.Join(parts, ",")
}

// ParseAdjustments reads what FormatAdjustments wrote. It checks the
// form only; Config.Validate checks that the steps make a policy.
func ParseAdjustments(text string) ([]StepAdjustment, error) {
	if text == "" {
		return nil, fmt.Errorf("%w: no step adjustments", ErrInvalidConfig)
	}
	var out []StepAdjustment
	for _, part := range strings.Split(text, ",") {
		fields := strings.Split(part, ":")
		if len(fields) != 3 {
			return nil, fmt.Errorf("%w: step %q is not lower:upper:adjustment", ErrInvalidConfig, part)
		}
		var v [3]float64
		for i, f := range fields {
			n, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(n) {
				return nil, fmt.Errorf("%w: step %q: %q is not a number", ErrInvalidConfig, part, f)
			}
			v[i] = n
		}
		out = append(out, StepAdjustment{Lower: v[0], Upper: v[1], Adjustment: v[2]})
	}
	return out, nil
}
