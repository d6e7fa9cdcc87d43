package lambda

import "fmt"

// Throttle says why an invocation was refused, or None.
type Throttle uint8

// Throttle causes. Each maps to the Reason field AWS puts in a
// TooManyRequestsException (see [Throttle.Reason]).
const (
	None                Throttle = iota
	AccountConcurrency           // all of the account's concurrency is busy
	ReservedConcurrency          // the function's reservation is busy
	AccountRate                  // invocation rate above 10 × account concurrency
	ReservedRate                 // invocation rate above 10 × reserved concurrency
	ScalingRate                  // a new environment was needed and the scaling rate had none left
)

// AWS Reason values of TooManyRequestsException.
const (
	ReasonConcurrentInvocationLimitExceeded                 = "ConcurrentInvocationLimitExceeded"
	ReasonReservedFunctionConcurrentInvocationLimitExceeded = "ReservedFunctionConcurrentInvocationLimitExceeded"
	ReasonFunctionInvocationRateLimitExceeded               = "FunctionInvocationRateLimitExceeded"
	ReasonReservedFunctionInvocationRateLimitExceeded       = "ReservedFunctionInvocationRateLimitExceeded"
)

// Reason is the Reason AWS returns for this throttle. AWS documents no
// separate reason for running out of scaling rate, so ScalingRate is
// reported as a concurrency limit, which is what a client sees; the
// distinction survives in String and in the throttle counts.
func (t Throttle) Reason() string {
	switch t {
	case AccountConcurrency, ScalingRate:
		return ReasonConcurrentInvocationLimitExceeded
	case ReservedConcurrency:
		return ReasonReservedFunctionConcurrentInvocationLimitExceeded
	case AccountRate:
		return ReasonFunctionInvocationRateLimitExceeded
	case ReservedRate:
		return ReasonReservedFunctionInvocationRateLimitExceeded
	}
	return ""
}

// String is a short label, used for metrics.
func (t Throttle) String() string {
	switch t {
	case None:
		return "none"
	case AccountConcurrency:
		return "account_concurrency"
	case ReservedConcurrency:
		return "reserved_concurrency"
	case AccountRate:
		return "account_rate"
	case ReservedRate:
		return "reserved_rate"
	case ScalingRate:
		return "scaling_rate"
	}
	return fmt.Sprintf("throttle(%d)", uint8(t))
}

// Throttles lists every cause except None, in declaration order.
var Throttles = []Throttle{AccountConcurrency, ReservedConcurrency, AccountRate, ReservedRate, ScalingRate}

// ThrottleCounts counts refused invocations by cause.
type ThrottleCounts struct {
	AccountConcurrency  uint64 `json:"account_concurrency"`
	ReservedConcurrency uint64 `json:"reserved_concurrency"`
	AccountRate         uint64 `json:"account_rate"`
	ReservedRate        uint64 `json:"reserved_rate"`
	ScalingRate         uint64 `json:"scaling_rate"`
}

// Of returns the count for one cause.
func (c ThrottleCounts) Of(t Throttle) uint64 {
	if p := c.field(t); p != nil {
		return *p
	}
	return 0
}

// Total is the CloudWatch Throttles metric: every refused invocation.
func (c ThrottleCounts) Total() uint64 {
	return c.AccountConcurrency + c.ReservedConcurrency + c.AccountRate + c.ReservedRate + c.ScalingRate
}

// Add counts one refusal of cause t; None counts nothing. The planner
// tallies its per-second throttles with it, so that the causes stay the
// model's.
func (c *ThrottleCounts) Add(t Throttle) { c.add(t) }

func (c *ThrottleCounts) add(t Throttle) {
	if p := c.field(t); p != nil {
		*p++
	}
}

func (c *ThrottleCounts) field(t Throttle) *uint64 {
	switch t {
	case AccountConcurrency:
		return &c.AccountConcurrency
	case ReservedConcurrency:
		return &c.ReservedConcurrency
	case AccountRate:
		return &c.AccountRate
	case ReservedRate:
		return &c.ReservedRate
	case ScalingRate:
		return &c.ScalingRate
	}
	return nil
}
