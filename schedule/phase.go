package schedule

import (
	"errors"
	"fmt"
	"math"
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

// Validate reports a phase that cannot run.
func (p Phase) Validate() error {
	if p.Duration < 0 {
		return errors.New("duration must not be negative")
	}
	if p.ArrivalRate < 0 || p.RampTo < 0 || p.ArrivalCount < 0 || p.Users < 0 || p.SpawnRate < 0 {
		return errors.New("rates and counts must not be negative")
	}
	if p.MaxVUsers < 0 {
		return errors.New("maxVusers must not be negative")
	}
	if p.Kind == Users && p.Users == 0 {
		return errors.New("users must be at least 1")
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

// rampPeriodCount is Artillery's arrivals in period s of a ramp:
// floor(a + (b-a)*s/(D-1)), or floor((a+b)/2) for a one-second ramp.
func (p Phase) rampPeriodCount(s int64) int64 {
	d := p.rampPeriods()
	if d == 1 {
		return int64(math.Floor((p.ArrivalRate+p.RampTo)/2 + 1e-9))
	}
	r := p.ArrivalRate + (p.RampTo-p.ArrivalRate)*float64(s)/float64(d-1)
	return int64(math.Floor(r + 1e-9))
}

// offset is the intended time of the phase's j-th arrival (0-based) from
// the phase start. The first arrival comes one gap after the start, as in
// Artillery.
func (p Phase) offset(j int64, ramp []int64) time.Duration {
	switch p.Kind {
	case Constant:
		return time.Duration(float64(j+1) * float64(time.Second) / p.ArrivalRate)
	case Count:
		return time.Duration((j + 1) * int64(p.Duration) / p.ArrivalCount)
	case Ramp:
		return rampOffset(j, ramp)
	}
	return 0
}

// rampOffset finds the period holding arrival j through the prefix sums of
// per-period counts, then spreads that period's arrivals evenly.
func rampOffset(j int64, prefix []int64) time.Duration {
	s := searchPrefix(prefix, j)
	n := prefix[s+1] - prefix[s]
	k := j - prefix[s]
	return time.Duration(s)*time.Second + time.Duration((k+1)*int64(time.Second)/n)
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
