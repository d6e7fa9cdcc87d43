package compare

import (
	"fmt"
	"math"
)

// Verdict is what a row concludes.
type Verdict int

// The verdicts.
const (
	// NoChange: the interval of the change lies inside the margin (a
	// two one-sided tests equivalence at level α).
	NoChange Verdict = iota
	// Improved and Regressed: the change is significant after Holm's
	// correction and its estimate lies beyond the margin.
	Improved
	Regressed
	// Inconclusive: neither; the row says how large a change this run
	// length could have detected.
	Inconclusive
)

var verdictNames = [...]string{"no change", "improved", "regressed", "inconclusive"}

func (v Verdict) String() string {
	if v < 0 || int(v) >= len(verdictNames) {
		return fmt.Sprintf("verdict(%d)", int(v))
	}
	return verdictNames[v]
}

// MarshalText writes the verdict's name, for JSON.
func (v Verdict) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// MarshalText writes the metric's name, for JSON.
func (m Metric) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Margin is the practical margin of one metric: changes inside it are "no
// change" however significant. Ratio metrics use Relative (0.05 = ±5 %).
// Rates use the larger of Relative times the base's rate and Absolute (a
// fraction: 0.001 = 0.1 percentage point), so that 0 → 0.01 % is not a
// regression and 20 % → 21 % is not "no change".
type Margin struct {
	Relative float64 `json:"relative"`
	Absolute float64 `json:"absolute,omitempty"`
}

// DefaultMargin is ±5 %, with a floor of 0.1 percentage point for rates.
var DefaultMargin = Margin{Relative: 0.05, Absolute: 0.001}

// width is the margin of metric m in the row's effect units: a relative
// change for ratio metrics, a difference of fractions for rates.
func (g Margin) width(m Metric, baseRate float64) float64 {
	if m.IsRate() {
		return max(g.Relative*baseRate, g.Absolute)
	}
	return g.Relative
}

// power is the chance of detection that the minimum detectable effect is
// quoted at.
const power = 0.8

// decide sets the row's verdict from its adjusted p-value, its effect and
// its equivalence interval (all in effect units, worse direction
// positive after the sign flip for throughput).
func (r *Row) decide(alpha float64) {
	sign := 1.0
	if !r.Metric.higherIsWorse() {
		sign = -1
	}
	worse := sign * r.effect()
	lo, hi := r.equivalence[0], r.equivalence[1]
	switch {
	case math.IsNaN(r.PAdjusted):
		r.Verdict = Inconclusive
	case r.PAdjusted < alpha && worse > r.MarginWidth:
		r.Verdict = Regressed
	case r.PAdjusted < alpha && -worse > r.MarginWidth:
		r.Verdict = Improved
	case lo >= -r.MarginWidth && hi <= r.MarginWidth:
		r.Verdict = NoChange
	default:
		r.Verdict = Inconclusive
	}
}

// effect is the row's change: head/base − 1, or head − base for rates.
func (r *Row) effect() float64 {
	if r.Metric.IsRate() {
		return r.Diff
	}
	return r.Ratio - 1
}

// detectable fills in, for an inconclusive row, the smallest change this
// run length detects 80 % of the time at the row's share of α after
// Holm's correction at its harshest (α/m), and how many times longer the
// runs would have to be for that to shrink to the margin (the standard
// error falls as one over the square root of the length).
func (r *Row) detectable(alpha float64, tests int) {
	if r.Verdict != Inconclusive || r.se <= 0 || math.IsNaN(r.se) {
		return
	}
	z := critical(1-alpha/(2*float64(max(tests, 1))), r.DF) + normalQuantile(power)
	reach := z * r.se
	if r.Metric.IsRate() {
		r.MDE = reach
		r.LengthFactor = math.Pow(reach/r.MarginWidth, 2)
		return
	}
	r.MDE = math.Expm1(reach)
	r.LengthFactor = math.Pow(reach/math.Log1p(r.MarginWidth), 2)
}
