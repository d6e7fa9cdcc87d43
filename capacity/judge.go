package capacity

import "math"

// Constraint is what made a load fail: the constraint that bound.
type Constraint string

// The constraints a probe can break.
const (
	Latency    Constraint = "latency"       // a latency objective
	Failures   Constraint = "failures"      // a failure or error rate objective
	Throttles  Constraint = "429 throttles" // failures that are mostly 429 Too Many Requests
	Throughput Constraint = "throughput"    // less than MinAchieved of the offered rate completed
	Queueing   Constraint = "queue growing" // latency trending upward inside the probe
	ScalingLag Constraint = "scaling lag"   // broken early in the probe, then met: capacity arrived late
	NotShown   Constraint = "not shown"     // still UNSURE after every extension
	Saturation Constraint = "generator saturated"
	// NoSuccess: an objective on the latency of the requests that did not
	// fail, in a probe where none did.
	NoSuccess Constraint = "no request succeeded"
)

// Generator is what the load generator measured of itself during a probe.
type Generator struct {
	CPU   float64 // busy share of the cores it may use (1: all of them)
	LagMs float64 // its own timers' lateness, 99th percentile, ms
}

// Judgement is a load's verdict from the seconds measured at it.
type Judgement struct {
	Load      float64
	Seconds   int
	Verdict   Verdict
	Estimates []Estimate
	// Offered is the arrivals due per second (open model), Achieved the
	// requests completed per second.
	Offered, Achieved float64
	Requests          int64
	Failures          int64
	Throttled         int64
	MeanLatencyMs     float64
	MeanInFlight      float64
	// Trends are the queue check, on the latency the SLO's latency
	// objectives judge (TrendReads): every request's, that of the
	// requests that did not fail, or both in turn.
	Trends    []LatencyTrend
	Generator Generator
	Reasons   []Constraint

	offered []float64
}

// Saturated reports whether the generator passed its limits.
func (g Generator) Saturated(l GeneratorLimits) bool {
	return g.CPU >= l.MaxCPU || g.LagMs > l.MaxLagMs
}

// Judge gives the verdict on a load from its measured seconds (of one
// probe or several at the same load, in order).
func Judge(c Config, load float64, secs []Second, offered []float64, gen Generator) Judgement {
	c = c.withDefaults()
	j := Judgement{Load: load, Seconds: len(secs), Generator: gen, offered: offered}
	set := newSampleSet(secs, c.SLO)
	j.Estimates = estimates(set, c)
	j.count(secs, offered)
	j.MeanLatencyMs = set.meanLatency()
	j.Trends = trends(secs, c.SLO)
	j.Verdict, j.Reasons = j.decide(c, secs)
	return j
}

func (j *Judgement) count(secs []Second, offered []float64) {
	var inFlight, offer float64
	for i, s := range secs {
		j.Requests, j.Failures, j.Throttled = j.Requests+s.Requests, j.Failures+s.Failures, j.Throttled+s.Throttled
		inFlight += float64(s.InFlight)
		if i < len(offered) {
			offer += offered[i]
		}
	}
	if n := float64(len(secs)); n > 0 {
		j.Achieved, j.Offered, j.MeanInFlight = float64(j.Requests)/n, offer/n, inFlight/n
	}
}

// decide combines the objectives, the rate served and the trend.
func (j *Judgement) decide(c Config, secs []Second) (Verdict, []Constraint) {
	var reasons []Constraint
	unsure := false
	for _, e := range j.Estimates {
		switch e.Verdict {
		case Fail:
			reasons = appendOnce(reasons, j.brokenBy(e))
		case Unsure:
			unsure = true
		}
	}
	switch served(c, secs, j.offered) {
	case Fail:
		reasons = appendOnce(reasons, Throughput)
	case Unsure:
		unsure = true
	}
	if j.QueueGrowing() {
		reasons = appendOnce(reasons, Queueing)
	}
	switch {
	case len(reasons) > 0:
		if recovered(c, secs) {
			reasons = append(reasons, ScalingLag)
		}
		return Fail, reasons
	case unsure:
		return Unsure, nil
	}
	return Pass, nil
}

// QueueGrowing reports whether latency rose inside the probe, in any of
// the latencies its trend was read from.
func (j Judgement) QueueGrowing() bool {
	for _, t := range j.Trends {
		if t.Up() {
			return true
		}
	}
	return false
}

func (j *Judgement) brokenBy(e Estimate) Constraint {
	switch {
	case e.NoSuccess:
		return NoSuccess
	case e.Objective.Metric.IsLatency():
		return Latency
	}
	if j.Failures > 0 && 2*j.Throttled >= j.Failures {
		return Throttles
	}
	return Failures
}

// recovered reports whether the objectives, broken over the first half
// of the seconds, hold over the second half: the target caught up with
// the load during the probe (it scaled out), so what bound was the time
// it took.
func recovered(c Config, secs []Second) bool {
	if len(secs) < 6 {
		return false
	}
	half := len(secs) / 2
	return !holds(c.SLO, secs[:half]) && holds(c.SLO, secs[half:])
}

// holds reports whether every objective's point estimate meets it.
func holds(slo []Objective, secs []Second) bool {
	set := newSampleSet(secs, slo)
	all := make([]int, len(secs))
	for i := range all {
		all[i] = i
	}
	t := set.add(all)
	for k, o := range slo {
		v, exceed := t.value(set, k)
		if isPercentile(o) && exceed >= 1-o.Stat.P/100 || !isPercentile(o) && !o.Op.Holds(v, o.Value) {
			return false
		}
	}
	return true
}

func appendOnce(cs []Constraint, c Constraint) []Constraint {
	for _, x := range cs {
		if x == c {
			return cs
		}
	}
	return append(cs, c)
}

// served judges the share of the offered load that completed (open
// model), with confidence like an objective. Completions lag arrivals: a
// request due near the end of the window completes after it, so the
// window may come short by the requests in flight across its edge
// (slack: one, or as many as were in flight on average, up to another
// (1 − MinAchieved) of the load). Short even with that at the
// interval's high end is a failure; short only at the point estimate,
// UNSURE. At 10 req/s over 2 s, one request still in flight is 5 %.
func served(c Config, secs []Second, offered []float64) Verdict {
	if c.Mode != Rate || len(offered) != len(secs) || len(secs) == 0 {
		return Pass
	}
	var inFlight, due float64
	for i, s := range secs {
		inFlight, due = inFlight+float64(s.InFlight), due+offered[i]
	}
	slack := 1 + math.Min(inFlight/float64(len(secs)), (1-c.MinAchieved)*due)
	ratio := func(picked []int) float64 {
		var done, due float64
		for _, i := range picked {
			done, due = done+float64(secs[i].Requests), due+offered[i]
		}
		if due == 0 {
			return 1
		}
		return (done + slack) / due
	}
	all := make([]int, len(secs))
	for i := range all {
		all[i] = i
	}
	if ratio(all) >= c.MinAchieved {
		return Pass
	}
	draws := resample(len(secs), c, ratio)
	if quantile(draws, c.Confidence) < c.MinAchieved {
		return Fail
	}
	return Unsure
}
