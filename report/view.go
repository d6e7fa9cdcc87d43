package report

import (
	"encoding/json"
	"fmt"
	"html/template"

	"github.com/surge-dev/surge/console"
	"github.com/surge-dev/surge/report/story"
	"github.com/surge-dev/surge/results"
)

// NoChartsNotice is shown at the top of a report written by a binary
// built without the web assets.
const NoChartsNotice = "This report has no charts: the surge binary that wrote it was built " +
	"without its web assets. Run make build (it builds them and adds the surge_webui build tag), " +
	"then write the report again."

// view is what page.gohtml renders.
type view struct {
	Title     string
	Test      results.Test
	Facts     []stat
	Cards     []stat
	Verdicts  []Verdict
	Failed    int // verdicts that failed
	NoData    int // verdicts with nothing to measure
	Latency   []latencyRow
	Endpoints []endpointRow
	Codes     []countRow
	Kinds     []countRow
	Reasons   []reasonRow
	Counters  []countRow
	Monitor   []monitorRow
	Alerts    []alertRow
	Loads     []loadRow // the changes of load while the test ran
	// GeneratorWarning says that Surge itself was the bottleneck, and
	// when ("" when it kept up).
	GeneratorWarning string
	Story            *story.Story // nil: the run monitored no scaling target

	PageCSS  template.CSS
	Charts   *chartAssets // nil: tables only
	Notice   string
	Data     template.JS
	BucketS  int
	HasTime  bool
	HasDist  bool
	DistNote string
}

// pageData is the JSON the page's scripts read.
type pageData struct {
	Title       string             `json:"title"`
	Test        results.Test       `json:"test"`
	Aggregate   results.Aggregate  `json:"aggregate"`
	Endpoints   []results.Endpoint `json:"endpoints"`
	Verdicts    []Verdict          `json:"verdicts"`
	Timeline    *Timeline          `json:"timeline"`
	Percentiles *Distribution      `json:"percentiles"`
	Story       *story.Story       `json:"story,omitempty"`
}

func newView(r *results.Results, opts Options) (*view, error) {
	assets, err := loadChartAssets(opts.assets)
	if err != nil {
		return nil, err
	}
	v := tableView(r, opts)
	v.Charts = assets
	if assets == nil {
		v.Notice = NoChartsNotice
	}
	d := pageData{Title: v.Title, Test: r.Test, Aggregate: r.Aggregate, Verdicts: opts.Verdicts,
		Timeline: BuildTimeline(r, opts.MaxPoints)}
	addStory(v, &d, r)
	d.Percentiles, err = BuildDistribution(r)
	if err != nil {
		v.DistNote = "The latency distribution could not be read from the results: " + err.Error()
	}
	v.HasTime, v.HasDist = d.Timeline != nil, d.Percentiles != nil
	if v.HasTime {
		v.BucketS = d.Timeline.BucketS
	}
	if v.Data, err = encodeData(&d, r.Endpoints); err != nil {
		return nil, err
	}
	return v, nil
}

// tableView fills everything the tables need.
func tableView(r *results.Results, opts Options) *view {
	a := &r.Aggregate
	v := &view{Title: title(r, opts), Test: r.Test, Facts: runFacts(r), Cards: summaryCards(r),
		Verdicts: opts.Verdicts, Latency: latencyRows(a), Endpoints: endpointRows(r.Endpoints),
		Codes: codeRows(a.Codes), Kinds: kindRows(a.ErrorKind, a.Requests), Reasons: reasonRows(a.VUsers), Counters: counterRows(r),
		Monitor: monitorRows(r.Intervals), Alerts: alertRows(r.Alerts), Loads: loadRows(r.LoadChanges), PageCSS: template.CSS(pageCSS),
		GeneratorWarning: console.GeneratorWarning(r)}
	for _, vd := range opts.Verdicts {
		switch {
		case vd.NoData:
			v.NoData++
		case !vd.Pass:
			v.Failed++
		}
	}
	return v
}

func title(r *results.Results, opts Options) string {
	switch {
	case opts.Title != "":
		return opts.Title
	case r.Test.Name != "":
		return r.Test.Name
	default:
		return "Surge report"
	}
}

// encodeData writes d as JSON without the histograms. encoding/json
// escapes <, > and & (and U+2028, U+2029), so the text cannot end the
// script element it goes in, whatever the names in it.
func encodeData(d *pageData, eps []results.Endpoint) (template.JS, error) {
	d.Aggregate.Hist = results.Histograms{}
	d.Endpoints = make([]results.Endpoint, len(eps))
	for i, e := range eps {
		e.Hist = results.Histograms{}
		d.Endpoints[i] = e
	}
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("report: encode data: %w", err)
	}
	return template.JS(b), nil
}
