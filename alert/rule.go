package alert

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// MaxEvaluationSpan bounds EvaluationPeriods × Period, as CloudWatch does
// (one day).
const MaxEvaluationSpan = 24 * time.Hour

// Rule is an alarm's definition: CloudWatch's PutMetricAlarm settings
// that decide its state.
type Rule struct {
	// Period is the length of the time each datapoint summarises: a
	// whole number of seconds, Surge's resolution.
	Period time.Duration
	// EvaluationPeriods (N) is how many datapoints an evaluation looks at.
	EvaluationPeriods int
	// DatapointsToAlarm (M) is how many of those must breach for ALARM;
	// 0 means N, CloudWatch's default.
	DatapointsToAlarm int
	// EvaluationRange is how many of the most recent periods an
	// evaluation retrieves, so that missing ones can be made up from
	// older real datapoints. CloudWatch fetches more than N but does not
	// publish how many; 0 means N+2, the range of its worked examples
	// (N = 3, range 5).
	EvaluationRange int
	Comparison      Comparison
	Threshold       float64
	TreatMissing    MissingData
	// Statistic is what each datapoint is; its percentile rank sets the
	// sample size the low-sample rule asks for.
	Statistic Statistic
	LowSample LowSample
	// Unit writes the threshold and datapoints in reasons (300ms, 1%);
	// the zero value, Raw, writes plain numbers.
	Unit Unit
}

// M is DatapointsToAlarm with its default applied.
func (r Rule) M() int {
	if r.DatapointsToAlarm == 0 {
		return r.EvaluationPeriods
	}
	return r.DatapointsToAlarm
}

// Range is EvaluationRange with its default applied.
func (r Rule) Range() int {
	if r.EvaluationRange == 0 {
		return r.EvaluationPeriods + 2
	}
	return r.EvaluationRange
}

// Validate reports the first setting CloudWatch would refuse or that
// would make the alarm meaningless.
func (r Rule) Validate() error {
	switch {
	case r.Period < time.Second || r.Period%time.Second != 0:
		return fmt.Errorf("period %v: must be a whole number of seconds, at least 1s", r.Period)
	case r.EvaluationPeriods < 1:
		return fmt.Errorf("evaluation periods %d: must be at least 1", r.EvaluationPeriods)
	case r.Period*time.Duration(r.EvaluationPeriods) > MaxEvaluationSpan:
		return fmt.Errorf("evaluation periods × period = %v: must not exceed %v", r.Period*time.Duration(r.EvaluationPeriods), MaxEvaluationSpan)
	case r.DatapointsToAlarm < 0 || r.DatapointsToAlarm > r.EvaluationPeriods:
		return fmt.Errorf("datapoints to alarm %d: must be from 1 to the evaluation periods (%d)", r.DatapointsToAlarm, r.EvaluationPeriods)
	case r.EvaluationRange != 0 && r.EvaluationRange < r.EvaluationPeriods:
		return fmt.Errorf("evaluation range %d: must be at least the evaluation periods (%d)", r.EvaluationRange, r.EvaluationPeriods)
	case r.Period*time.Duration(r.Range()) > 2*MaxEvaluationSpan: // bounds an alarm's memory
		return fmt.Errorf("evaluation range × period = %v: must not exceed %v", r.Period*time.Duration(r.Range()), 2*MaxEvaluationSpan)
	case comparisonNames[r.Comparison][0] == "":
		return errors.New("comparison: missing")
	case math.IsNaN(r.Threshold) || math.IsInf(r.Threshold, 0):
		return fmt.Errorf("threshold %v: must be a finite number", r.Threshold)
	case r.LowSample == IgnoreLowSample && r.Statistic.MinSamples() == 0:
		return fmt.Errorf("evaluateLowSampleCountPercentile: applies only to a percentile from p0 to p100 (exclusive), not %v", r.Statistic)
	}
	return nil
}
