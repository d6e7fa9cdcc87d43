package lambda

import (
	"errors"
	"fmt"
	"time"
)

// ScalingModel selects the rule that limits how fast new environments appear.
type ScalingModel string

// Scaling models. Current is what every account has had since late November
// 2023; Legacy reproduces load-test reports from before that.
const (
	// Current: each function may add 1,000 environments every 10 seconds,
	// refilled continuously; unused headroom does not accrue past 1,000.
	Current ScalingModel = "current"
	// Legacy: concurrency jumps at once to a burst (500, 1,000 or 3,000
	// by Region), then grows by 500 environments a minute while requests
	// are refused (legacyLimit).
	Legacy ScalingModel = "legacy"
)

// Rates of the two scaling models, as AWS documents them.
const (
	CurrentScaleStep   = 1000             // new environments per CurrentScaleWindow
	CurrentScaleWindow = 10 * time.Second // refilled continuously, capped at one step
	LegacyScaleStep    = 500              // new environments per LegacyScaleWindow after the burst
	LegacyScaleWindow  = time.Minute
)

// Limits fixed by AWS.
const (
	// UnreservedMinimum is the concurrency Lambda keeps unreserved for
	// functions without reserved concurrency; reservations cannot eat it.
	UnreservedMinimum = 100
	// MaxTimeout is the longest a function may be configured to run.
	MaxTimeout = 900 * time.Second
)

// ErrInvalidConfig is wrapped by every error Validate returns.
var ErrInvalidConfig = errors.New("invalid lambda config")

// Config describes one function and the account it runs in.
type Config struct {
	// AccountConcurrency is the Region's concurrent-executions quota.
	AccountConcurrency int `json:"account_concurrency"`
	// ReservedConcurrency caps the function and sets that much aside for
	// it; 0 means none. (AWS reads a reservation of 0 as "throttle every
	// call"; there is nothing to load-test in that, so 0 means unset here.)
	ReservedConcurrency int `json:"reserved_concurrency"`
	// ProvisionedConcurrency environments are initialised before the first
	// request, never expire, and count against the concurrency limit.
	ProvisionedConcurrency int `json:"provisioned_concurrency"`
	// ScalingModel is Current or Legacy.
	ScalingModel ScalingModel `json:"scaling_model"`
	// Burst is the legacy model's immediate allowance (3,000 in
	// us-east-1, us-west-2 and eu-west-1; 1,000 or 500 elsewhere).
	Burst int `json:"burst"`
	// RequestsPerEnvironment caps the invocation rate at this many per
	// second for each environment the function may have (10 on AWS);
	// 0 turns the rate limit off.
	RequestsPerEnvironment int `json:"requests_per_environment"`
	// RateWindow is the window, in model time, over which the rate limit
	// is counted. One second on AWS; a server running faster than real
	// time stretches it so that the limit stays per real second.
	RateWindow time.Duration `json:"rate_window_ns"`

	// HandlerDuration is how long the function code runs per invocation.
	HandlerDuration time.Duration `json:"handler_duration_ns"`
	// InitDuration is the cold start added to the first invocation of
	// every new environment.
	InitDuration time.Duration `json:"init_duration_ns"`
	// Timeout ends an invocation that runs longer (AWS default 3 s).
	Timeout time.Duration `json:"timeout_ns"`
	// IdleExpiry is how long an unused on-demand environment is kept
	// before Lambda reclaims it. AWS does not publish it.
	IdleExpiry time.Duration `json:"idle_expiry_ns"`
}

// DefaultConfig returns the AWS defaults from docs/scaling.md.
func DefaultConfig() Config {
	return Config{
		AccountConcurrency:     1000,
		ScalingModel:           Current,
		Burst:                  3000,
		RequestsPerEnvironment: 10,
		RateWindow:             time.Second,
		HandlerDuration:        100 * time.Millisecond,
		InitDuration:           200 * time.Millisecond,
		Timeout:                3 * time.Second,
		IdleExpiry:             10 * time.Minute,
	}
}

// ConcurrencyLimit is the most environments the function may have busy.
func (c Config) ConcurrencyLimit() int {
	if c.ReservedConcurrency > 0 {
		return c.ReservedConcurrency
	}
	return c.AccountConcurrency
}

// ConcurrencyNeeded is AWS's sizing rule: the concurrency a steady rate of
// rps invocations a second needs is rps × the handler duration (100
// requests/s of 0.5 s need 50). Cold starts add their init time on top
// while the function scales.
func (c Config) ConcurrencyNeeded(rps float64) float64 {
	return rps * c.HandlerDuration.Seconds()
}

// Hold is how long one invocation keeps its environment, and whether it
// times out: the init when it is a cold start (outside the timeout, as on
// AWS), then the handler, cut at the timeout. A timed-out environment is
// Reset rather than Released. The planner replays invocations with it.
func (c Config) Hold(cold bool) (d time.Duration, timedOut bool) {
	d = min(c.HandlerDuration, c.Timeout)
	if cold {
		d += c.InitDuration
	}
	return d, c.HandlerDuration > c.Timeout
}

// RateLimit is the most invocations the function may start per RateWindow,
// or 0 for no limit.
func (c Config) RateLimit() int {
	return c.RequestsPerEnvironment * c.ConcurrencyLimit()
}

// Validate reports every setting AWS would refuse or the model cannot run.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if c.AccountConcurrency < 1 {
		bad("account concurrency %d must be at least 1", c.AccountConcurrency)
	}
	if c.ReservedConcurrency < 0 {
		bad("reserved concurrency %d must not be negative", c.ReservedConcurrency)
	}
	if c.ReservedConcurrency > 0 && c.ReservedConcurrency > c.AccountConcurrency-UnreservedMinimum {
		bad("reserved concurrency %d leaves less than %d of account concurrency %d unreserved",
			c.ReservedConcurrency, UnreservedMinimum, c.AccountConcurrency)
	}
	if c.ProvisionedConcurrency < 0 || c.ProvisionedConcurrency > c.provisionedCeiling() {
		bad("provisioned concurrency %d must be between 0 and %d", c.ProvisionedConcurrency, c.provisionedCeiling())
	}
	if c.ScalingModel != Current && c.ScalingModel != Legacy {
		bad("scaling model %q must be %q or %q", c.ScalingModel, Current, Legacy)
	}
	if c.ScalingModel == Legacy && c.Burst < 1 {
		bad("burst %d must be at least 1", c.Burst)
	}
	if c.RequestsPerEnvironment < 0 || c.RateWindow <= 0 {
		bad("requests per environment must not be negative and the rate window must be positive")
	}
	errs = append(errs, c.validateDurations()...)
	return errors.Join(errs...)
}

// provisionedCeiling follows AWS: provisioned concurrency fits inside the
// reservation, or else inside the account minus the unreserved minimum.
func (c Config) provisionedCeiling() int {
	if c.ReservedConcurrency > 0 {
		return c.ReservedConcurrency
	}
	return max(0, c.AccountConcurrency-UnreservedMinimum)
}

func (c Config) validateDurations() []error {
	var errs []error
	if c.HandlerDuration < 0 || c.InitDuration < 0 {
		errs = append(errs, fmt.Errorf("%w: handler and init durations must not be negative", ErrInvalidConfig))
	}
	if c.Timeout <= 0 || c.Timeout > MaxTimeout {
		errs = append(errs, fmt.Errorf("%w: timeout %v must be in (0, %v]", ErrInvalidConfig, c.Timeout, MaxTimeout))
	}
	if c.IdleExpiry <= 0 {
		errs = append(errs, fmt.Errorf("%w: idle expiry %v must be positive", ErrInvalidConfig, c.IdleExpiry))
	}
	return errs
}
