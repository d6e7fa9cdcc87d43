package compare

import (
	"errors"
	"fmt"
	"math/rand/v2"
)

// Options tune a comparison. The zero value means the defaults.
type Options struct {
	// Alpha is the chance of any false "improved" or "regressed" in one
	// comparison (Holm's correction spreads it over the rows); 0.05 when
	// zero. Intervals are shown at 1 − Alpha.
	Alpha float64
	// Margin applies to every metric without its own in Margins;
	// DefaultMargin when zero.
	Margin  Margin
	Margins map[Metric]Margin
	// Resamples is the number of bootstrap resamples (2000 when zero).
	Resamples int
	// Seed makes the bootstrap repeatable: the same seed, the same numbers.
	Seed uint64
	// Window is reported with the result (FromResults applied it).
	Window Window
}

// Defaults of Options.
const (
	DefaultAlpha     = 0.05
	DefaultResamples = 2000
	// MinIntervals is the fewest seconds a run needs, after the window,
	// for its seconds to be resampled.
	MinIntervals = 10
)

func (o Options) withDefaults() Options {
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if o.Margin == (Margin{}) {
		o.Margin = DefaultMargin
	}
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	return o
}

func (o Options) check() error {
	if o.Alpha <= 0 || o.Alpha >= 0.5 {
		return fmt.Errorf("alpha %v: want a value between 0 and 0.5", o.Alpha)
	}
	if o.Resamples < 50 {
		return fmt.Errorf("%d resamples: want at least 50", o.Resamples)
	}
	for m, g := range o.Margins {
		if g.Relative < 0 || g.Absolute < 0 || g == (Margin{}) && !m.IsRate() {
			return fmt.Errorf("margin of %s: want a positive value", m)
		}
	}
	return nil
}

func (o Options) margin(m Metric) Margin {
	if g, ok := o.Margins[m]; ok {
		return g
	}
	return o.Margin
}

// ErrTooShort is returned for a run with too few seconds to resample.
var ErrTooShort = errors.New("too few seconds to compare")

// Compare compares head with base.
func Compare(base, head *Run, o Options) (*Report, error) {
	o = o.withDefaults()
	if err := o.check(); err != nil {
		return nil, err
	}
	for _, r := range []*Run{base, head} {
		if err := usable(r); err != nil {
			return nil, err
		}
	}
	c := newComparison(base, head, o)
	c.rows()
	c.finish()
	c.monitored()
	return c.report, nil
}

// usable checks that a run can be compared at all.
func usable(r *Run) error {
	if len(r.Intervals) < MinIntervals {
		return fmt.Errorf("%s: %d seconds in the window, need at least %d: %w",
			r.Label, len(r.Intervals), MinIntervals, ErrTooShort)
	}
	var n int64
	for _, iv := range r.Intervals {
		n += iv.Requests
		if len(iv.Endpoints) != len(r.Endpoints) {
			return fmt.Errorf("%s: an interval has %d endpoint counts for %d endpoints",
				r.Label, len(iv.Endpoints), len(r.Endpoints))
		}
	}
	if n == 0 {
		return fmt.Errorf("%s: no request in the window", r.Label)
	}
	return nil
}

// comparison holds the work of one Compare.
type comparison struct {
	o          Options
	base, head *Run
	// names are the compared endpoints; at[side][i] is the i-th's index
	// in that run.
	names  []string
	at     [2][]int
	sb, sh *series
	rb, rh *runStats
	report *Report
	// otherFailures: the runs count failures under different expected
	// statuses, so their failure rates are not one quantity and are not
	// compared, nor the latencies of the requests that did not fail.
	otherFailures bool
	// okMissing: requests failed in a scope, but a run does not hold the
	// latency of those that did not.
	okMissing bool
}

func newComparison(base, head *Run, o Options) *comparison {
	c := &comparison{o: o, base: base, head: head, report: &Report{Alpha: o.Alpha,
		Resamples: o.Resamples, Seed: o.Seed, Window: o.Window.String()}}
	c.matchEndpoints()
	c.noteBound()
	c.notePlans()
	c.noteExpected()
	if o.Window != (Window{}) && len(c.names) > 1 {
		c.note("the endpoints' latency rows cover each run's whole span: results files keep per-second histograms only for all endpoints together, so the window cannot cut them")
	}
	c.sb, c.sh = newSeries(base, c.at[0]), newSeries(head, c.at[1])
	c.rb = c.sb.bootstrap(o.Resamples, rand.New(rand.NewPCG(o.Seed, 0)))
	c.rh = c.sh.bootstrap(o.Resamples, rand.New(rand.NewPCG(o.Seed, 1)))
	c.report.Base = c.info(base, c.sb, c.rb)
	c.report.Head = c.info(head, c.sh, c.rh)
	return c
}

// matchEndpoints pairs endpoints by name, in the base's order; those in
// one run only are noted and left out.
func (c *comparison) matchEndpoints() {
	inHead := map[string]int{}
	for i, e := range c.head.Endpoints {
		inHead[e.Name] = i
	}
	matched := map[string]bool{}
	for i, e := range c.base.Endpoints {
		j, ok := inHead[e.Name]
		if !ok {
			c.note("endpoint %q is only in %s: not compared", e.Name, c.base.Label)
			continue
		}
		matched[e.Name] = true
		c.names = append(c.names, e.Name)
		c.at[0], c.at[1] = append(c.at[0], i), append(c.at[1], j)
	}
	for _, e := range c.head.Endpoints {
		if !matched[e.Name] {
			c.note("endpoint %q is only in %s: not compared", e.Name, c.head.Label)
		}
	}
}

// notePlans warns when the runs ran different plans: another arrival
// rate, other phases or scenarios move throughput and latency by
// themselves, and a verdict would judge the load rather than the service.
func (c *comparison) notePlans() {
	if c.base.Plan != "" && c.head.Plan != "" && c.base.Plan != c.head.Plan {
		c.note("%s and %s ran different plans (phases, scenarios or their weights, seed): a change may be the load's, "+
			"not the service's; compare runs of one plan", c.base.Label, c.head.Label)
	}
}

// noteExpected leaves the failure rates out when the runs expected other
// statuses (--expect-status): the same responses are failures in one run
// and not in the other, so a difference of failure rates would judge the
// definition, not the service. Errors (no response) do not depend on it
// and are compared as usual.
func (c *comparison) noteExpected() {
	if c.base.Expected == "" || c.head.Expected == "" || c.base.Expected == c.head.Expected {
		return
	}
	c.otherFailures = true
	c.note("%s expected the statuses %s and %s expected %s: their failures are counted under different definitions, "+
		"so the failure_rate rows and those of the requests that did not fail (ok_) are left out "+
		"(error_rate, which does not depend on them, is compared)",
		c.base.Label, c.base.Expected, c.head.Label, c.head.Expected)
}

// compared says whether metric m has rows: every metric but the failure
// rate and the latency of the requests that did not fail, of runs with
// other definitions of a failure (one run's successes would hold
// responses the other's failures hold).
func (c *comparison) compared(m Metric) bool {
	return m != FailureRate && !m.IsOK() || !c.otherFailures
}

func (c *comparison) note(format string, args ...any) {
	c.report.Notes = append(c.report.Notes, fmt.Sprintf(format, args...))
}

func (c *comparison) info(r *Run, s *series, st *runStats) RunInfo {
	in := RunInfo{Label: r.Label, Seconds: sum(s.secs), Intervals: s.len(), Skipped: r.Skipped, ShortTail: r.ShortTail, Block: st.block}
	in.Requests = sumInts(s.all.n)
	return in
}

func sumInts(xs []int64) int64 {
	var t int64
	for _, x := range xs {
		t += x
	}
	return t
}

func sum(xs []float64) float64 {
	var t float64
	for _, x := range xs {
		t += x
	}
	return t
}
