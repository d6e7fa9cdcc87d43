package results

import (
	"math"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/selfwatch"
)

// GeneratorInterval is the generator's watch on itself over one interval.
type GeneratorInterval struct {
	// Arrivals is how many open-model arrivals began; SendLag is how late
	// after their intended time (least, 99th percentile, most), a wait
	// for a free connection of a bounded pool included.
	Arrivals     int64   `json:"arrivals"`
	SendLagMinMs float64 `json:"send_lag_min_ms"`
	SendLagP99Ms float64 `json:"send_lag_p99_ms"`
	SendLagMaxMs float64 `json:"send_lag_max_ms"`
	// PacerLag is how late the pacer handed arrivals on (begun or
	// dropped): the generator's own lateness alone.
	PacerLagMinMs float64 `json:"pacer_lag_min_ms"`
	PacerLagP99Ms float64 `json:"pacer_lag_p99_ms"`
	PacerLagMaxMs float64 `json:"pacer_lag_max_ms"`
	// TimerLagP99Ms is how late the watch's own 20 ms timer fired.
	TimerLagP99Ms float64 `json:"timer_lag_p99_ms"`
	// CPUPct is the process's CPU time as a percentage of Cores;
	// DemandPct the time its threads ran or waited to run, likewise
	// (absent where the platform does not say).
	CPUPct    *float64 `json:"cpu_pct,omitempty"`
	DemandPct *float64 `json:"cpu_demand_pct,omitempty"`
	Cores     int      `json:"cores"`
	// ConnsOpened is the connections dialled; PoolConns the open model's
	// pool of connections when the interval closed.
	ConnsOpened int64 `json:"conns_opened"`
	PoolConns   int64 `json:"pool_conns,omitempty"`
	// PoolWaits is the interval's arrivals that found every connection
	// of the growing pool busy at its ceiling, when it grew after the
	// interval: waits for connections it had not opened yet, Surge's
	// shortfall rather than the server's limit.
	PoolWaits int64 `json:"pool_waits,omitempty"`
}

// Generator is the verdict of the generator's watch on itself: whether
// Surge, rather than the server, was the bottleneck, and when.
type Generator struct {
	// Verdict is "generator-bound" when some span was, "ok" otherwise;
	// Bound says the same.
	Verdict string `json:"verdict"`
	Bound   bool   `json:"bound"`
	// BoundS is the length of the spans together, in seconds.
	BoundS float64         `json:"bound_s"`
	Spans  []GeneratorSpan `json:"spans,omitempty"`
	// Cores is the cores the generator could use (GOMAXPROCS).
	Cores int `json:"cores"`
	// ConnsOpened is the connections dialled over the run; MaxPoolConns
	// the largest pool the open model held.
	ConnsOpened  int64           `json:"conns_opened"`
	MaxPoolConns int64           `json:"max_pool_conns,omitempty"`
	Limits       GeneratorLimits `json:"limits"`
}

// GeneratorSpan is a stretch of the run during which the generator was
// its own bottleneck.
type GeneratorSpan struct {
	FromS float64 `json:"from_s"` // since the start of the test
	ToS   float64 `json:"to_s"`
	// Why is "busy" (late while using its cores), "runaway" (its pacer
	// falling further behind every second), "starved" (its arrivals
	// falling further behind every second while it wanted all its cores)
	// or "pool" (its arrivals late waiting for connections its own
	// growing pool had not opened yet).
	Why string `json:"why"`
	// The span's worst second: its start, its lag (the highest of the
	// send, pacer and timer lags' 99th percentiles), its CPU use and
	// demand as percentages of the cores (absent when unknown; demand
	// passes 100 when the runtime's own threads want more).
	WorstAtS  float64  `json:"worst_at_s"`
	LagP99Ms  float64  `json:"lag_p99_ms"`
	CPUPct    *float64 `json:"cpu_pct,omitempty"`
	DemandPct *float64 `json:"cpu_demand_pct,omitempty"`
}

// GeneratorLimits are the thresholds the verdict used.
type GeneratorLimits struct {
	MaxCPUPct    float64 `json:"max_cpu_pct"`
	MaxLagMs     float64 `json:"max_lag_ms"`
	RunawayShare float64 `json:"runaway_share"`
	Enter        int     `json:"enter_s"`
	Leave        int     `json:"leave_s"`
}

// generatorInterval is the results form of an interval's watch (nil for
// an interval without one: a bare recorder's).
func generatorInterval(g metrics.Generator) *GeneratorInterval {
	if g.Cores == 0 {
		return nil
	}
	ms := func(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }
	return &GeneratorInterval{Arrivals: g.Arrivals, SendLagMinMs: ms(g.LagMin), SendLagP99Ms: ms(g.LagP99),
		SendLagMaxMs: ms(g.LagMax), PacerLagMinMs: ms(g.PacerLagMin), PacerLagP99Ms: ms(g.PacerLagP99),
		PacerLagMaxMs: ms(g.PacerLagMax), TimerLagP99Ms: ms(g.TimerLagP99),
		CPUPct: pct(g.CPU), DemandPct: pct(g.Demand), Cores: g.Cores, ConnsOpened: g.ConnsOpened, PoolConns: g.Conns,
		PoolWaits: g.PoolWaits}
}

// pct is a share as a percentage, nil when NaN.
func pct(share float64) *float64 {
	if math.IsNaN(share) {
		return nil
	}
	v := math.Round(share*1000) / 10
	if math.IsInf(v, 0) { // share·1000 overflowed: the percentage is whole already
		v = share * 100
	}
	return &v
}

func share(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p / 100
}

// Second is the interval's watch as package selfwatch judges it; ok is
// false when the interval has none.
func (iv Interval) Second() (s selfwatch.Second, ok bool) {
	g := iv.Generator
	if g == nil {
		return selfwatch.Second{}, false
	}
	return selfwatch.Second{Index: iv.Index, DurationS: iv.DurationS, Arrivals: g.Arrivals,
		LagMinMs: g.SendLagMinMs, LagP99Ms: g.SendLagP99Ms, LagMaxMs: g.SendLagMaxMs,
		PacerLagMinMs: g.PacerLagMinMs, PacerLagP99Ms: g.PacerLagP99Ms, PacerLagMaxMs: g.PacerLagMaxMs, TimerLagP99Ms: g.TimerLagP99Ms, CPU: share(g.CPUPct),
		Demand: share(g.DemandPct), Cores: g.Cores, ConnsOpened: g.ConnsOpened, PoolWaits: g.PoolWaits}, true
}

// JudgeGenerator judges the generator's watch on itself over the
// intervals (package selfwatch, default limits); nil when no interval
// holds one (a file written before the watch existed).
func JudgeGenerator(ivs []Interval) *Generator {
	var secs []selfwatch.Second
	out := &Generator{}
	for _, iv := range ivs {
		s, ok := iv.Second()
		if !ok {
			continue
		}
		secs = append(secs, s)
		out.Cores = max(out.Cores, s.Cores)
		out.ConnsOpened += s.ConnsOpened
		out.MaxPoolConns = max(out.MaxPoolConns, iv.Generator.PoolConns)
	}
	if len(secs) == 0 {
		return nil
	}
	l := selfwatch.Limits{}.WithDefaults()
	out.Limits = GeneratorLimits{MaxCPUPct: 100 * l.MaxCPU, MaxLagMs: l.MaxLagMs, RunawayShare: l.RunawayShare,
		Enter: l.Enter, Leave: l.Leave}
	v := selfwatch.Judge(secs, l)
	out.Bound, out.Verdict = v.Bound, "ok"
	if v.Bound {
		out.Verdict = "generator-bound"
	}
	for _, s := range v.Spans {
		out.BoundS += s.ToS - s.FromS
		out.Spans = append(out.Spans, SpanOf(s))
	}
	out.BoundS = round3(out.BoundS)
	return out
}

// SpanOf is a selfwatch span as the results file keeps it.
func SpanOf(s selfwatch.Span) GeneratorSpan {
	w := s.Worst
	return GeneratorSpan{FromS: s.FromS, ToS: s.ToS, Why: s.Why, WorstAtS: float64(w.Index),
		LagP99Ms: round3(w.Lag()), CPUPct: pct(w.CPU), DemandPct: pct(w.Demand)}
}
