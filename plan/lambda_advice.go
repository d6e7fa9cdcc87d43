package plan

import (
	"math"
	"sort"

	"github.com/surge-dev/surge/scaling/lambda"
)

// LambdaAdvice is what would have removed the throttles, each found by
// replaying the profile through the model with the setting changed (a
// binary search; more concurrency never throttles more).
type LambdaAdvice struct {
	// Provisioned is the least provisioned concurrency with which no
	// invocation is throttled at all, or -1 when none that the account
	// (or the reservation) allows is enough.
	Provisioned int `json:"provisioned_concurrency"`
	// Reserved is the least reserved concurrency with which the
	// reservation throttles nothing; 0 when it throttles nothing already
	// or none is set, -1 when no reservation the account allows is enough.
	Reserved int `json:"reserved_concurrency"`
	// AccountConcurrency is the least account quota with which the
	// account's limits throttle nothing; 0 when they throttle nothing.
	AccountConcurrency int `json:"account_concurrency"`
	// ScalingRateOnly is true when every throttle is the scaling rate's:
	// more reserved or account concurrency does not help, provisioned
	// concurrency (or a slower ramp) does.
	ScalingRateOnly bool `json:"scaling_rate_only"`
}

// maxAccountSearch bounds the account quota the advice looks for.
const maxAccountSearch = 1 << 20

// Advise fills pl.Advice by replaying p with larger settings.
func Advise(pl *LambdaPlan, p Profile) error {
	a := &LambdaAdvice{}
	th := pl.Summary.Throttles
	a.ScalingRateOnly = th.Total() > 0 && th.Total() == th.ScalingRate
	var err error
	if th.Total() > 0 {
		if a.Provisioned, err = adviseProvisioned(p, pl.Config); err != nil {
			return err
		}
	}
	if th.ReservedConcurrency+th.ReservedRate > 0 {
		if a.Reserved, err = adviseReserved(p, pl.Config); err != nil {
			return err
		}
	}
	if th.AccountConcurrency+th.AccountRate > 0 {
		if a.AccountConcurrency, err = adviseAccount(p, pl.Config); err != nil {
			return err
		}
	}
	pl.Advice = a
	return nil
}

func adviseProvisioned(p Profile, cfg lambda.Config) (int, error) {
	ceiling := cfg.AccountConcurrency - lambda.UnreservedMinimum
	if cfg.ReservedConcurrency > 0 {
		ceiling = cfg.ReservedConcurrency
	}
	return least(cfg.ProvisionedConcurrency, ceiling, func(n int) (bool, error) {
		c := cfg
		c.ProvisionedConcurrency = n
		th, err := throttlesWith(p, c)
		return th.Total() == 0, err
	})
}

func adviseReserved(p Profile, cfg lambda.Config) (int, error) {
	return least(cfg.ReservedConcurrency, cfg.AccountConcurrency-lambda.UnreservedMinimum, func(n int) (bool, error) {
		c := cfg
		c.ReservedConcurrency = n
		th, err := throttlesWith(p, c)
		return th.ReservedConcurrency+th.ReservedRate == 0, err
	})
}

// adviseAccount searches up to a bound found by doubling from the peak
// the profile could need (every request cold), so the search stays short.
func adviseAccount(p Profile, cfg lambda.Config) (int, error) {
	perRequest := (cfg.HandlerDuration + cfg.InitDuration).Seconds()
	hi := max(cfg.AccountConcurrency+1, int(math.Ceil(float64(p.Peak())*perRequest))+lambda.UnreservedMinimum)
	ok := func(n int) (bool, error) {
		c := cfg
		c.AccountConcurrency = n
		th, err := throttlesWith(p, c)
		return th.AccountConcurrency+th.AccountRate == 0, err
	}
	for hi < maxAccountSearch {
		if good, err := ok(hi); err != nil || good {
			break
		}
		hi *= 2
	}
	return least(cfg.AccountConcurrency, min(hi, maxAccountSearch), ok)
}

func throttlesWith(p Profile, cfg lambda.Config) (lambda.ThrottleCounts, error) {
	pl, err := simulateLambda(p, cfg, 1)
	if err != nil {
		return lambda.ThrottleCounts{}, err
	}
	return pl.Summary.Throttles, nil
}

// least is the smallest n in [lo, hi] for which ok holds, assuming ok is
// monotonic, or -1 when it fails even at hi.
func least(lo, hi int, ok func(int) (bool, error)) (int, error) {
	if hi < lo {
		return -1, nil
	}
	if good, err := ok(hi); err != nil || !good {
		return -1, err
	}
	var failed error
	i := sort.Search(hi-lo, func(i int) bool {
		good, err := ok(lo + i)
		if err != nil {
			failed = err
			return true
		}
		return good
	})
	return lo + i, failed
}
