package selfwatch

import "math"

// Second is what the generator measured of itself over one interval.
type Second struct {
	Index     int     // the interval's index (seconds since the start)
	DurationS float64 // the interval's length
	// Arrivals is how many open-model arrivals were sent in the interval;
	// LagP99Ms and LagMaxMs are how late (99th percentile and most) they
	// were sent after their intended time. Zero arrivals: no send lag.
	Arrivals           int64
	LagP99Ms, LagMaxMs float64
	// TimerLagP99Ms is how late the self-watch's own timer fired (99th
	// percentile): the lag of any goroutine the generator wakes, in
	// either load model.
	TimerLagP99Ms float64
	// CPU is the process's CPU time over the interval as a share of Cores
	// (1: every core busy); NaN where the platform does not say.
	CPU   float64
	Cores int
	// ConnsOpened is how many connections the generator opened.
	ConnsOpened int64
}

// Lag is the second's worst evidence of lateness: the send lag when
// arrivals were sent, and the timer's lag, whichever is higher (ms).
func (s Second) Lag() float64 {
	return math.Max(s.LagP99Ms, s.TimerLagP99Ms)
}

// Limits say when the generator is its own bottleneck.
type Limits struct {
	// MaxCPU is the share of its cores at which the generator counts as
	// busy (0: DefaultMaxCPU).
	MaxCPU float64
	// MaxLagMs is the lag (99th percentile, ms) past which a busy
	// generator counts as late (0: DefaultMaxLagMs).
	MaxLagMs float64
	// RunawayShare: a send lag whose maximum grew by more than this share
	// of the interval since the interval before means the pacer falls
	// ever further behind, busy or not (0: DefaultRunawayShare).
	RunawayShare float64
	// Enter is how many strained seconds in a row make the generator
	// bound, Leave how many healthy seconds in a row free it (0: 2 each).
	Enter, Leave int
}

// Defaults of Limits. A busy generator late by 10 ms at the 99th
// percentile distorts the latencies it measures; a backlog that grows by
// a quarter of a second every second is a collapse, not noise: a machine
// shared with other work delays timers by milliseconds, not by that.
const (
	DefaultMaxCPU       = 0.9
	DefaultMaxLagMs     = 10
	DefaultRunawayShare = 0.25
	defaultStreak       = 2
)

// WithDefaults fills the zero fields of l.
func (l Limits) WithDefaults() Limits {
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxCPU, DefaultMaxCPU)
	def(&l.MaxLagMs, DefaultMaxLagMs)
	def(&l.RunawayShare, DefaultRunawayShare)
	if l.Enter <= 0 {
		l.Enter = defaultStreak
	}
	if l.Leave <= 0 {
		l.Leave = defaultStreak
	}
	return l
}

// Why a second was strained.
const (
	Busy    = "busy"    // late while its CPU was at the limit
	Runaway = "runaway" // its send lag grew by more than the limit allows
)

// Strained says why s, following prev (nil for the first second), shows
// a generator that could not keep up ("" when it kept up). l must have
// its defaults.
func Strained(prev *Second, s Second, l Limits) string {
	late := s.Lag() > l.MaxLagMs
	if late && !math.IsNaN(s.CPU) && s.CPU >= l.MaxCPU {
		return Busy
	}
	if s.Arrivals == 0 || s.LagP99Ms <= l.MaxLagMs {
		return ""
	}
	before := 0.0
	if prev != nil && prev.Arrivals > 0 {
		before = prev.LagMaxMs
	}
	if s.LagMaxMs-before > l.RunawayShare*s.DurationS*1000 {
		return Runaway
	}
	return ""
}
