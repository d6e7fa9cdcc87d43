package compare

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// proportion is x successes out of n trials. Both may be fractional: a
// bursty rate is compared on counts divided by its design effect.
type proportion struct{ x, n float64 }

func (p proportion) rate() float64 {
	if p.n <= 0 {
		return 0
	}
	return p.x / p.n
}

// shrink divides the counts by the design effect deff (≥ 1): the number of
// independent requests the bursty counts are worth.
func (p proportion) shrink(deff float64) proportion {
	deff = max(deff, 1)
	return proportion{p.x / deff, p.n / deff}
}

// wilson is the Wilson score interval of p at normal quantile z.
func wilson(p proportion, z float64) (lo, hi float64) {
	if p.n <= 0 {
		return 0, 1
	}
	r, z2 := p.rate(), z*z
	denom := 1 + z2/p.n
	centre := (r + z2/(2*p.n)) / denom
	half := z / denom * math.Sqrt(r*(1-r)/p.n+z2/(4*p.n*p.n))
	return max(centre-half, 0), min(centre+half, 1)
}

// newcombe is Newcombe's hybrid score interval (his method 10, 1998) for
// the difference head − base of two independent proportions: each side's
// Wilson interval bounds how far its own rate may move.
func newcombe(base, head proportion, z float64) (lo, hi float64) {
	l1, u1 := wilson(base, z)
	l2, u2 := wilson(head, z)
	p1, p2 := base.rate(), head.rate()
	d := p2 - p1
	lo = d - math.Sqrt((p2-l2)*(p2-l2)+(u1-p1)*(u1-p1))
	hi = d + math.Sqrt((u2-p2)*(u2-p2)+(p1-l1)*(p1-l1))
	return lo, hi
}

// pooledZ is the z statistic of the pooled two-proportion test; ±Inf
// when the rates differ with no variance at all, 0 when neither has an
// event.
func pooledZ(base, head proportion) float64 {
	n := base.n + head.n
	if base.n <= 0 || head.n <= 0 {
		return 0
	}
	pool := (base.x + head.x) / n
	se := math.Sqrt(pool * (1 - pool) * (1/base.n + 1/head.n))
	d := head.rate() - base.rate()
	if se == 0 || math.IsNaN(se) {
		if d == 0 {
			return 0
		}
		return math.Copysign(math.Inf(1), d)
	}
	return d / se
}

// critical is the two-sided critical value at level p: Student's t with
// df degrees of freedom, or the normal when df is 0 (a variance known in
// form, not estimated).
func critical(p, df float64) float64 {
	if df <= 0 {
		return normalQuantile(p)
	}
	return tQuantile(p, df)
}

// pOf is the two-sided p-value of a statistic, with the same rule.
func pOf(stat, df float64) float64 {
	if df <= 0 {
		return twoSided(stat)
	}
	return twoSidedT(stat, df)
}

// twoSided is the two-sided normal p-value of z.
func twoSided(z float64) float64 {
	return 2 * distuv.UnitNormal.Survival(math.Abs(z))
}

// normalQuantile is the standard normal quantile.
func normalQuantile(p float64) float64 { return distuv.UnitNormal.Quantile(p) }

// Student's t replaces the normal wherever a standard error comes from
// the bootstrap: a run of n seconds resampled in blocks of L holds only
// about n/L independent pieces of information, so its variance estimate
// is itself uncertain, as a sample variance of n/L values is.

// tQuantile is the p-quantile of Student's t with df degrees of freedom.
func tQuantile(p, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(p)
}

// twoSidedT is the two-sided p-value of t with df degrees of freedom.
func twoSidedT(t, df float64) float64 {
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
}

// welchDF combines two variances' degrees of freedom
// (Welch-Satterthwaite).
func welchDF(v1, df1, v2, df2 float64) float64 {
	den := v1*v1/df1 + v2*v2/df2
	if den <= 0 {
		return math.Min(df1, df2) + math.Max(df1, df2)
	}
	return (v1 + v2) * (v1 + v2) / den
}

// designEffect is how much the bursts of a rate inflate its variance: the
// bootstrap variance over the variance of as many independent requests.
// 1 when it cannot be measured (no event at all).
func designEffect(sd float64, p proportion) float64 {
	r := p.rate()
	iid := r * (1 - r) / p.n
	if iid <= 0 || p.n <= 0 {
		return 1
	}
	return max(sd*sd/iid, 1)
}
