package lambdatarget

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/surge-dev/surge/scaling/lambda"
)

// Mode is the front door the function is invoked through.
type Mode string

// Modes.
const (
	FunctionURL Mode = "url"   // Lambda Function URL: throttles are 429
	APIGateway  Mode = "apigw" // API Gateway REST proxy: throttles are 500
)

// DefaultIntegrationTimeout is API Gateway's default (and, for most APIs,
// maximum) integration timeout.
const DefaultIntegrationTimeout = 29 * time.Second

// Config is the function, its front door and the speed of its clock.
type Config struct {
	// Config is the model. RateWindow is in real time here; the server
	// stretches it onto the model's clock.
	lambda.Config
	// HandlerCPU is CPU time the handler burns after HandlerDuration.
	HandlerCPU time.Duration
	// Mode is FunctionURL or APIGateway.
	Mode Mode
	// IntegrationTimeout is API Gateway's limit (apigw mode only).
	IntegrationTimeout time.Duration
	// TimeScale is how many virtual seconds pass per real second.
	TimeScale float64
}

// DefaultConfig returns the AWS defaults, a Function URL and real time.
func DefaultConfig() Config {
	return Config{
		Config:             lambda.DefaultConfig(),
		Mode:               FunctionURL,
		IntegrationTimeout: DefaultIntegrationTimeout,
		TimeScale:          1,
	}
}

// RegisterFlags registers the emulator's flags on fs, with c's current
// values as defaults; parsing fs writes into c.
func (c *Config) RegisterFlags(fs *pflag.FlagSet) {
	fs.DurationVar(&c.HandlerDuration, "handler-duration", c.HandlerDuration, "time the handler waits per invocation (real time)")
	fs.DurationVar(&c.HandlerCPU, "handler-cpu", c.HandlerCPU, "CPU time the handler burns per invocation, after --handler-duration")
	fs.DurationVar(&c.InitDuration, "init-duration", c.InitDuration, "cold start added to the first invocation of each new environment")
	fs.IntVar(&c.AccountConcurrency, "account-concurrency", c.AccountConcurrency, "account concurrent-executions quota")
	fs.IntVar(&c.ReservedConcurrency, "reserved-concurrency", c.ReservedConcurrency, "reserved concurrency for the function (0: none)")
	fs.IntVar(&c.ProvisionedConcurrency, "provisioned-concurrency", c.ProvisionedConcurrency, "pre-initialised environments")
	fs.StringVar((*string)(&c.ScalingModel), "scaling-model", string(c.ScalingModel), "scaling rate: current (1,000 per 10 s) or legacy (burst, then 500 a minute)")
	fs.IntVar(&c.Burst, "burst", c.Burst, "legacy scaling model's immediate burst (3000, 1000 or 500 by Region)")
	fs.DurationVar(&c.Timeout, "timeout", c.Timeout, "function timeout (at most 15m)")
	fs.DurationVar(&c.IdleExpiry, "idle-expiry", c.IdleExpiry, "how long an idle environment is kept (virtual time)")
	fs.StringVar((*string)(&c.Mode), "mode", string(c.Mode), "front door: url (Function URL) or apigw (API Gateway REST proxy)")
	fs.DurationVar(&c.IntegrationTimeout, "integration-timeout", c.IntegrationTimeout, "API Gateway integration timeout (apigw mode)")
	fs.Float64Var(&c.TimeScale, "time-scale", c.TimeScale, "virtual seconds per real second for the scaling rules (60: a minute per second)")
}

// Validate reports every setting the server cannot run.
func (c Config) Validate() error {
	errs := []error{c.Config.Validate()}
	if c.Mode != FunctionURL && c.Mode != APIGateway {
		errs = append(errs, fmt.Errorf("mode %q must be %q or %q", c.Mode, FunctionURL, APIGateway))
	}
	if c.HandlerCPU < 0 {
		errs = append(errs, fmt.Errorf("handler CPU %v must not be negative", c.HandlerCPU))
	}
	if c.Mode == APIGateway && c.IntegrationTimeout <= 0 {
		errs = append(errs, fmt.Errorf("integration timeout %v must be positive", c.IntegrationTimeout))
	}
	if !(c.TimeScale > 0) {
		errs = append(errs, fmt.Errorf("time scale %v must be positive", c.TimeScale))
	}
	return errors.Join(errs...)
}

// model is the model's configuration with the rate window moved onto the
// virtual clock, so that the rate limit stays per real second.
func (c Config) model() lambda.Config {
	m := c.Config
	m.RateWindow = time.Duration(float64(c.RateWindow) * c.TimeScale)
	return m
}
