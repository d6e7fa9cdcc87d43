package cli

import (
	"time"

	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/scenario"
)

// loadFlags are surge run's -u/--users, -r/--rate, --spawn-rate and
// -d/--duration: the load of a test set on the command line, over the
// script's config.phases, as k6's --vus and --duration replace its
// stages. They replace config.phases only (after --config, --overrides
// and -e have shaped the script); the scenarios, before and after,
// config.http and the checks stay as the script says.
type loadFlags struct {
	users     int64
	rate      float64
	rateMax   bool // --rate max: quick's, refused here
	spawnRate float64
	duration  time.Duration
	// set records which of them the command line gave.
	set struct{ users, rate, spawnRate, duration bool }
}

func addLoadFlags(f *pflag.FlagSet, l *loadFlags) {
	f.Int64VarP(&l.users, "users", "u", 0, "replace config.phases by this many looping users (closed model), for --duration or the phases' length")
	f.VarP(rateFlag{rate: &l.rate, max: &l.rateMax}, "rate", "r", "replace config.phases by this many arrivals a second (open model), for --duration or the phases' length")
	f.Float64Var(&l.spawnRate, "spawn-rate", 0, "with --users: users started per second (0: all at once)")
	f.DurationVarP(&l.duration, "duration", "d", 0, "with --users or --rate: how long they run; alone: the phases scaled to last this long")
}

// record notes which load flags f's command line set.
func (l *loadFlags) record(f *pflag.FlagSet) {
	l.set.users, l.set.rate = f.Changed("users"), f.Changed("rate")
	l.set.spawnRate, l.set.duration = f.Changed("spawn-rate"), f.Changed("duration")
}

func (l *loadFlags) any() bool {
	return l.set.users || l.set.rate || l.set.spawnRate || l.set.duration
}

// apply returns the phases the flags make of the script's phases: one
// phase of --users (with --spawn-rate) or of --rate, lasting --duration
// or as long as the script's phases did; or with --duration alone, the
// script's phases scaled to last it. Bad values are usage errors.
func (l *loadFlags) apply(phases []scenario.Phase, solo bool) ([]scenario.Phase, error) {
	if !l.any() {
		return phases, nil
	}
	if err := l.check(solo); err != nil {
		return nil, err
	}
	length := l.duration
	if !l.set.duration {
		length = phasesLength(phases)
	}
	if length <= 0 {
		return nil, usageError("the script's phases have no length: give -d/--duration with --users or --rate")
	}
	if l.set.rate && l.rate*length.Seconds() < 1 {
		return nil, usageError("--rate %v over %v starts no arrival: raise either", l.rate, length)
	}
	switch {
	case l.set.users:
		return []scenario.Phase{{Name: "--users", Users: l.users, SpawnRate: l.spawnRate, Duration: length}}, nil
	case l.set.rate:
		return []scenario.Phase{{Name: "--rate", ArrivalRate: l.rate, Duration: length}}, nil
	}
	if phasesLength(phases) == 0 {
		return nil, usageError("-d/--duration alone scales the script's phases, and they have no length: give --users or --rate with it")
	}
	scaled := append([]scenario.Phase(nil), phases...)
	scalePhases(scaled, length)
	return scaled, nil
}

// check refuses values that cannot make a load, and flags that cannot go
// together, before anything is sent.
func (l *loadFlags) check(solo bool) error {
	switch {
	case solo:
		return usageError("--solo runs one user: it excludes --users, --rate, --spawn-rate and --duration")
	case l.rateMax:
		return usageError("--rate max is surge quick's; a script's load is --users N (closed model) or --rate N")
	case l.set.users && l.set.rate:
		return usageError("--rate and --users exclude each other: choose the open or the closed model " +
			"(Locust's -r, users started a second, is --spawn-rate)")
	case l.set.spawnRate && !l.set.users:
		return usageError("--spawn-rate needs --users (it paces how users start in the closed model)")
	case l.set.users && (l.users < 1 || l.users > scenario.MaxUsers):
		return usageError("--users %d: expected 1 to %d users", l.users, scenario.MaxUsers)
	case l.set.rate && !(l.rate > 0):
		return usageError("--rate %v: must be positive", l.rate)
	}
	if l.set.duration {
		if err := checkDuration("--duration", l.duration); err != nil {
			return err
		}
	}
	if l.set.rate {
		return checkRate("--rate", l.rate, "arrivals")
	}
	if l.set.spawnRate {
		return checkRate("--spawn-rate", l.spawnRate, "users started")
	}
	return nil
}

// phasesLength is how long the phases run, pauses included.
func phasesLength(phases []scenario.Phase) time.Duration {
	var sum time.Duration
	for _, p := range phases {
		sum += p.Duration + p.Pause
	}
	return sum
}
