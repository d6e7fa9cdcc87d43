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
}

// overlayData is the JSON the page's scripts read: the report's script
// draws "timeline" with the chart kind "overlay" and "percentiles" as the
// report's latency distribution.
type overlayData struct {
	Title       string        `json:"title"`
	Timeline    *overlayLines `json:"timeline"`
	Percentiles *Distribution `json:"percentiles"`
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
}

var errNoRuns = errors.New("report: an overlay needs at least one run")

// WriteOverlay writes one self-contained page that overlays runs: the
// latency of each by percentile, and its p50 and p99 second by second
// (seconds since each run's start, so runs of different dates line up).
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
// dashed. Intervals too short to plot are gaps.
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
		p50, p99 := gaps(n), gaps(n)
		for i, iv := range r.Results.Intervals {
			if iv.DurationS >= MinPlottedS && iv.Requests > 0 {
				p50[i], p99[i] = iv.Latency.P50, iv.Latency.P99
			}
		}
		tl.Overlay = append(tl.Overlay, overlayLine{Label: r.Label + " p50", Values: p50, Color: c},
			overlayLine{Label: r.Label + " p99", Values: p99, Color: c, Dash: []int{6, 4}})
	}
	return tl
}

func gaps(n int) Series {
	s := make(Series, n)
	for i := range s {
		s[i] = math.NaN()
	}
	return s
}

// overlayDistribution is each run's whole latency distribution on one
// percentile grid (fine enough for the run with the most requests).
func overlayDistribution(runs []OverlayRun) (*Distribution, error) {
	var most int64
	for _, r := range runs {
		most = max(most, r.Results.Aggregate.Requests)
	}
	x := grid(most)
	ps := make([]float64, len(x))
	for i, v := range x {
		ps[i] = 100 * (1 - 1/v)
	}
	d := &Distribution{X: x}
	for _, r := range runs {
		h, err := decode(r.Results.Aggregate.Hist.Latency)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Label, err)
		}
		if h != nil {
			d.Series = append(d.Series, curve(r.Label, h, ps))
		}
	}
	if len(d.Series) == 0 {
		return nil, nil
	}
	return d, nil
}
