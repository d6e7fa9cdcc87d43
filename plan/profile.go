package plan

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// MaxArrivals bounds a profile: the planner simulates every request, and a
// Lambda plan with advice replays the profile a few dozen times. 50 million
// requests (an hour at 14,000 a second) plan in well under a minute.
const MaxArrivals = 50_000_000

// MaxSeconds bounds a profile's length (one week).
const MaxSeconds = 7 * 24 * 3600

// Profile is a load profile: how many requests arrive in each one-second
// slot from the start. Within a slot they arrive evenly spread, as the
// scheduler sends a constant rate.
type Profile struct {
	Arrivals []int64
}

// Seconds is the profile's length in whole seconds.
func (p Profile) Seconds() int { return len(p.Arrivals) }

// Total is the number of requests in the profile.
func (p Profile) Total() int64 {
	var n int64
	for _, a := range p.Arrivals {
		n += a
	}
	return n
}

// Peak is the highest one-second arrival count: the peak rate per second.
func (p Profile) Peak() int64 {
	var peak int64
	for _, a := range p.Arrivals {
		peak = max(peak, a)
	}
	return peak
}

// Validate refuses an empty, negative or oversized profile.
func (p Profile) Validate() error {
	if len(p.Arrivals) == 0 {
		return errors.New("the load profile is empty: it lasts no whole second")
	}
	if len(p.Arrivals) > MaxSeconds {
		return fmt.Errorf("the load profile lasts %d s; the planner takes at most %d (a week)", len(p.Arrivals), MaxSeconds)
	}
	var total int64
	for i, a := range p.Arrivals {
		if a < 0 {
			return fmt.Errorf("second %d has %d arrivals; counts must not be negative", i, a)
		}
		total += a
		if total > MaxArrivals {
			return fmt.Errorf("the load profile has more than %d requests, the most the planner simulates", MaxArrivals)
		}
	}
	if total == 0 {
		return errors.New("the load profile sends no request")
	}
	return nil
}

// FromPhases builds the profile a script's phases send: the scheduler's
// own arrival times, counted per second. Closed-model (users) phases have
// no arrival rate to plan from and are refused.
func FromPhases(phases []schedule.Phase) (Profile, error) {
	for i, ph := range phases {
		if ph.Kind == schedule.Users {
			return Profile{}, fmt.Errorf("phase %d (%q) runs looping users (closed model); the planner needs arrival rates (arrivalRate, rampTo, arrivalCount)", i+1, ph.Name)
		}
	}
	p, err := schedule.New(phases)
	if err != nil {
		return Profile{}, err
	}
	if p.Arrivals() > MaxArrivals {
		return Profile{}, fmt.Errorf("the phases send %d requests; the planner simulates at most %d", p.Arrivals(), MaxArrivals)
	}
	secs := int(math.Ceil(p.Length().Seconds()))
	if secs > MaxSeconds {
		return Profile{}, fmt.Errorf("the phases last %v; the planner takes at most %d s", p.Length(), MaxSeconds)
	}
	out := Profile{Arrivals: make([]int64, secs)}
	var before int64
	for s := range secs {
		upTo := arrivalsBefore(p, time.Duration(s+1)*time.Second)
		out.Arrivals[s] = upTo - before
		before = upTo
	}
	// Arrivals due exactly at the end (a constant phase's last one is)
	// open one more second, where they arrive at its start, as scheduled.
	if rest := p.Arrivals() - before; rest > 0 {
		out.Arrivals = append(out.Arrivals, rest)
	}
	return out, out.Validate()
}

// arrivalsBefore counts the plan's arrivals due strictly before t; Due is
// monotonic, so a binary search finds it.
func arrivalsBefore(p *schedule.Plan, t time.Duration) int64 {
	n := sort.Search(int(p.Arrivals()), func(i int) bool {
		at, _, _ := p.Due(int64(i))
		return at >= t
	})
	return int64(n)
}

// FromResults builds the profile a finished run sent, second by second.
// A second's requests are counted when they complete, which a stalled
// target (or generator) bunches up; the virtual users created in a second
// are counted when they start. So each second gets its created users ×
// the run's requests per user (exactly its arrivals in a scenario of one
// request), or, in a run that created none (a closed model), its
// completed requests. Throttled requests count: they were offered.
func FromResults(r *results.Results) (Profile, error) {
	var out Profile
	perUser, byUsers := requestsPerUser(r)
	for _, iv := range r.Intervals {
		if iv.BeforeReset {
			continue
		}
		n := iv.Requests
		if byUsers {
			n = int64(math.Round(float64(iv.VUsers.Created) * perUser))
		}
		out.Arrivals = append(out.Arrivals, n)
	}
	if len(out.Arrivals) == 0 {
		return out, errors.New("the results file has no per-second intervals")
	}
	return out, out.Validate()
}

// requestsPerUser is the run's requests per created user (seconds before
// a reset left out), and whether the run created any.
func requestsPerUser(r *results.Results) (float64, bool) {
	var requests, created int64
	for _, iv := range r.Intervals {
		if !iv.BeforeReset {
			requests += iv.Requests
			created += iv.VUsers.Created
		}
	}
	if created == 0 {
		return 0, false
	}
	return float64(requests) / float64(created), true
}

// Duration statistics MeasuredDuration understands.
var DurationStats = []string{"mean", "p50", "p90", "p95", "p99"}

// Measured is a handler duration read from a results file.
type Measured struct {
	Duration time.Duration
	// WithFailures says the failed requests' service times are in it:
	// the file holds no service time of the successes alone (a file of a
	// Surge before service_ok_ms, or no request succeeded) and some
	// failed.
	WithFailures bool
}

// MeasuredDuration reads a request's duration from a results file's
// service times (from the actual send) of the requests that did not
// fail: a throttled run's failures are 429s answered at once, and would
// pull the handler's duration down, and every second of such a run has
// some. "mean" is the mean over the run's successes. A file without the
// successes' service time falls back to every request's: "mean" then
// averages only the seconds without a failed response, weighted by their
// requests, or all seconds if every one had failures; a percentile is
// the whole run's, failures included.
func MeasuredDuration(r *results.Results, stat string) (Measured, error) {
	if !slices.Contains(DurationStats, stat) {
		return Measured{}, fmt.Errorf("duration statistic %q: want one of %v", stat, DurationStats)
	}
	ms, withFailures := serviceMs(r, stat)
	if !(ms > 0) {
		return Measured{}, fmt.Errorf("the results file has no service time to measure the %s duration from", stat)
	}
	return Measured{Duration: time.Duration(ms * float64(time.Millisecond)), WithFailures: withFailures}, nil
}

// serviceMs is the statistic in milliseconds, and whether failed
// requests are in it.
func serviceMs(r *results.Results, stat string) (float64, bool) {
	if ok := r.Aggregate.ServiceOK; ok != nil && ok.Sample > 0 {
		return statOf(*ok, stat), false
	}
	failed := r.Aggregate.Failures > 0
	if stat != "mean" {
		return statOf(r.Aggregate.Service, stat), failed
	}
	if m := meanOfSeconds(r, true); m > 0 {
		return m, false
	}
	return meanOfSeconds(r, false), failed
}

// statOf is one of DurationStats of a summary.
func statOf(l results.Latency, stat string) float64 {
	switch stat {
	case "p50":
		return l.P50
	case "p90":
		return l.P90
	case "p95":
		return l.P95
	case "p99":
		return l.P99
	}
	return l.Mean
}

// meanOfSeconds is the request-weighted mean service time of the seconds
// with no failure (clean) or of all seconds; seconds before a reset of
// the statistics are left out, as in the profile.
func meanOfSeconds(r *results.Results, clean bool) float64 {
	var sum float64
	var n int64
	for _, iv := range r.Intervals {
		if clean && iv.Failures > 0 || iv.Requests == 0 || iv.BeforeReset {
			continue
		}
		sum += iv.Service.Mean * float64(iv.Requests)
		n += iv.Requests
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Stretch makes each second of the profile last factor seconds at the
// same rate: the profile as a model running factor times faster than real
// time sees it (the emulators' --time-scale).
func (p Profile) Stretch(factor int) Profile {
	out := Profile{Arrivals: make([]int64, 0, len(p.Arrivals)*factor)}
	for _, a := range p.Arrivals {
		for range factor {
			out.Arrivals = append(out.Arrivals, a)
		}
	}
	return out
}
