package compare

import (
	"fmt"
	"strings"

	"github.com/surge-dev/surge/internal/decimal"
)

// ParseMargins reads --margin values: "5%" sets every metric's relative
// margin; "p99=10%" one metric's; "error_rate=0.2pp" a rate's absolute
// floor in percentage points. Each value may hold several, comma
// separated; an empty one (5%,,p99=10%) is an error. Later values win.
func ParseMargins(specs []string) (Margin, map[Metric]Margin, error) {
	all := DefaultMargin
	per := map[Metric]Margin{}
	for _, spec := range specs {
		for i, part := range strings.Split(spec, ",") {
			if strings.TrimSpace(part) == "" {
				return Margin{}, nil, fmt.Errorf("%q: item %d is empty", spec, i+1)
			}
			if err := parseMargin(strings.TrimSpace(part), &all, per); err != nil {
				return Margin{}, nil, err
			}
		}
	}
	return all, per, nil
}

func parseMargin(s string, all *Margin, per map[Metric]Margin) error {
	name, amount, scoped := strings.Cut(s, "=")
	if !scoped {
		rel, err := percent(s)
		all.Relative = rel
		return err
	}
	m, err := ParseMetric(name)
	if err != nil {
		return fmt.Errorf("margin %q: %w", s, err)
	}
	g, ok := per[m]
	if !ok {
		g = Margin{Relative: all.Relative, Absolute: DefaultMargin.Absolute}
	}
	if pp, isPP := strings.CutSuffix(amount, "pp"); isPP {
		if !m.IsRate() {
			return fmt.Errorf("margin %q: percentage points are for error_rate and failure_rate; %s takes a percentage", s, m)
		}
		v, err := number(pp, s)
		g.Relative, g.Absolute = 0, v/100
		per[m] = g
		return err
	}
	g.Relative, err = percent(amount)
	per[m] = g
	return err
}

// percent reads "5%" as 0.05.
func percent(s string) (float64, error) {
	v, ok := strings.CutSuffix(s, "%")
	if !ok {
		return 0, fmt.Errorf("margin %q: want a percentage such as 5%%", s)
	}
	f, err := number(v, s)
	return f / 100, err
}

// number reads a decimal number: strconv alone would take 0x1p-2 as 0.25.
func number(v, whole string) (float64, error) {
	f, err := decimal.ParseFloat(v)
	if err != nil || !(f >= 0 && f < 1000) { // NaN too
		return 0, fmt.Errorf("margin %q: want a number from 0 to 1000", whole)
	}
	return f, nil
}
