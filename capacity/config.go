package capacity

import (
	"errors"
	"fmt"
	"math"
)

// Mode is the load model a search varies.
type Mode int8

const (
	// Rate varies the arrival rate (the open model): arrivals keep coming
	// whatever the server does, so an overloaded server shows as a queue.
	Rate Mode = iota
	// Users varies the number of looping users (the closed model).
	Users
)

// Unit names the load's unit.
func (m Mode) Unit() string {
	if m == Users {
		return "users"
	}
	return "req/s"
}

// Config is how a search looks for the highest sustainable load.
type Config struct {
	Mode Mode
	SLO  []Objective
	// Start is the first load probed; Max the highest the search may try
	// (0: no limit).
	Start, Max float64
	// Growth multiplies the load after each passing probe until one fails
	// (0: 2).
	Growth float64
	// Precision is the bracket the search narrows to: it stops when the
	// lowest failing load is within Precision of the highest passing one
	// (0: 0.05, ±5 % of the rate).
	Precision float64
	// MinAchieved is the share of the offered rate a probe must complete
	// (0: 0.98).
	MinAchieved float64
	// Confidence is the one-sided confidence of every verdict: a probe
	// passes when each objective's interval at this level is inside its
	// limit (0: 0.95).
	Confidence float64
	// Resamples of the bootstrap (0: 400).
	Resamples int
	// Extensions is how many more probes an UNSURE load gets, their
	// seconds joining the first's, before it counts as not shown to hold
	// (0: 2; negative: none).
	Extensions int
	// Confirmations is how many probes at the answer must pass on their
	// own before the search ends (0: 1; negative: none).
	Confirmations int
	// MaxProbes bounds the search (0: 30).
	MaxProbes int
	// Headroom is the share of the answer recommended as the operating
	// point (0: 0.8).
	Headroom float64
	// Generator says when the load generator itself is saturated.
	Generator GeneratorLimits
	Seed      uint64
}

// GeneratorLimits say when the generator is its own bottleneck.
type GeneratorLimits struct {
	// MaxCPU is the share of the cores the generator may use that it may
	// be busy (0: 0.9).
	MaxCPU float64
	// MaxLagMs is how late, at the 99th percentile, the generator's own
	// timers may fire (0: 10 ms).
	MaxLagMs float64
}

func (c Config) withDefaults() Config {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Growth, 2)
	def(&c.Precision, 0.05)
	def(&c.MinAchieved, 0.98)
	def(&c.Confidence, 0.95)
	def(&c.Headroom, 0.8)
	def(&c.Generator.MaxCPU, 0.9)
	def(&c.Generator.MaxLagMs, 10)
	if c.Resamples == 0 {
		c.Resamples = 400
	}
	c.Extensions = orDefault(c.Extensions, 2)
	c.Confirmations = orDefault(c.Confirmations, 1)
	if c.MaxProbes == 0 {
		c.MaxProbes = 30
	}
	return c
}

func orDefault(v, d int) int {
	switch {
	case v == 0:
		return d
	case v < 0:
		return 0
	}
	return v
}

// Validate reports a configuration the search cannot run.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case len(c.SLO) == 0:
		return errors.New("no SLO: give at least one objective, e.g. 'p99<300ms'")
	case !(c.Start > 0) || math.IsInf(c.Start, 0):
		return fmt.Errorf("start load %g: must be above 0", c.Start)
	case c.Max != 0 && !(c.Max >= c.Start):
		return fmt.Errorf("max load %g: must be at least the start load %g", c.Max, c.Start)
	case !(c.Growth > 1) || c.Growth > 100:
		return fmt.Errorf("growth %g: must be above 1 and at most 100", c.Growth)
	case !(c.Precision > 0) || c.Precision >= 1:
		return fmt.Errorf("precision %g: must be above 0 and below 1 (e.g. 0.05 for 5%%)", c.Precision)
	case !(c.MinAchieved > 0) || c.MinAchieved > 1:
		return fmt.Errorf("minimum achieved share %g: must be above 0 and at most 1", c.MinAchieved)
	case !(c.Confidence >= 0.5) || c.Confidence >= 1:
		return fmt.Errorf("confidence %g: must be at least 0.5 and below 1", c.Confidence)
	case !(c.Headroom > 0) || c.Headroom > 1:
		return fmt.Errorf("headroom %g: must be above 0 and at most 1", c.Headroom)
	case c.Mode == Users && c.Start != math.Trunc(c.Start):
		return fmt.Errorf("start %g: users are whole", c.Start)
	}
	return nil
}
