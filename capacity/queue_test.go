package capacity

import (
	"container/heap"
	"math"
	"math/rand/v2"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// queue is a simulated target of known capacity: c workers, each serving
// one request at a time for an exponential service time of mean 1/mu
// seconds, first come first served, fed Poisson arrivals (M/M/c). Its
// capacity is c·mu requests a second, and its response-time distribution
// is known in closed form (respTail), so the SLO boundary is exact.
type queue struct {
	c  int
	mu float64
}

// probe runs the queue at rate from empty for warmup+measure seconds on
// a simulated clock and returns the measured seconds, binned by
// completion as Surge bins them, and the arrivals due in each.
func (q queue) probe(rate float64, warmup, measure int, rng *rand.Rand) ([]Second, []float64) {
	total := warmup + measure
	secs := make([]Second, total+1)
	offered := make([]float64, total+1)
	dense := make([]*hdr.Histogram, total+1) // an array increment a value; packed at the end
	for i := range dense {
		dense[i] = hdr.New(1, 3_600_000_000, 3)
	}
	free := make(freeTimes, q.c)
	for t := rng.ExpFloat64() / rate; t < float64(total); t += rng.ExpFloat64() / rate {
		offered[int(t)]++
		start := math.Max(t, free[0])
		done := start + rng.ExpFloat64()/q.mu
		free[0] = done
		heap.Fix(&free, 0)
		if sec := int(done); sec <= total {
			s := &secs[sec]
			s.Requests++
			_ = dense[sec].RecordValue(int64((done - t) * 1e6))
		}
	}
	for i := range secs {
		secs[i].Latency = metrics.NewHistogram()
		secs[i].Latency.MergeFrom(dense[i])
	}
	return secs[warmup:total], offered[warmup:total]
}

// respTail is P(response time > t) in an M/M/c queue: with probability
// 1−C (Erlang C) a request is served at once (exponential service),
// otherwise it waits an exponential time of rate cμ−λ first.
func (q queue) respTail(rate, t float64) float64 {
	a := rate / q.mu
	cw := erlangC(q.c, a)
	theta := float64(q.c)*q.mu - rate
	var both float64 // P(wait + service > t) for a request that waits
	if math.Abs(theta-q.mu) < 1e-9 {
		both = (1 + q.mu*t) * math.Exp(-q.mu*t)
	} else {
		both = (q.mu*math.Exp(-theta*t) - theta*math.Exp(-q.mu*t)) / (q.mu - theta)
	}
	return (1-cw)*math.Exp(-q.mu*t) + cw*both
}

func erlangC(c int, a float64) float64 {
	term, sum := 1.0, 0.0 // a^k/k!
	for k := 0; k < c; k++ {
		sum += term
		term *= a / float64(k+1)
	}
	rho := a / float64(c)
	top := term / (1 - rho)
	return top / (sum + top)
}

// boundary is the rate at which the pth percentile response time equals
// limit seconds: P(T > limit) = 1 − p/100, found by bisection on the
// closed form (the tail grows with the rate).
func (q queue) boundary(p, limit float64) float64 {
	lo, hi := 0.0, float64(q.c)*q.mu*(1-1e-9)
	for range 200 {
		mid := (lo + hi) / 2
		if q.respTail(mid, limit) > 1-p/100 {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// freeTimes is a min-heap of the times the workers become free.
type freeTimes []float64

func (f freeTimes) Len() int           { return len(f) }
func (f freeTimes) Less(i, j int) bool { return f[i] < f[j] }
func (f freeTimes) Swap(i, j int)      { f[i], f[j] = f[j], f[i] }
func (f *freeTimes) Push(x any)        { *f = append(*f, x.(float64)) }
func (f *freeTimes) Pop() any {
	old := *f
	x := old[len(old)-1]
	*f = old[:len(old)-1]
	return x
}
