package testbed

import (
	"fmt"
	"time"
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

// Validate reports knobs that make no sense.
func (c Config) Validate() error {
	switch {
	case c.CPU < 0 || c.Latency < 0 || c.Jitter < 0:
		return fmt.Errorf("CPU %v, latency %v and jitter %v must not be negative", c.CPU, c.Latency, c.Jitter)
	case !(c.ErrorRate >= 0 && c.ErrorRate <= 1): // written so that NaN fails too
		return fmt.Errorf("error rate %v must be between 0 and 1", c.ErrorRate)
	case c.MaxConcurrency < 0 || c.Workers < 0:
		return fmt.Errorf("max concurrency %d and workers %d must not be negative", c.MaxConcurrency, c.Workers)
	case (c.StallEvery > 0) != (c.StallFor > 0) || (c.StallFor > 0 && c.StallFor >= c.StallEvery):
		return fmt.Errorf("stall every %v for %v: the two go together, and the stall must be shorter than the period", c.StallEvery, c.StallFor)
	}
	return nil
}
