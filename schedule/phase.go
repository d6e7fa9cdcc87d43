package schedule

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"time"
)

// Kind says how a phase produces load.
type Kind int

// Phase kinds. Open-model kinds produce arrivals; Users is the closed model.
const (
	Constant Kind = iota // ArrivalRate new VUs every second
	Ramp                 // rate moves linearly from ArrivalRate to RampTo
	Count                // ArrivalCount VUs spread evenly over Duration
	Pause                // no arrivals
	Users                // closed model: Users looping VUs spawned at SpawnRate
)

func (k Kind) String() string {
	switch k {
	case Constant:
		return "constant"
	case Ramp:
		return "ramp"
	case Count:
		return "count"
	case Pause:
		return "pause"
	case Users:
		return "users"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Phase is one step of a load profile.
type Phase struct {
	Name         string
	Kind         Kind
	Duration     time.Duration
	ArrivalRate  float64 // per second (Constant, Ramp start)
	RampTo       float64 // per second (Ramp end)
	ArrivalCount int64   // Count
	MaxVUsers    int64   // 0: unlimited; arrivals above it are dropped
	Users        int64   // closed model
	SpawnRate    float64 // closed model: VUs started per second (0: all at once)
}

// MaxArrivals bounds the arrivals of one phase: up to 2^53 every arrival
// index is exact in a float64, so the arithmetic of offsets stays exact and
// monotonic. It is far beyond anything a generator can send (a billion a
// second for 24 hours is below 2^47).
const MaxArrivals = 1 << 53

// MaxRampDuration bounds a ramp, whose per-second counts are tabulated
// when the plan is built (8 bytes a second: 20 MB at the bound).
const MaxRampDuration = 30 * 24 * time.Hour

// Validate reports a phase that cannot run.
func (p Phase) Validate() error {
	if p.Duration < 0 {
		return errors.New("duration must not be negative")
	}
	for _, r := range []float64{p.ArrivalRate, p.RampTo, p.SpawnRate} {
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return errors.New("rates must be finite numbers")
		}
	}
	if p.ArrivalRate < 0 || p.RampTo < 0 || p.ArrivalCount < 0 || p.Users < 0 || p.SpawnRate < 0 {
		return errors.New("rates and counts must not be negative")
	}
	if err := p.validateArrivals(); err != nil {
		return err
	}
	if p.MaxVUsers < 0 {
		return errors.New("maxVusers must not be negative")
	}
	if p.Kind == Users && p.Users == 0 {
		return errors.New("users must be at least 1")
	}
	if p.Kind == Users && p.MaxVUsers > 0 {
		return errors.New("maxVusers caps arrivals; a phase of users runs exactly its users")
	}
	return nil
}

// validateArrivals rejects phases with more arrivals than the arithmetic
// of offsets carries exactly, before any count is converted to an integer.
func (p Phase) validateArrivals() error {
	var most float64 // an upper bound of the phase's arrivals
	switch p.Kind {
	case Constant:
		most = p.ArrivalRate * p.Duration.Seconds()
	case Ramp:
		if p.Duration > MaxRampDuration {
			return fmt.Errorf("a ramp may last at most %v", MaxRampDuration)
		}
		most = max(p.ArrivalRate, p.RampTo) * float64(p.rampPeriods())
	case Count:
		if p.ArrivalCount > MaxArrivals {
			most = math.Inf(1)
		}
	}
	if most > MaxArrivals {
		return fmt.Errorf("the phase would start more than %d (2^53) virtual users", int64(MaxArrivals))
	}
	return nil
}

// arrivals is how many VUs the phase starts (0 for Pause and Users).
func (p Phase) arrivals() int64 {
	switch p.Kind {
	case Constant:
		return int64(math.Floor(p.ArrivalRate*p.Duration.Seconds() + 1e-9))
	case Count:
		return p.ArrivalCount
	case Ramp:
		var n int64
		for s := range p.rampPeriods() {
			n += p.rampPeriodCount(s)
		}
		return n
	}
	return 0
}

// rampPeriods is the number of one-second periods a ramp is cut into.
func (p Phase) rampPeriods() int64 {
	n := int64(math.Ceil(p.Duration.Seconds() - 1e-9))
	return max(n, 1)
}

// rampPeriodCount is Artillery's arrivals in period s of a ramp from a
// to b over D seconds: the rate (b-a)/(D-1)·s + a (computed in that
// order, as Artillery does), or (a+b)/2 for a one-second ramp, rounded
// as Artillery's single worker rounds it: the whole part, plus one when
// the fraction is at least a half. (Its worker-share rounding,
// Math.round(fraction·workers) >= worker, with one worker.) A ramp whose
// duration is not whole seconds keeps its rates between a and b, where
// Artillery's formula would overshoot in the last, partial second.
func (p Phase) rampPeriodCount(s int64) int64 {
	a, b, d := p.ArrivalRate, p.RampTo, p.Duration.Seconds()
	var r float64
	if d == 1 || d == 0 {
		r = (b + a) / 2
	} else {
		r = (b-a)/(d-1)*float64(s) + a
		r = min(max(r, min(a, b)), max(a, b))
	}
	whole := math.Floor(r)
	if math.Round(math.Mod(r, 1)) >= 1 {
		whole++
	}
	return int64(max(whole, 0))
}

// offset is the intended time of the phase's j-th arrival (0-based) from
// the phase start. The first arrival comes one gap after the start, as in
// Artillery; none comes after the phase's end.
func (p Phase) offset(j int64, ramp []int64) time.Duration {
	switch p.Kind {
	case Constant:
		// j+1 is exact in a float64 (MaxArrivals), and each operation
		// rounds monotonically, so offsets never go backwards; the last
		// one may round a nanosecond past the end, hence the bound.
		at := time.Duration(float64(j+1) * float64(time.Second) / p.ArrivalRate)
		return min(at, p.Duration)
	case Count:
		return spread(j, p.ArrivalCount, p.Duration)
	case Ramp:
		return rampOffset(j, ramp, p.Duration)
	}
	return 0
}

// spread is the j-th of n instants spread evenly over d, (j+1)·d/n,
// computed exactly: the product takes 128 bits (3,000,000 arrivals over an
// hour is already 1.08e19 ns², past int64). j < n, so the quotient is at
// most d and the division cannot overflow.
func spread(j, n int64, d time.Duration) time.Duration {
	hi, lo := bits.Mul64(uint64(j+1), uint64(d))
	q, _ := bits.Div64(hi, lo, uint64(n))
	return time.Duration(q)
}

// rampOffset finds the period holding arrival j through the prefix sums of
// per-period counts, then spreads that period's arrivals evenly over it.
// A last period cut short by a fractional duration (or a zero one) is
// spread over what is left of it, so no arrival falls after the ramp.
func rampOffset(j int64, prefix []int64, d time.Duration) time.Duration {
	s := searchPrefix(prefix, j)
	n := prefix[s+1] - prefix[s]
	k := j - prefix[s]
	begin := time.Duration(s) * time.Second
	return begin + spread(k, n, min(time.Second, d-begin))
}

// searchPrefix returns s with prefix[s] <= j < prefix[s+1].
func searchPrefix(prefix []int64, j int64) int {
	lo, hi := 0, len(prefix)-1
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if prefix[mid] <= j {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// MaxSpawnGap bounds the time between two users' starts (146 years), so
// that the gap of a very low spawn rate stays a valid duration: such a
// user never starts.
const MaxSpawnGap = time.Duration(1 << 62)

// SpawnGap is the time between two users' starts at rate a second; 0
// (a rate of 0) starts them all at once.
func SpawnGap(rate float64) time.Duration {
	if rate <= 0 {
		return 0
	}
	return time.Duration(math.Min(float64(time.Second)/rate, float64(MaxSpawnGap)))
}

// UserStart is when user j (0-based, in spawn order) of a closed-model
// phase starts, from the phase's start: j spawn gaps, at most
// MaxSpawnGap. A share of a segmented test starts its users at the times
// of the global users it owns, so they start as in a single run.
func (p Phase) UserStart(j int64) time.Duration {
	gap := SpawnGap(p.SpawnRate)
	if gap > 0 && j > int64(MaxSpawnGap/gap) {
		return MaxSpawnGap
	}
	return time.Duration(j) * gap
}
