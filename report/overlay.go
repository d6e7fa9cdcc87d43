package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"sync"

	"github.com/surge-dev/surge/results"
)

// OverlayRun is one run of an overlay page.
type OverlayRun struct {
	Label   string
	Results *results.Results
}

// OverlayOptions adjust an overlay page.
type OverlayOptions struct {
	// Title heads the page; empty means "Surge comparison".
	Title string
	// Summary is shown above the charts as preformatted text (surge
	// compare puts its table there).
	Summary string

	assets fs.FS // replaces the embedded web assets, for tests
}

var (
	//go:embed overlay.gohtml
	overlaySource string
	// overlayPage is parsed on first use, not at init (start-up time).
	overlayPage = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("overlay").Parse(overlaySource))
	})
)

// overlayView is what overlay.gohtml renders.
type overlayView struct {
	Title   string
	Summary string
	Runs    []string
	PageCSS template.CSS
	Charts  *chartAssets
	Notice  string
	Data    template.JS
	// OK: a run's lines and curves of the requests that did not fail are
	// drawn, and the notes say what the dotted ones are.
	OK bool
}

// overlayData is the JSON the page's scripts read: the report's script
// draws "timeline" with the chart kind "overlay" and "percentiles" as the
// report's latency distribution.
type overlayData struct {
	Title       string         `json:"title"`
	Timeline    *overlayLines  `json:"timeline"`
	Percentiles *overlayCurves `json:"percentiles"`
}

// overlayLines is the timeline of the "overlay" chart kind of
// web/src/charts.js: lines on one time axis, in milliseconds.
type overlayLines struct {
	BucketS int           `json:"bucket_s"`
	T       Series        `json:"t"`
	Overlay []overlayLine `json:"overlay"`
}

type overlayLine struct {
	Label  string `json:"label"`
	Values Series `json:"values"`
	Color  int    `json:"color"`
	Dash   []int  `json:"dash,omitempty"`
	// OK marks a line of the requests that did not fail: charts.js draws
	// it as the report's latency chart draws its own, dotted.
	OK bool `json:"ok,omitempty"`
}

// overlayCurves is the "distribution" of web/src/charts.js with a
// colour per run, the curves of a run in its colour.
type overlayCurves struct {
	X      Series         `json:"x"`
	Series []overlayCurve `json:"series"`
}

type overlayCurve struct {
	Curve
	Color int  `json:"color"`
	OK    bool `json:"ok,omitempty"` // as overlayLine's
}

var errNoRuns = errors.New("report: an overlay needs at least one run")

// WriteOverlay writes one self-contained page that overlays runs: the
// latency of each by percentile, and its p50 and p99 second by second
// (seconds since each run's start, so runs of different dates line up);
// for a run that failed requests and holds the latency of those that did
// not, that latency too, dotted.
func WriteOverlay(w io.Writer, runs []OverlayRun, opts OverlayOptions) error {
	b, err := renderOverlay(runs, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

func renderOverlay(runs []OverlayRun, opts OverlayOptions) ([]byte, error) {
	if len(runs) == 0 {
		return nil, errNoRuns
	}
	assets, err := loadChartAssets(opts.assets)
	if err != nil {
		return nil, err
	}
	v := &overlayView{Title: opts.Title, Summary: opts.Summary, PageCSS: template.CSS(pageCSS), Charts: assets}
	if v.Title == "" {
		v.Title = "Surge comparison"
	}
	if assets == nil {
		v.Notice = NoChartsNotice
	}
	d := overlayData{Title: v.Title, Timeline: overlayTimeline(runs)}
	if d.Percentiles, err = overlayDistribution(runs); err != nil {
		return nil, err
	}
	for _, r := range runs {
		v.Runs = append(v.Runs, r.Label)
		v.OK = v.OK || okShown(r.Results)
	}
	data, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("report: encode data: %w", err)
	}
	v.Data = template.JS(data)
	var buf bytes.Buffer
	if err := overlayPage().Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return buf.Bytes(), nil
}

// overlayTimeline lines up the runs' per-second p50 and p99 (the results
// file's own, from each interval's histogram): one colour per run, p99
// dashed, and those of the requests that did not fail dotted where
// okShown. Intervals too short to plot are gaps.
func overlayTimeline(runs []OverlayRun) *overlayLines {
	n := 0
	for _, r := range runs {
		n = max(n, len(r.Results.Intervals))
	}
	tl := &overlayLines{BucketS: 1, T: make(Series, n)}
	for i := range tl.T {
		tl.T[i] = float64(i)
	}
	for c, r := range runs {
		ivs := r.Results.Intervals
		p50, p99 := percentileLines(n, ivs, func(iv *results.Interval) *results.Latency { return &iv.Latency })
		tl.Overlay = append(tl.Overlay, overlayLine{Label: r.Label + " p50", Values: p50, Color: c},
			overlayLine{Label: r.Label + " p99", Values: p99, Color: c, Dash: []int{6, 4}})
		if okShown(r.Results) {
			p50, p99 := percentileLines(n, ivs, okLatency)
			tl.Overlay = append(tl.Overlay, overlayLine{Label: r.Label + " p50 ok", Values: p50, Color: c, OK: true},
				overlayLine{Label: r.Label + " p99 ok", Values: p99, Color: c, OK: true})
		}
	}
	return tl
}

// percentileLines are the p50 and p99 over n seconds of the latency get
// returns of each interval, with a gap where it returns nil.
func percentileLines(n int, ivs []results.Interval, get func(*results.Interval) *results.Latency) (p50, p99 Series) {
	p50, p99 = gaps(n), gaps(n)
	for i := range ivs {
		iv := &ivs[i]
		if l := get(iv); l != nil && iv.DurationS >= MinPlottedS && iv.Requests > 0 {
			p50[i], p99[i] = l.P50, l.P99
		}
	}
	return p50, p99
}

// okShown says whether a run's latency of the requests that did not fail
// is drawn: its file holds it (one of an earlier Surge does not), some
// request failed and some did not. Without failures it is the latency
// of every request again, a dotted line on the solid one, which the
// report's latency chart leaves out too; without successes there is no
// line to draw.
func okShown(r *results.Results) bool {
	return r.Aggregate.LatencyOK != nil && r.Aggregate.Failures > 0 && r.Aggregate.LatencyOK.Sample > 0
}

// okLatency is an interval's latency of the requests that did not fail,
// nil where none did (a gap, not a 0 that would read as a fast second).
func okLatency(iv *results.Interval) *results.Latency {
	if iv.LatencyOK == nil || iv.LatencyOK.Sample == 0 {
		return nil
	}
	return iv.LatencyOK
}

func gaps(n int) Series {
	s := make(Series, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// overlayDistribution is each run's whole latency distribution on one
// percentile grid (fine enough for the run with the most requests), and
// that of its requests that did not fail where okShown.
func overlayDistribution(runs []OverlayRun) (*overlayCurves, error) {
	var most int64
	for _, r := range runs {
		most = max(most, r.Results.Aggregate.Requests)
	}
	x := grid(most)
	ps := make([]float64, len(x))
	for i, v := range x {
		ps[i] = 100 * (1 - 1/v)
	}
	d := &overlayCurves{X: x}
	for c, r := range runs {
		if err := d.add(r.Label, r.Results.Aggregate.Hist.Latency, c, false, ps); err != nil {
			return nil, err
		}
		if okShown(r.Results) {
			if err := d.add(r.Label+" ok", r.Results.Aggregate.Hist.LatencyOK, c, true, ps); err != nil {
				return nil, err
			}
		}
	}
	if len(d.Series) == 0 {
		return nil, nil
	}
	return d, nil
}

// add appends the curve of an encoded histogram at the percentiles ps,
// unless it holds no value.
func (d *overlayCurves) add(label, hist string, color int, ok bool, ps []float64) error {
	h, err := decode(hist)
	if err != nil {
		return fmt.Errorf("%s: %w", label, err)
	}
	if h != nil {
		d.Series = append(d.Series, overlayCurve{Curve: curve(label, h, ps), Color: color, OK: ok})
	}
	return nil
}
