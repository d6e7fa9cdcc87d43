package cli

import (
	"github.com/spf13/pflag"
	"github.com/surge-dev/surge/dashboard"
)

// addFormFlags defines surge ui's -u/--users, --spawn-rate, -r/--rate and
// -d/--duration: the start form's first values, as Locust's -u and -r
// fill its form. They are surge run's load flags, read the same way.
func addFormFlags(f *pflag.FlagSet, l *loadFlags) {
	f.Int64VarP(&l.users, "users", "u", 0, "pre-fill the start form: this many looping users (closed model; Locust's -u)")
	f.Float64Var(&l.spawnRate, "spawn-rate", 0, "pre-fill the start form: users started per second, with --users (Locust's -r)")
	f.VarP(rateFlag{rate: &l.rate, max: &l.rateMax}, "rate", "r", "pre-fill the start form: arrivals a second (open model)")
	f.DurationVarP(&l.duration, "duration", "d", 0, "pre-fill the start form: how long a test runs (Locust's -t; default: until stopped)")
}

// form is the start form the flags pre-fill, checked as surge run checks
// them.
func (l *loadFlags) form(f *pflag.FlagSet) (dashboard.StartRequest, error) {
	l.record(f)
	if !l.any() {
		return dashboard.StartRequest{}, nil
	}
	if err := l.check(false); err != nil {
		return dashboard.StartRequest{}, err
	}
	req := dashboard.StartRequest{Users: l.users, SpawnRate: l.spawnRate, Rate: l.rate}
	if l.set.duration {
		req.Duration = l.duration.String()
	}
	return req, nil
}
