package testbed

import (
	"errors"
	"time"

	"github.com/spf13/pflag"
)

// Config holds the server-wide knobs. The zero value is a fast server.
type Config struct {
	CPU            time.Duration // CPU burnt by every request
	Latency        time.Duration // added to every request
	Jitter         time.Duration // uniform extra latency in [0, Jitter)
	ErrorRate      float64       // fraction of requests answered 500
	MaxConcurrency int           // requests above it get 503 (0: no limit)
	// Workers serve at most this many requests at once; the rest wait in
	// line (0: no limit). With Latency S and no other cost, capacity is
	// exactly Workers/S requests a second: a target of known capacity.
	Workers    int
	StallEvery time.Duration // every StallEvery ...
	StallFor   time.Duration // ... hold all requests for StallFor
}

// RegisterFlags adds the knobs to a flag set.
func (c *Config) RegisterFlags(fs *pflag.FlagSet) {
	fs.DurationVar(&c.CPU, "cpu-ms", c.CPU, "CPU time burnt by every request (e.g. 2ms)")
	fs.DurationVar(&c.Latency, "latency", c.Latency, "latency added to every request (e.g. 20ms)")
	fs.DurationVar(&c.Jitter, "jitter", c.Jitter, "uniform random extra latency up to this")
	fs.Float64Var(&c.ErrorRate, "error-rate", c.ErrorRate, "fraction of requests answered with 500 (0..1)")
	fs.IntVar(&c.MaxConcurrency, "max-concurrency", c.MaxConcurrency, "answer 503 above this many requests in flight (0: no limit)")
	fs.IntVar(&c.Workers, "workers", c.Workers, "serve at most this many requests at once, the rest wait in line: with --latency S, capacity is workers/S a second (0: no limit)")
	fs.DurationVar(&c.StallEvery, "stall-every", c.StallEvery, "stall the whole server once per this period (with --stall-for)")
	fs.DurationVar(&c.StallFor, "stall-for", c.StallFor, "how long each stall holds every request")
}

// Validate reports knobs that make no sense.
func (c Config) Validate() error {
	switch {
	case c.CPU < 0 || c.Latency < 0 || c.Jitter < 0:
		return errors.New("durations must not be negative")
	case c.ErrorRate < 0 || c.ErrorRate > 1:
		return errors.New("--error-rate must be between 0 and 1")
	case c.MaxConcurrency < 0 || c.Workers < 0:
		return errors.New("--max-concurrency and --workers must not be negative")
	case (c.StallEvery > 0) != (c.StallFor > 0) || (c.StallFor > 0 && c.StallFor >= c.StallEvery):
		return errors.New("--stall-every and --stall-for go together, and the stall must be shorter than the period")
	}
	return nil
}
