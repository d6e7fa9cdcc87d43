package compare

import (
	"math"
	"math/rand/v2"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"gonum.org/v1/gonum/stat/distuv"
)

// simModel simulates a load test second by second, at the level compare
// sees it (per-second histograms and counts), with the noise real runs
// have: a latency level that drifts (AR(1) on its logarithm), stalls that
// slow a share of the requests for a few seconds, a heavy (Pareto) tail,
// a throughput that wanders, and errors and 5xx responses that come in
// bursts.
type simModel struct {
	seconds int
	rps     float64
	// medians of each endpoint's latency, ms; requests split evenly.
	medians []float64
	sigma   float64 // spread of the log-normal body
	// drift of the latency level: stationary standard deviation and
	// lag-one autocorrelation of its logarithm.
	driftSD, driftRho float64
	// the rate drifts the same way.
	rateSD, rateRho float64
	// a stall starts with stallProb each second, lasts 1…stallMax s, and
	// multiplies the latency of stallShare of its requests by stallFactor.
	stallProb, stallShare, stallFactor float64
	stallMax                           int
	// tailProb of requests get a Pareto(1, tailAlpha) factor.
	tailProb, tailAlpha float64
	// errors and 5xx: base rates, and bursts that start with burstProb,
	// last 1…burstMax s and add burstErr and burst5xx.
	errBase, fiveBase, burstProb, burstErr, burst5xx float64
	burstMax                                         int
	// scale multiplies every latency (1.10: a 10 % regression);
	// endpointScale, when set, each endpoint's.
	scale         float64
	endpointScale []float64
}

// realistic is the model of the calibration (docs/compare.md).
func realistic(seconds int) simModel {
	return simModel{
		seconds: seconds, rps: 300, medians: []float64{20, 45}, sigma: 0.35,
		driftSD: 0.03, driftRho: 0.6, rateSD: 0.02, rateRho: 0.6,
		stallProb: 0.02, stallShare: 0.05, stallFactor: 3, stallMax: 2,
		tailProb: 0.003, tailAlpha: 3,
		errBase: 0.001, fiveBase: 0.002, burstProb: 0.03, burstErr: 0.02, burst5xx: 0.02, burstMax: 4,
		scale: 1,
	}
}

// ar1 is an autoregressive process of order one with a given stationary
// standard deviation.
type ar1 struct{ value, sd, rho float64 }

func (a *ar1) step(rng *rand.Rand) float64 {
	a.value = a.rho*a.value + math.Sqrt(1-a.rho*a.rho)*a.sd*rng.NormFloat64()
	return a.value
}

// episode is a stall or a burst: on for a few seconds at a time.
type episode struct{ left int }

func (e *episode) step(rng *rand.Rand, prob float64, longest int) bool {
	if e.left > 0 {
		e.left--
		return true
	}
	if rng.Float64() < prob {
		e.left = rng.IntN(longest)
		return true
	}
	return false
}

// simState is one simulated run in progress.
type simState struct {
	m            simModel
	rng          *rand.Rand
	drift, rate  ar1
	stall, burst episode
	tail         distuv.Pareto
	endpoints    []*hdr.PackedHistogram
	endpointsOK  []*hdr.PackedHistogram // the requests that did not fail
}

func (m simModel) run(label string, rng *rand.Rand) *Run {
	st := &simState{m: m, rng: rng,
		drift: ar1{sd: m.driftSD, rho: m.driftRho}, rate: ar1{sd: m.rateSD, rho: m.rateRho},
		tail: distuv.Pareto{Xm: 1, Alpha: m.tailAlpha, Src: rng}}
	st.drift.value = m.driftSD * rng.NormFloat64()
	st.rate.value = m.rateSD * rng.NormFloat64()
	run := &Run{Label: label}
	for range m.medians {
		st.endpoints = append(st.endpoints, metrics.NewHistogram())
		st.endpointsOK = append(st.endpointsOK, metrics.NewHistogram())
	}
	for range m.seconds {
		run.Intervals = append(run.Intervals, st.second())
	}
	for i, h := range st.endpoints {
		run.Endpoints = append(run.Endpoints, Endpoint{Name: string(rune('A' + i)), Latency: h, LatencyOK: st.endpointsOK[i]})
	}
	return run
}

// second simulates one interval.
func (st *simState) second() Interval {
	m, rng := st.m, st.rng
	level := st.drift.step(rng)
	stalled := st.stall.step(rng, m.stallProb, m.stallMax)
	bursting := st.burst.step(rng, m.burstProb, m.burstMax)
	lambda := m.rps * math.Exp(st.rate.step(rng))
	if stalled {
		lambda *= 0.85
	}
	n := int(distuv.Poisson{Lambda: lambda, Src: rng}.Rand())
	errRate, fiveRate := m.errBase, m.fiveBase
	if bursting {
		errRate, fiveRate = errRate+m.burstErr, fiveRate+m.burst5xx
	}
	iv := Interval{Seconds: 1, Latency: metrics.NewHistogram(), LatencyOK: metrics.NewHistogram(),
		Endpoints: make([]Counts, len(m.medians))}
	for range n {
		e := rng.IntN(len(m.medians))
		us := st.latency(e, level, stalled)
		_ = iv.Latency.RecordValue(us)
		_ = st.endpoints[e].RecordValue(us)
		if !st.count(&iv, e, errRate, fiveRate) {
			_ = iv.LatencyOK.RecordValue(us)
			_ = st.endpointsOK[e].RecordValue(us)
		}
	}
	return iv
}

// latency draws one request's latency in µs.
func (st *simState) latency(e int, level float64, stalled bool) int64 {
	m, rng := st.m, st.rng
	ms := m.medians[e] * math.Exp(level+m.sigma*rng.NormFloat64())
	if m.endpointScale != nil {
		ms *= m.endpointScale[e]
	}
	if rng.Float64() < m.tailProb {
		ms *= st.tail.Rand()
	}
	if stalled && rng.Float64() < m.stallShare {
		ms *= m.stallFactor
	}
	return max(int64(ms*m.scale*1000), 1)
}

// count adds one request, maybe an error or a 5xx, to the interval, and
// says whether it failed.
func (st *simState) count(iv *Interval, e int, errRate, fiveRate float64) bool {
	u := st.rng.Float64()
	c := Counts{Requests: 1}
	switch {
	case u < errRate:
		c.Errors, c.Failures = 1, 1
	case u < errRate+fiveRate:
		c.Failures = 1
	}
	iv.Requests, iv.Errors, iv.Failures = iv.Requests+1, iv.Errors+c.Errors, iv.Failures+c.Failures
	iv.Endpoints[e] = iv.Endpoints[e].plus(c)
	return c.Failures > 0
}

// simPair simulates a base and a head run of the same model, the head's
// latency scaled.
func simPair(m simModel, scale float64, seed uint64) (*Run, *Run) {
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	base := m.run("base", rng)
	m.scale = scale
	return base, m.run("head", rng)
}

func TestSimulatedRunLooksLikeALoadTest(t *testing.T) {
	run := realistic(60).run("x", rand.New(rand.NewPCG(1, 2)))
	if len(run.Intervals) != 60 || len(run.Endpoints) != 2 {
		t.Fatalf("%d intervals, %d endpoints", len(run.Intervals), len(run.Endpoints))
	}
	var req, fail int64
	for _, iv := range run.Intervals {
		req, fail = req+iv.Requests, fail+iv.Failures
	}
	if req < 16_000 || req > 20_000 {
		t.Errorf("%d requests in 60 s at 300 req/s", req)
	}
	if rate := float64(fail) / float64(req); rate < 0.002 || rate > 0.02 {
		t.Errorf("failure rate %.4f", rate)
	}
	p50 := metrics.Percentile(run.Endpoints[0].Latency, 50).Seconds() * 1000
	if p50 < 15 || p50 > 27 {
		t.Errorf("endpoint A's median %.1f ms, want about 20", p50)
	}
}
