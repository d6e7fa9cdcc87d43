package alert

// Point is one period's datapoint as an evaluation sees it; the tables of
// the CloudWatch documentation write them -, 0 and X.
type Point int8

// The three kinds of datapoint.
const (
	NoData Point = iota // the period has no datapoint (-)
	Within              // a datapoint within the threshold (0)
	Breach              // a datapoint breaching the threshold (X)
)

// Decision is the outcome of one evaluation and how it was reached.
type Decision struct {
	State     State
	Evaluated int  // datapoints evaluated: N, or the present ones when fewer exist and missing data is not filled
	Breaching int  // of them, how many breach
	Filled    int  // missing datapoints filled in by the treatment of missing data
	Kept      bool // the state was kept: ignore, or a percentile from too small a sample
	Premature bool // ALARM from a lone old breaching datapoint (see Evaluate)
	LowSample bool // kept because the newest datapoint had too few samples
}

// Evaluate decides the state of an alarm from the datapoints of its
// evaluation range, oldest first, as the CloudWatch documentation
// describes it:
//
//   - With at least N present datapoints in the range, the newest N of them
//     are evaluated; the treatment of missing data plays no part.
//   - With fewer, every present datapoint is evaluated, and breaching and
//     notBreaching fill in just enough missing ones to make N.
//   - Either way, M or more breaching datapoints is ALARM, fewer is OK.
//   - missing fills nothing. No present datapoint at all is
//     INSUFFICIENT_DATA; a present one within the threshold makes fewer than
//     M breaching an OK. When every present datapoint breaches but fewer than
//     M do, the alarm waits in INSUFFICIENT_DATA, since the next datapoint
//     may be within the threshold, unless the oldest of them is at least M
//     periods old: then it is ALARM (the documentation's "avoiding
//     premature transitions to alarm state").
//   - ignore decides as missing does where present datapoints decide, and
//     keeps the current state where missing data would (no datapoint, or
//     the premature rule).
func (r Rule) Evaluate(points []Point, current State) Decision {
	n, m := r.EvaluationPeriods, r.M()
	present := presentPoints(points)
	if len(present) >= n {
		return counted(present[len(present)-n:], m, 0)
	}
	switch r.TreatMissing {
	case Breaching:
		return counted(append(present, repeat(Breach, n-len(present))...), m, n-len(present))
	case NotBreaching:
		return counted(append(present, repeat(Within, n-len(present))...), m, n-len(present))
	}
	d := partial(points, present, m)
	if r.TreatMissing == Ignore && (d.State == StateInsufficientData || d.Premature) {
		d.State, d.Kept = current, true
	}
	return d
}

// presentPoints returns the datapoints that exist, oldest first.
func presentPoints(points []Point) []Point {
	present := make([]Point, 0, len(points))
	for _, p := range points {
		if p != NoData {
			present = append(present, p)
		}
	}
	return present
}

func repeat(p Point, k int) []Point {
	out := make([]Point, k)
	for i := range out {
		out[i] = p
	}
	return out
}

// counted is M out of the evaluated datapoints.
func counted(evaluated []Point, m, filled int) Decision {
	d := Decision{State: StateOK, Evaluated: len(evaluated), Filled: filled}
	for _, p := range evaluated {
		if p == Breach {
			d.Breaching++
		}
	}
	if d.Breaching >= m {
		d.State = StateAlarm
	}
	return d
}

// partial decides from fewer than N present datapoints, missing ones left
// missing.
func partial(points, present []Point, m int) Decision {
	d := counted(present, m, 0)
	switch {
	case len(present) == 0:
		d.State = StateInsufficientData
	case d.State == StateAlarm || d.Breaching < len(present):
		// M breaching, or evidence within the threshold: decided.
	case oldestAge(points) >= m:
		d.State, d.Premature = StateAlarm, true
	default:
		d.State = StateInsufficientData
	}
	return d
}

// oldestAge is how many periods old the oldest present datapoint is, the
// newest period being 1.
func oldestAge(points []Point) int {
	for i, p := range points {
		if p != NoData {
			return len(points) - i
		}
	}
	return 0
}
