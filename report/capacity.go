package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"sync"
)

// CapacityPoint is one load a capacity search probed, judged on all its
// seconds.
type CapacityPoint struct {
	Load     float64 // offered: arrivals per second, or users
	Achieved float64 // completed per second
	Latency  float64 // the SLO's latency percentile, ms (NaN: none)
	Pass     bool
	Unsure   bool // neither passed nor failed with confidence
}

// CapacityPage is what a capacity search's report shows.
type CapacityPage struct {
	Title string
	Unit  string // of the load: "req/s" or "users"
	// Summary is the search's text (its probe table and answer), shown
	// preformatted.
	Summary string
	// Warnings are shown above the charts: what the SLO may not say as
	// meant (an objective that ignores failures), which the charts'
	// green dots would otherwise hide.
	Warnings []string
	Points   []CapacityPoint
	// LatencyName names the latency plotted ("p99"); LatencyLimit is its
	// objective (0: none).
	LatencyName  string
	LatencyLimit float64
	// Max is the highest load that held; Knee where latency turned up
	// (0: none of either).
	Max, Knee float64
}

var (
	//go:embed capacity.gohtml
	capacitySource string
	// capacityPage is parsed on first use, not at init (start-up time).
	capacityPage = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("capacity").Parse(capacitySource))
	})
)

type capacityView struct {
	CapacityPage
	PageCSS    template.CSS
	Throughput template.HTML
	Latency    template.HTML
}

// WriteCapacity writes the self-contained page of a capacity search: its
// text, and throughput and latency against offered load as inline SVG
// (no script: the page needs nothing but itself), with the answer and the
// knee marked.
func WriteCapacity(w io.Writer, p CapacityPage) error {
	v := capacityView{CapacityPage: p, PageCSS: template.CSS(pageCSS)}
	if v.Title == "" {
		v.Title = "Surge capacity search"
	}
	v.Throughput = throughputChart(p)
	v.Latency = latencyChart(p)
	var buf bytes.Buffer
	if err := capacityPage().Execute(&buf, v); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// plot is one chart's frame: 640×300 with margins for the axes.
type plot struct {
	b          strings.Builder
	xMax, yMax float64
}

const (
	plotW, plotH          = 640.0, 300.0
	left, right, top, bot = 64.0, 16.0, 12.0, 40.0
)

func newPlot(xMax, yMax float64) *plot {
	// a tenth more room than the data on both axes: the highest load,
	// where the answer usually is, stays off the frame's edge
	p := &plot{xMax: niceCeil(1.1 * xMax), yMax: niceCeil(1.1 * yMax)}
	fmt.Fprintf(&p.b, `<svg viewBox="0 0 %g %g" width="100%%" role="img" xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="system-ui, sans-serif">`, plotW, plotH)
	return p
}

func (p *plot) x(v float64) float64 { return left + (plotW-left-right)*v/p.xMax }
func (p *plot) y(v float64) float64 { return plotH - bot - (plotH-top-bot)*v/p.yMax }

// axes draws both axes with five ticks each, and their labels.
func (p *plot) axes(xLabel, yLabel string) {
	for i := range 6 {
		xv, yv := p.xMax*float64(i)/5, p.yMax*float64(i)/5
		fmt.Fprintf(&p.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d1d9e0"/>`, left, p.y(yv), plotW-right, p.y(yv))
		fmt.Fprintf(&p.b, `<text x="%.1f" y="%.1f" text-anchor="end" fill="#59636e">%s</text>`, left-6, p.y(yv)+4, fmtFloat(roundSig(yv, 3)))
		fmt.Fprintf(&p.b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="#59636e">%s</text>`, p.x(xv), plotH-bot+16, fmtFloat(roundSig(xv, 3)))
	}
	fmt.Fprintf(&p.b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, (left+plotW-right)/2, plotH-6, template.HTMLEscapeString(xLabel))
	fmt.Fprintf(&p.b, `<text x="14" y="%.1f" text-anchor="middle" transform="rotate(-90 14 %.1f)">%s</text>`, (top+plotH-bot)/2, (top+plotH-bot)/2, template.HTMLEscapeString(yLabel))
}

// vline marks a load with a labelled vertical line; row staggers the
// labels of lines that may stand close together.
func (p *plot) vline(v float64, color, label string, dash bool, row int) {
	if !(v > 0) {
		return
	}
	style := ""
	if dash {
		style = ` stroke-dasharray="6 4"`
	}
	fmt.Fprintf(&p.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"%s/>`, p.x(v), top, p.x(v), plotH-bot, color, style)
	x, anchor := p.x(v)+4, "start"
	if p.x(v) > 0.7*plotW { // near the right edge the label goes left of its line
		x, anchor = p.x(v)-4, "end"
	}
	fmt.Fprintf(&p.b, `<text x="%.1f" y="%.1f" fill="%s" text-anchor="%s">%s</text>`, x, top+12+14*float64(row), color, anchor, template.HTMLEscapeString(label))
}

// series draws a line through the points and a dot at each, green where
// the load held and red where it did not.
func (p *plot) series(pts []CapacityPoint, value func(CapacityPoint) float64, color string) {
	var path []string
	for _, pt := range pts {
		if v := value(pt); !math.IsNaN(v) {
			path = append(path, fmt.Sprintf("%.1f,%.1f", p.x(pt.Load), p.y(math.Min(v, p.yMax))))
		}
	}
	fmt.Fprintf(&p.b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, color, strings.Join(path, " "))
	for _, pt := range pts {
		v := value(pt)
		if math.IsNaN(v) {
			continue
		}
		fill := "#cf222e"
		switch {
		case pt.Pass:
			fill = "#1a7f37"
		case pt.Unsure:
			fill = "#bf8700"
		}
		fmt.Fprintf(&p.b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s: %s</title></circle>`,
			p.x(pt.Load), p.y(math.Min(v, p.yMax)), fill, fmtFloat(roundSig(pt.Load, 4)), fmtFloat(roundSig(v, 4)))
	}
}

func (p *plot) html() template.HTML {
	p.b.WriteString(`</svg>`)
	return template.HTML(p.b.String()) // built above from numbers and escaped labels
}

func throughputChart(c CapacityPage) template.HTML {
	xMax, yMax := 0.0, 0.0
	for _, pt := range c.Points {
		xMax, yMax = math.Max(xMax, pt.Load), math.Max(yMax, pt.Achieved)
	}
	if c.Unit != "users" {
		yMax = math.Max(yMax, xMax)
	}
	p := newPlot(xMax, yMax)
	p.axes("offered load ("+c.Unit+")", "served (req/s)")
	if c.Unit != "users" { // the open model's ideal: everything offered is served
		fmt.Fprintf(&p.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#59636e" stroke-dasharray="2 4"/>`,
			p.x(0), p.y(0), p.x(math.Min(p.xMax, p.yMax)), p.y(math.Min(p.xMax, p.yMax)))
	}
	p.vline(c.Max, "#1a7f37", "max sustainable", false, 0)
	p.vline(c.Knee, "#8250df", "knee", true, 1)
	p.series(c.Points, func(pt CapacityPoint) float64 { return pt.Achieved }, "#0969da")
	return p.html()
}

func latencyChart(c CapacityPage) template.HTML {
	xMax, yMax := 0.0, c.LatencyLimit*1.5
	for _, pt := range c.Points {
		xMax = math.Max(xMax, pt.Load)
		if !math.IsNaN(pt.Latency) && (c.LatencyLimit == 0 || pt.Latency < 4*c.LatencyLimit) {
			yMax = math.Max(yMax, pt.Latency)
		}
	}
	p := newPlot(xMax, math.Max(yMax, 1))
	p.axes("offered load ("+c.Unit+")", c.LatencyName+" latency (ms)")
	if c.LatencyLimit > 0 {
		fmt.Fprintf(&p.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#cf222e" stroke-dasharray="6 4"/>`,
			left, p.y(c.LatencyLimit), plotW-right, p.y(c.LatencyLimit))
		fmt.Fprintf(&p.b, `<text x="%.1f" y="%.1f" fill="#cf222e">SLO</text>`, left+4, p.y(c.LatencyLimit)-4)
	}
	p.vline(c.Max, "#1a7f37", "max sustainable", false, 0)
	p.vline(c.Knee, "#8250df", "knee", true, 1)
	p.series(c.Points, func(pt CapacityPoint) float64 { return pt.Latency }, "#bf8700")
	return p.html()
}

// niceCeil rounds v up to a round multiple of a power of ten, so that
// five ticks fall on readable values.
func niceCeil(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*e >= v {
			return m * e
		}
	}
	return 10 * e
}
