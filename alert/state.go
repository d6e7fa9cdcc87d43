package alert

import (
	"fmt"
	"strings"
)

// State is an alarm's state. The zero value is INSUFFICIENT_DATA, the
// state of an alarm that has just started.
type State int8

// The three states of a CloudWatch metric alarm.
const (
	StateInsufficientData State = iota
	StateOK
	StateAlarm
)

func (s State) String() string {
	switch s {
	case StateOK:
		return "OK"
	case StateAlarm:
		return "ALARM"
	default:
		return "INSUFFICIENT_DATA"
	}
}

// MissingData is how an evaluation treats a period without a datapoint
// (CloudWatch's TreatMissingData). The zero value is Missing, CloudWatch's
// default.
type MissingData int8

// The four treatments of missing data.
const (
	Missing      MissingData = iota // decide on the real datapoints; none at all is INSUFFICIENT_DATA
	Ignore                          // keep the current state where missing data would decide
	Breaching                       // a missing datapoint counts as breaching
	NotBreaching                    // a missing datapoint counts as within the threshold
)

var missingNames = []string{"missing", "ignore", "breaching", "notBreaching"}

func (m MissingData) String() string { return missingNames[m] }

// ParseMissingData reads CloudWatch's names: missing, ignore, breaching,
// notBreaching.
func ParseMissingData(s string) (MissingData, error) {
	for i, n := range missingNames {
		if s == n {
			return MissingData(i), nil
		}
	}
	return 0, fmt.Errorf("unknown treatment of missing data %q (known: %s)", s, strings.Join(missingNames, ", "))
}

// LowSample is what a percentile alarm does with a datapoint computed
// from too few values (CloudWatch's EvaluateLowSampleCountPercentile).
// The zero value, Evaluate, is CloudWatch's default.
type LowSample int8

// The two choices of EvaluateLowSampleCountPercentile.
const (
	EvaluateLowSample LowSample = iota // evaluate as usual
	IgnoreLowSample                    // keep the state while the period's sample is too small
)

// ParseLowSample reads CloudWatch's names: evaluate, ignore.
func ParseLowSample(s string) (LowSample, error) {
	switch s {
	case "evaluate":
		return EvaluateLowSample, nil
	case "ignore":
		return IgnoreLowSample, nil
	}
	return 0, fmt.Errorf("unknown low-sample choice %q (known: evaluate, ignore)", s)
}

func (l LowSample) String() string {
	if l == IgnoreLowSample {
		return "ignore"
	}
	return "evaluate"
}
