package plan

import (
	"fmt"
	"math"
	"time"

	"github.com/surge-dev/surge/scaling/lambda"
)

// LambdaSecond is one second of a Lambda plan, in CloudWatch's terms.
type LambdaSecond struct {
	T        int   `json:"t"`
	Arrivals int64 `json:"arrivals"`
	// Needed is AWS's sizing rule for this second: requests per second ×
	// duration.
	Needed     float64               `json:"concurrency_needed"`
	Served     int64                 `json:"served"`
	Throttles  lambda.ThrottleCounts `json:"throttles"`
	ColdStarts int64                 `json:"cold_starts"`
	// Completed is the invocations that ended in the second without
	// timing out: what a load test sees answered in it, a handler's
	// duration after Served admitted them.
	Completed int64 `json:"completed"`
	// Concurrency is the most environments busy at once in the second.
	Concurrency  int `json:"concurrency"`
	Environments int `json:"environments"`  // at the end of the second
	ScalingLimit int `json:"scaling_limit"` // at the end of the second
}

// Span is a stretch of the plan in seconds from the start, [From, Until);
// both are -1 when it never happened (see [Never]).
type Span struct {
	From  int `json:"from_s"`
	Until int `json:"until_s"`
}

// Never is the span of what did not happen.
var Never = Span{-1, -1}

// Began reports whether the span began, ended or not.
func (s Span) Began() bool { return s.From >= 0 }

// Happened reports whether the span began and ended.
func (s Span) Happened() bool { return s.From >= 0 && s.Until >= 0 }

// Seconds is the span's length, 0 if it never happened.
func (s Span) Seconds() int {
	if !s.Happened() {
		return 0
	}
	return s.Until - s.From
}

// LambdaSummary sums a Lambda plan.
type LambdaSummary struct {
	Arrivals  int64                 `json:"arrivals"`
	Served    int64                 `json:"served"`
	Throttles lambda.ThrottleCounts `json:"throttles"`
	Throttled int64                 `json:"throttled"`
	// PeakNeeded is the highest requests per second × duration.
	PeakNeeded      float64 `json:"peak_concurrency_needed"`
	PeakConcurrency int     `json:"peak_concurrency"`
	ColdStarts      int64   `json:"cold_starts"`
	// Throttling is from the first second with a throttle to the end of
	// the last: how long the function took to scale to the load, when
	// the load outran it.
	Throttling Span `json:"throttling"`
	// Episodes are the runs of consecutive seconds with throttles: one
	// per burst that outran the scaling rule.
	Episodes []Span `json:"episodes"`
}

// LambdaPlan is the prediction for one function under one profile.
type LambdaPlan struct {
	Config  lambda.Config  `json:"config"`
	Seconds []LambdaSecond `json:"seconds"`
	Summary LambdaSummary  `json:"summary"`
	// Advice is nil unless asked for.
	Advice *LambdaAdvice `json:"advice,omitempty"`
}

// PlanLambda runs the profile through the function's model. Each request
// holds its environment for the handler duration, plus the init duration
// when it is a cold start, cut at the timeout exactly as the emulator runs
// an invocation; a timed-out environment is reset, so its next use is cold.
func PlanLambda(p Profile, cfg lambda.Config) (*LambdaPlan, error) {
	return PlanLambdaScaled(p, cfg, 1)
}

// PlanLambdaScaled is [PlanLambda] for a model whose clock runs scale
// times as fast as the profile's, as the Lambda emulator runs it to show
// minutes of scaling in seconds: the profile's seconds, the handler, init
// and timeout are on the profile's clock (the handler really runs that
// long), while the model sees every instant multiplied by scale, so its
// rate window and idle expiry are on its own clock. The plan's seconds are
// the profile's.
func PlanLambdaScaled(p Profile, cfg lambda.Config, scale float64) (*LambdaPlan, error) {
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("the time scale %v must be a positive number", scale)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.HandlerDuration <= 0 {
		return nil, fmt.Errorf("the request duration %v must be positive", cfg.HandlerDuration)
	}
	return simulateLambda(p, cfg, scale)
}

func simulateLambda(p Profile, cfg lambda.Config, scale float64) (*LambdaPlan, error) {
	m, err := lambda.New(cfg)
	if err != nil {
		return nil, err
	}
	r := &lambdaRun{m: m, cfg: cfg, scale: scale}
	out := &LambdaPlan{Config: cfg, Seconds: make([]LambdaSecond, 0, p.Seconds()+r.drainSeconds())}
	for s, n := range p.Arrivals {
		out.Seconds = append(out.Seconds, r.second(s, n))
	}
	// Run on until the last request finished, so the tail is in the plan.
	for s := p.Seconds(); r.inFlight() > 0; s++ {
		out.Seconds = append(out.Seconds, r.second(s, 0))
	}
	out.Summary = summarizeLambda(out.Seconds, m.Snapshot(r.model(r.now)))
	return out, nil
}

// held is an admitted invocation and when it gives its environment back.
type held struct {
	env   *lambda.Env
	end   time.Duration
	reset bool
}

// lambdaRun replays arrivals against the model. Invocations end in the
// order they started within each of two kinds (warm and cold), since
// each kind holds its environment for a fixed time; two queues therefore
// replace a heap.
type lambdaRun struct {
	m          *lambda.Model
	cfg        lambda.Config
	scale      float64 // model seconds per profile second
	now        time.Duration
	warm, cold []held
	busy       int
	// ended is where releaseUntil counts the invocations that complete.
	ended *LambdaSecond
}

// model is profile time t on the model's clock.
func (r *lambdaRun) model(t time.Duration) time.Duration {
	return time.Duration(float64(t) * r.scale)
}

func (r *lambdaRun) inFlight() int { return len(r.warm) + len(r.cold) }

// drainSeconds is how long the last invocation may run past the profile.
func (r *lambdaRun) drainSeconds() int {
	longest, _ := r.cfg.Hold(true)
	return int(longest/time.Second) + 1
}

// second replays second s with n arrivals spread evenly over it.
func (r *lambdaRun) second(s int, n int64) LambdaSecond {
	out := LambdaSecond{T: s, Arrivals: n, Needed: r.cfg.ConcurrencyNeeded(float64(n))}
	start := time.Duration(s) * time.Second
	r.ended = &out
	r.releaseUntil(start)
	out.Concurrency = r.busy
	for k := range n {
		at := start + time.Duration(k*int64(time.Second)/n)
		r.releaseUntil(at)
		r.arrive(at, &out)
		out.Concurrency = max(out.Concurrency, r.busy)
	}
	r.releaseUntil(start + time.Second - 1)
	r.ended = nil
	r.now = start + time.Second
	st := r.m.Snapshot(r.model(r.now))
	out.Environments, out.ScalingLimit = st.Environments, st.ScalingLimit
	return out
}

func (r *lambdaRun) arrive(at time.Duration, out *LambdaSecond) {
	env, cold, thr := r.m.Acquire(r.model(at))
	if thr != lambda.None {
		out.Throttles.Add(thr)
		return
	}
	out.Served++
	r.busy++
	d, reset := r.cfg.Hold(cold)
	h := held{env: env, end: at + d, reset: reset}
	if cold {
		out.ColdStarts++
		r.cold = append(r.cold, h)
		return
	}
	r.warm = append(r.warm, h)
}

// releaseUntil gives back, in time order, every environment whose
// invocation ended by t: a finished environment is free for a request
// arriving at the same instant, as on AWS.
func (r *lambdaRun) releaseUntil(t time.Duration) {
	for {
		q := r.next()
		if q == nil || (*q)[0].end > t {
			return
		}
		h := (*q)[0]
		*q = (*q)[1:]
		r.busy--
		if h.reset {
			r.m.Reset(r.model(h.end), h.env)
			continue
		}
		r.m.Release(r.model(h.end), h.env)
		if r.ended != nil {
			r.ended.Completed++
		}
	}
}

// next is the queue whose head ends first, or nil when both are empty.
func (r *lambdaRun) next() *[]held {
	switch {
	case len(r.warm) == 0 && len(r.cold) == 0:
		return nil
	case len(r.cold) == 0:
		return &r.warm
	case len(r.warm) == 0 || r.cold[0].end < r.warm[0].end:
		return &r.cold
	}
	return &r.warm
}

func summarizeLambda(secs []LambdaSecond, final lambda.State) LambdaSummary {
	s := LambdaSummary{Throttling: Never, Throttles: final.Throttles, Throttled: int64(final.Throttles.Total()),
		PeakConcurrency: final.MaxConcurrentExecutions, ColdStarts: int64(final.ColdStarts)}
	first, last := -1, -1
	for _, sec := range secs {
		s.Arrivals += sec.Arrivals
		s.Served += sec.Served
		s.PeakNeeded = max(s.PeakNeeded, sec.Needed)
		if sec.Throttles.Total() > 0 {
			if first < 0 {
				first = sec.T
			}
			if last < 0 || last < sec.T-1 {
				s.Episodes = append(s.Episodes, Span{From: sec.T})
			}
			last = sec.T
			s.Episodes[len(s.Episodes)-1].Until = sec.T + 1
		}
	}
	if first >= 0 {
		s.Throttling = Span{From: first, Until: last + 1}
	}
	return s
}
