package scalability

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize"
)

// Point is one measurement: throughput X (per second) at concurrency N.
type Point struct {
	N, X float64
}

// USL is a fitted Universal Scalability Law model.
type USL struct {
	Lambda float64 // throughput of one unit of concurrency, without contention
	Sigma  float64 // contention: the share of work that is serialised
	Kappa  float64 // coherency: the cost of crosstalk between pairs
}

// Throughput is the model's X at concurrency n.
func (m USL) Throughput(n float64) float64 {
	return m.Lambda * n / (1 + m.Sigma*(n-1) + m.Kappa*n*(n-1))
}

// PeakN is the concurrency at which throughput peaks, √((1−σ)/κ); +Inf
// when κ is 0 (Amdahl's law: throughput only flattens).
func (m USL) PeakN() float64 {
	if m.Kappa <= 0 {
		return math.Inf(1)
	}
	return math.Sqrt((1 - m.Sigma) / m.Kappa)
}

// PeakX is the highest throughput: X at PeakN, or λ/σ as N grows without
// bound when κ is 0.
func (m USL) PeakX() float64 {
	if m.Kappa <= 0 {
		if m.Sigma <= 0 {
			return math.Inf(1)
		}
		return m.Lambda / m.Sigma
	}
	return m.Throughput(m.PeakN())
}

// ContentionBound reports whether contention (σ) rather than coherency
// (κ) limits scaling.
func (m USL) ContentionBound() bool { return m.Sigma > m.Kappa }

// Interval is an estimate with its confidence interval.
type Interval struct {
	Value, Low, High float64
}

// USLFit is a fitted model with confidence intervals on its parameters
// and its peak.
type USLFit struct {
	Model                 USL
	Lambda, Sigma, Kappa  Interval
	PeakN, PeakX          Interval
	Confidence            float64 // of the intervals, e.g. 0.95
	Resamples             int     // bootstrap fits that converged
	Points                int
	ResidualStandardError float64 // √(RSS / (points − 3)), in X's unit
}

// MinUSLPoints is the fewest points FitUSL accepts: three parameters and
// room for residuals (codahale/usl asks for six as well).
const MinUSLPoints = 6

// ErrTooFewPoints says the fit needs more distinct measurements.
var ErrTooFewPoints = fmt.Errorf("a USL fit needs at least %d measurements at distinct concurrencies", MinUSLPoints)

// FitOptions tune the confidence intervals.
type FitOptions struct {
	Resamples  int     // bootstrap resamples (0: 200; negative: none)
	Confidence float64 // (0: 0.95)
	Seed       uint64
}

// FitUSL fits the model to the points by least squares on throughput.
func FitUSL(points []Point, o FitOptions) (USLFit, error) {
	if err := checkPoints(points); err != nil {
		return USLFit{}, err
	}
	if o.Resamples == 0 {
		o.Resamples = 200
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	m, rss, err := fit(points)
	if err != nil {
		return USLFit{}, err
	}
	f := USLFit{Model: m, Confidence: o.Confidence, Points: len(points),
		ResidualStandardError: math.Sqrt(rss / float64(len(points)-3))}
	boots := bootstrap(points, m, o)
	f.Resamples = len(boots)
	f.Lambda = interval(m.Lambda, boots, o.Confidence, func(b USL) float64 { return b.Lambda })
	f.Sigma = interval(m.Sigma, boots, o.Confidence, func(b USL) float64 { return b.Sigma })
	f.Kappa = interval(m.Kappa, boots, o.Confidence, func(b USL) float64 { return b.Kappa })
	f.PeakN = interval(m.PeakN(), boots, o.Confidence, USL.PeakN)
	f.PeakX = interval(m.PeakX(), boots, o.Confidence, USL.PeakX)
	return f, nil
}

func checkPoints(points []Point) error {
	distinct := map[float64]bool{}
	for _, p := range points {
		if !(p.N >= 1) || !(p.X > 0) || math.IsInf(p.N, 0) || math.IsInf(p.X, 0) {
			return fmt.Errorf("measurement (N=%g, X=%g): concurrency must be at least 1 and throughput above 0", p.N, p.X)
		}
		distinct[p.N] = true
	}
	if len(distinct) < MinUSLPoints {
		return ErrTooFewPoints
	}
	return nil
}

// fit minimises the squared residuals from the linearised start. The
// parameters are searched as log λ, logit σ and log κ, so that every
// point the optimiser tries is a valid model (λ > 0, 0 < σ < 1, κ > 0).
func fit(points []Point) (USL, float64, error) {
	start := linearStart(points)
	problem := optimize.Problem{Func: func(x []float64) float64 { return rss(points, fromSearch(x)) }}
	settings := &optimize.Settings{Converger: &optimize.FunctionConverge{Absolute: 1e-12, Relative: 1e-14, Iterations: 200},
		MajorIterations: 20000}
	res, err := optimize.Minimize(problem, toSearch(start), settings, &optimize.NelderMead{})
	if err != nil && res == nil {
		return USL{}, 0, fmt.Errorf("USL fit: %w", err)
	}
	m := atBoundary(fromSearch(res.X), points)
	if math.IsNaN(res.F) || !(m.Lambda > 0) {
		return USL{}, 0, errors.New("USL fit did not converge")
	}
	return m, rss(points, m), nil
}

// negligible is the share of the model's denominator below which a term
// makes no difference anywhere in the data.
const negligible = 1e-9

// atBoundary sets σ or κ to exactly 0 when the fit ended on that
// boundary. The search runs on logit σ and log κ, which can only approach
// 0: a system without coherency cost (Amdahl's law) comes back with κ
// around 1e-15 and a "peak" at N in the millions, far beyond every
// measurement, where the model has no peak at all.
func atBoundary(m USL, points []Point) USL {
	top := slices.MaxFunc(points, func(a, b Point) int { return cmp.Compare(a.N, b.N) }).N
	denominator := 1 + m.Sigma*(top-1) + m.Kappa*top*(top-1)
	if m.Kappa*top*(top-1) < negligible*denominator {
		m.Kappa = 0
	}
	if m.Sigma*(top-1) < negligible*denominator {
		m.Sigma = 0
	}
	return m
}

func rss(points []Point, m USL) float64 {
	var s float64
	for _, p := range points {
		r := p.X - m.Throughput(p.N)
		s += r * r
	}
	return s
}

func toSearch(m USL) []float64 {
	return []float64{math.Log(m.Lambda), math.Log(m.Sigma / (1 - m.Sigma)), math.Log(m.Kappa)}
}

func fromSearch(x []float64) USL {
	return USL{Lambda: math.Exp(x[0]), Sigma: 1 / (1 + math.Exp(-x[1])), Kappa: math.Exp(x[2])}
}

// linearStart estimates λ from the lowest concurrency measured, then σ
// and κ by linear least squares on the USL rearranged:
// λN/X − 1 = σ(N−1) + κN(N−1). Bounds keep the start inside the search.
func linearStart(points []Point) USL {
	low := slices.MinFunc(points, func(a, b Point) int { return cmp.Compare(a.N, b.N) })
	lambda := low.X / low.N
	a := mat.NewDense(len(points), 2, nil)
	y := mat.NewVecDense(len(points), nil)
	for i, p := range points {
		a.Set(i, 0, p.N-1)
		a.Set(i, 1, p.N*(p.N-1))
		y.SetVec(i, lambda*p.N/p.X-1)
	}
	var coef mat.VecDense
	m := USL{Lambda: lambda, Sigma: 0.05, Kappa: 1e-4}
	if err := coef.SolveVec(a, y); err == nil {
		m.Sigma, m.Kappa = coef.AtVec(0), coef.AtVec(1)
	}
	m.Sigma = math.Min(math.Max(m.Sigma, 1e-6), 0.99)
	m.Kappa = math.Max(m.Kappa, 1e-9)
	return m
}

// bootstrap refits the model to the fitted curve plus residuals drawn
// with replacement: with a handful of points, resampling the points
// themselves would often leave too few distinct concurrencies to fit.
func bootstrap(points []Point, m USL, o FitOptions) []USL {
	if o.Resamples < 0 {
		return nil
	}
	residuals := make([]float64, len(points))
	for i, p := range points {
		residuals[i] = p.X - m.Throughput(p.N)
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x75736c))
	out := make([]USL, 0, o.Resamples)
	sample := make([]Point, len(points))
	for range o.Resamples {
		for i, p := range points {
			sample[i] = Point{N: p.N, X: math.Max(m.Throughput(p.N)+residuals[rng.IntN(len(residuals))], 1e-9)}
		}
		if b, _, err := fit(sample); err == nil {
			out = append(out, b)
		}
	}
	return out
}

// interval is the percentile interval of stat over the bootstrap fits.
func interval(value float64, boots []USL, confidence float64, stat func(USL) float64) Interval {
	if len(boots) == 0 {
		return Interval{Value: value, Low: math.NaN(), High: math.NaN()}
	}
	vs := make([]float64, len(boots))
	for i, b := range boots {
		vs[i] = stat(b)
	}
	slices.Sort(vs)
	tail := (1 - confidence) / 2
	return Interval{Value: value, Low: quantileSorted(vs, tail), High: quantileSorted(vs, 1-tail)}
}

// quantileSorted reads the q-th quantile of sorted values by linear
// interpolation between order statistics. The values may end in +Inf (fits
// without a peak): between a finite value and +Inf the quantile is +Inf.
func quantileSorted(vs []float64, q float64) float64 {
	pos := q * float64(len(vs)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(vs)-1)
	frac := pos - float64(lo)
	switch {
	case frac == 0:
		return vs[lo]
	case math.IsInf(vs[hi], 1):
		return vs[hi]
	}
	return vs[lo] + frac*(vs[hi]-vs[lo])
}
