package lambdatarget

import (
	"errors"
	"fmt"
	"time"

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
