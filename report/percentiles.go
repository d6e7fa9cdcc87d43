package report

import (
	"fmt"
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// Percentile grid: ticksPerDecade points for every factor of ten of
// 1/(1-q), that is for every added nine (90 %, 99 %, 99.9 %, …).
const (
	ticksPerDecade    = 20
	maxEndpointCurves = 8
)

// Distribution is the latency percentile distribution (the "distribution"
// of web/src/charts.js), drawn the way HdrHistogram plots it: X is
// 1/(1-q) for quantile q, on a log axis, so 10 is the 90th percentile,
// 100 the 99th and so on; the last point is the maximum.
type Distribution struct {
	X      Series  `json:"x"`
	Series []Curve `json:"series"`
}

// Curve is one latency distribution, in milliseconds at each X.
type Curve struct {
	Label string `json:"label"`
	Ms    Series `json:"ms"`
}

// BuildDistribution decodes the whole-run histograms of r: corrected
// latency and service time of all requests, and the corrected latency of
// each endpoint when there are several (the first eight). It returns nil
// when r has no requests.
func BuildDistribution(r *results.Results) (*Distribution, error) {
	all, err := decode(r.Aggregate.Hist.Latency)
	if err != nil || all == nil {
		return nil, err
	}
	x := grid(all.TotalCount())
	ps := make([]float64, len(x))
	for i, v := range x {
		ps[i] = 100 * (1 - 1/v)
	}
	d := &Distribution{X: x, Series: []Curve{curve("latency (corrected)", all, ps)}}
	if svc, err := decode(r.Aggregate.Hist.Service); err == nil && svc != nil {
		d.Series = append(d.Series, curve("service time", svc, ps))
	}
	if len(r.Endpoints) < 2 {
		return d, nil
	}
	for _, e := range r.Endpoints[:min(len(r.Endpoints), maxEndpointCurves)] {
		h, err := decode(e.Hist.Latency)
		if err != nil {
			return nil, fmt.Errorf("endpoint %q: %w", e.Name, err)
		}
		if h != nil {
			d.Series = append(d.Series, curve(e.Name, h, ps))
		}
	}
	return d, nil
}

// decode returns nil for a missing or empty histogram.
func decode(s string) (*hdr.PackedHistogram, error) {
	if s == "" {
		return nil, nil
	}
	h, err := metrics.DecodeHistogram(s)
	if err != nil {
		return nil, err
	}
	if h.TotalCount() == 0 {
		return nil, nil
	}
	return h, nil
}

// grid returns the X positions for n recorded values: 1, then
// ticksPerDecade steps per decade while below n, then n itself, where the
// quantile 1-1/n reaches the largest value.
func grid(n int64) Series {
	top := float64(max(n, 1))
	x := Series{1}
	for i := 1; ; i++ {
		v := math.Pow(10, float64(i)/ticksPerDecade)
		if v >= top {
			break
		}
		x = append(x, v)
	}
	if top > 1 {
		x = append(x, top)
	}
	return x
}

func curve(label string, h *hdr.PackedHistogram, ps []float64) Curve {
	us := h.ValueAtPercentilesSlice(ps)
	ms := make(Series, len(us))
	for i, v := range us {
		ms[i] = float64(v) / 1000
	}
	ms[len(ms)-1] = float64(h.Max()) / 1000
	return Curve{Label: label, Ms: ms}
}
