package prober

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/selfwatch"
	"github.com/surge-dev/surge/session"
)

// Options say how to probe.
type Options struct {
	Search capacity.Config
	// Probe is the measured span of each probe, Warmup the span before it
	// that is run but not judged, Cooldown the idle time after it.
	Probe, Warmup, Cooldown time.Duration
	// Meta describes the target in each probe's results.
	Meta results.Test
	// OnProbe, when set, sees each probe as it is judged (from Run's
	// goroutine).
	OnProbe func(capacity.Record)
	// Abort, when closed, stops the probe running at once.
	Abort   <-chan struct{}
	Version string
}

// Result is a finished (or interrupted) search.
type Result struct {
	Answer      capacity.Answer
	Records     []capacity.Record
	Levels      []capacity.Judgement
	Models      capacity.Models
	Config      capacity.Config
	Interrupted bool
}

// Run searches for the highest load base sustains. base's scenarios,
// endpoints and HTTP settings are kept; its phases are replaced by each
// probe's one phase.
func Run(ctx context.Context, base *engine.Test, o Options) (Result, error) {
	if err := o.check(); err != nil {
		return Result{}, err
	}
	search, err := capacity.New(o.Search)
	if err != nil {
		return Result{}, err
	}
	res := Result{Config: search.Config()}
	for {
		step := search.Next()
		if step.Done {
			res.Answer = step.Answer
			break
		}
		p, err := o.probe(ctx, base, step.Next)
		if ctx.Err() != nil { // a probe cut short is not judged
			res.Interrupted = true
			break
		}
		if err != nil {
			return res, err
		}
		rec := search.Add(p)
		if o.OnProbe != nil {
			o.OnProbe(capacity.Record{Probe: p, Judgement: rec})
		}
		if !sleep(ctx, o.Cooldown) {
			res.Interrupted = true
			break
		}
	}
	res.Records, res.Levels = search.Records(), search.Levels()
	res.Models = capacity.Fit(res.Config, res.Levels, res.Answer)
	return res, nil
}

func (o Options) check() error {
	switch {
	case o.Probe < 2*time.Second || o.Probe%time.Second != 0:
		return fmt.Errorf("probe %v: whole seconds, at least 2s (a probe is judged second by second)", o.Probe)
	case o.Warmup < 0 || o.Warmup%time.Second != 0:
		return fmt.Errorf("warm-up %v: whole seconds, 0 or more", o.Warmup)
	case o.Cooldown < 0:
		return fmt.Errorf("cool-down %v: 0 or more", o.Cooldown)
	}
	return nil
}

// probe runs one load and cuts its measured seconds.
func (o Options) probe(ctx context.Context, base *engine.Test, next capacity.Next) (capacity.Probe, error) {
	t := *base
	t.Phases = []schedule.Phase{o.phase(next.Load)}
	run, err := session.Run(ctx, &t, o.Meta, session.Options{Abort: o.Abort, Version: o.Version})
	if err != nil {
		return capacity.Probe{}, err
	}
	p := capacity.Probe{Load: next.Load, Purpose: next.Purpose}
	p.Seconds, p.Offered, err = o.measured(run.Results, next.Load)
	if err != nil {
		return p, err
	}
	from, to := o.window()
	p.Generator = generatorOf(run.Results, from, to, o.Search.Generator)
	return p, nil
}

// generatorOf is what the engine's watch on the generator (package
// selfwatch's figures, in each interval of the results) saw over the
// measured seconds: the busy share of its cores (its CPU use over the
// whole window; NaN where the platform does not say), and the highest
// 99th percentile of its timer's and its pacer's lag, or of its send lag
// in a second the run's own verdict on the generator holds bound
// (selfwatch.Judge, as the results file's generator section: arrivals
// waiting for connections its growing pool had not opened, or falling
// behind while it wanted its cores, for seconds in a row). A wait for a
// connection that a saturated server holds is the server's limit, not
// Surge's: it shows in the latency the SLO judges, and reading it as the
// generator's would report no capacity exactly where the target ran out.
func generatorOf(r *results.Results, from, to int, l capacity.GeneratorLimits) capacity.Generator {
	var secs []selfwatch.Second
	var busy, span, lag float64
	for _, iv := range r.Intervals {
		s, ok := iv.Second()
		if !ok {
			continue
		}
		secs = append(secs, s)
		if iv.Index >= from && iv.Index < to {
			lag = max(lag, s.TimerLagP99Ms, s.PacerLagP99Ms)
			if !math.IsNaN(s.CPU) {
				busy, span = busy+s.CPU*s.DurationS, span+s.DurationS
			}
		}
	}
	cpu := math.NaN()
	if span > 0 {
		cpu = busy / span
	}
	return capacity.Generator{CPU: cpu, LagMs: max(lag, boundLag(secs, from, to, l))}
}

// boundLag is the highest lag of the measured seconds that the verdict
// on the whole run's seconds holds bound; 0 when none is.
func boundLag(secs []selfwatch.Second, from, to int, l capacity.GeneratorLimits) float64 {
	v := selfwatch.Judge(secs, selfwatch.Limits{MaxCPU: l.MaxCPU, MaxLagMs: l.MaxLagMs}.WithDefaults())
	var lag float64
	for _, sp := range v.Spans {
		for _, s := range secs {
			if s.Index >= max(from, sp.From) && s.Index < min(to, sp.To) {
				lag = max(lag, s.Lag())
			}
		}
	}
	return lag
}

func (o Options) phase(load float64) schedule.Phase {
	d := o.Warmup + o.Probe
	if o.Search.Mode == capacity.Users {
		return schedule.Phase{Kind: schedule.Users, Users: int64(load), Duration: d}
	}
	return schedule.Phase{Kind: schedule.Constant, ArrivalRate: load, Duration: d}
}

// window is the indices of the measured seconds.
func (o Options) window() (from, to int) {
	from = int(o.Warmup / time.Second)
	return from, from + int(o.Probe/time.Second)
}

// fullSecond: an interval shorter than this is the run's ragged end.
const fullSecond = 0.9

var errNoSeconds = errors.New("the probe measured no whole second")

// measured cuts the probe's seconds after the warm-up.
func (o Options) measured(r *results.Results, load float64) ([]capacity.Second, []float64, error) {
	from, to := o.window()
	var secs []capacity.Second
	var offered []float64
	for _, iv := range r.Intervals {
		if iv.Index < from || iv.Index >= to || iv.DurationS < fullSecond {
			continue
		}
		s, err := o.second(iv)
		if err != nil {
			return nil, nil, fmt.Errorf("probe at %g: interval %d: %w", load, iv.Index, err)
		}
		secs = append(secs, s)
		if o.Search.Mode == capacity.Rate {
			offered = append(offered, load*iv.DurationS)
		}
	}
	if len(secs) == 0 {
		return nil, nil, fmt.Errorf("probe at %g: %w", load, errNoSeconds)
	}
	return secs, offered, nil
}

// second is an interval as the search reads it. The latency of the
// requests that did not fail comes with it, counted against them: an
// objective on it is judged on this histogram, exactly, and one that
// held other requests would judge those.
func (o Options) second(iv results.Interval) (capacity.Second, error) {
	s := capacity.Second{Requests: iv.Requests, Failures: iv.Failures, Errors: iv.Errors,
		Throttled: iv.Codes["429"], InFlight: iv.InFlight}
	var err error
	if s.Latency, err = histogram(iv.Hist.Latency); err != nil {
		return s, err
	}
	succeeded := iv.Requests - iv.Failures
	switch {
	case iv.Hist.LatencyOK != "":
		if s.LatencyOK, err = metrics.DecodeHistogram(iv.Hist.LatencyOK); err == nil && s.LatencyOK.TotalCount() != succeeded {
			err = fmt.Errorf("hist.latency_ok holds %d values, but requests less failures are %d", s.LatencyOK.TotalCount(), succeeded)
		}
	case succeeded > 0 && o.successOnly():
		err = errNoLatencyOK
	}
	return s, err
}

var errNoLatencyOK = errors.New("the latency of the requests that did not fail was not recorded, and the SLO is on it")

// successOnly reports whether an objective is on the latency of the
// requests that did not fail.
func (o Options) successOnly() bool {
	return slices.ContainsFunc(o.Search.SLO, capacity.SuccessOnly)
}

func histogram(encoded string) (*hdr.PackedHistogram, error) {
	if encoded == "" {
		return metrics.NewHistogram(), nil
	}
	return metrics.DecodeHistogram(encoded)
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
