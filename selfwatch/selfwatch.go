package selfwatch

import "math"

// Second is what the generator measured of itself over one interval.
type Second struct {
	Index     int     // the interval's index (seconds since the start)
	DurationS float64 // the interval's length
	// Arrivals is how many open-model arrivals began in the interval;
	// LagMinMs, LagP99Ms and LagMaxMs are how late (least, 99th
	// percentile and most) they began after their intended time, a wait
	// for a free connection of a bounded pool included (send lag). Zero
	// arrivals: no send lag.
	Arrivals                     int64
	LagMinMs, LagP99Ms, LagMaxMs float64
	// PacerLagMinMs, PacerLagP99Ms and PacerLagMaxMs are how late the
	// pacer handed arrivals on (begun or dropped): the generator's own
	// lateness alone, never the server's. Zero: it handed none on.
	PacerLagMinMs, PacerLagP99Ms, PacerLagMaxMs float64
	// TimerLagP99Ms is how late the self-watch's own timer fired (99th
	// percentile): the lag of any goroutine the generator wakes, in
	// either load model.
	TimerLagP99Ms float64
	// CPU is the process's CPU time over the interval as a share of Cores
	// (1: every core busy); Demand is the CPU time its threads ran or
	// waited to run, as the same share: a generator starved by other
	// processes demands its cores while it gets less. NaN where the
	// platform does not say.
	CPU, Demand float64
	Cores       int
	// ConnsOpened is how many connections the generator opened.
	ConnsOpened int64
	// PoolWaits is how many arrivals waited for connections that the
	// generator's own growing pool had not opened yet (never for a pool
	// the test bounded, nor one that more connections did not help).
	PoolWaits int64
}

// Lag is the second's worst evidence of lateness (ms): the send lag, the
// pacer's, or the timer's, whichever is highest.
func (s Second) Lag() float64 {
	return max(s.LagP99Ms, s.PacerLagP99Ms, s.TimerLagP99Ms)
}

// Limits say when the generator is its own bottleneck.
type Limits struct {
	// MaxCPU is the share of its cores at which the generator's CPU use
	// counts as busy, and its CPU demand as wanting them all (0:
	// DefaultMaxCPU).
	MaxCPU float64
	// MaxLagMs is the lag (99th percentile, ms) past which a busy
	// generator counts as late (0: DefaultMaxLagMs).
	MaxLagMs float64
	// RunawayShare: a pacer whose lag never fell below this share of the
	// interval all second never caught up: the generator is behind, busy
	// or not; a send lag that also grew by more than it since the
	// interval before runs away (0: DefaultRunawayShare).
	RunawayShare float64
	// Enter is how many strained seconds in a row make the generator
	// bound, Leave how many healthy seconds in a row free it (0: 2 each).
	Enter, Leave int
}

// Defaults of Limits. A busy generator late by 10 ms at the 99th
// percentile distorts the latencies it measures; a second in which not
// one arrival was within a quarter of a second of its time is a collapse,
// not noise: a machine shared with other work stalls the process now and
// then, but not for a whole second, second after second.
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
	Runaway = "runaway" // its pacer never caught up all second
	// Starved: its arrivals' send lag ran away (never on time, growing)
	// while it wanted all its cores (CPU demand at the limit) and got
	// less: other processes held them.
	Starved = "starved"
	// Pool: arrivals waited, late past the limit, for connections the
	// generator's growing pool had not opened yet.
	Pool = "pool"
	// Backlog: a second after the generator became bound in which every
	// arrival still began late past the runaway share: the backlog it
	// built up, drained late (Judge only, as it depends on the span).
	Backlog = "backlog"
)

// Strained says why s, following prev (nil for the first second), shows
// a generator that could not keep up ("" when it kept up). l must have
// its defaults.
//
// A machine that stalls the process makes every arrival late at once, by
// hundreds of milliseconds on a machine far busier than its cores, even
// in a modest run; but the pacer catches up after each stall, so that
// some arrivals of the second are on time again. A generator that cannot
// keep up does not catch up: not one arrival of its second is handed on
// within l.RunawayShare of the interval (runaway). The pacer's lag is
// Surge's alone: it counts even when no arrival began (every one it
// handed on was dropped).
//
// The send lag includes a wait for a connection, which a slow server
// behind a bounded pool makes ever longer while Surge idles. So it
// counts only when it is never on time, grows by more than the share,
// and Surge wanted its cores (CPU demand at the limit: starved); and
// demand alone is not enough either, since on a machine far busier than
// its cores a modest run's threads wait in the run queue too. A wait for
// a connection does count when the generator's own growing pool had not
// opened it yet (pool): the pool's size is Surge's choice, not the
// server's limit; unless Surge wanted all its cores then, when more
// connections would not have helped (starved, if it ran away).
func Strained(prev *Second, s Second, l Limits) string {
	if s.Lag() > l.MaxLagMs && !math.IsNaN(s.CPU) && s.CPU >= l.MaxCPU {
		return Busy
	}
	share := l.RunawayShare * s.DurationS * 1000
	if s.PacerLagMinMs > share {
		return Runaway
	}
	if s.PoolWaits > 0 && s.LagP99Ms > l.MaxLagMs && !(s.Demand >= l.MaxCPU) {
		return Pool // more connections help; they would not if it wanted more CPU
	}
	sendWas := 0.0
	if prev != nil && prev.Arrivals > 0 {
		sendWas = prev.LagMaxMs
	}
	if s.Arrivals > 0 && !math.IsNaN(s.Demand) && s.Demand >= l.MaxCPU &&
		s.LagMinMs > share && s.LagMaxMs-sendWas > share {
		return Starved
	}
	return ""
}
