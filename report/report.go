package report

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"sync"

	"github.com/surge-dev/surge/results"
)

// Verdict is the outcome of one threshold (an SLO such as "p99 < 200ms"),
// shown at the top of the report.
type Verdict struct {
	Name      string `json:"name"`      // what was checked, e.g. "http.response_time.p99"
	Threshold string `json:"threshold"` // the condition, e.g. "< 200 ms"
	Actual    string `json:"actual"`    // the measured value, e.g. "183 ms"
	Pass      bool   `json:"pass"`
	// NoData marks a check with nothing to measure (a threshold on an
	// endpoint the run never called): it neither passed nor failed, as
	// the console, the JUnit report and the job summary say.
	NoData bool `json:"no_data,omitempty"`
}

// Options adjust a report. The zero value is ready to use.
type Options struct {
	// Title heads the page; empty means the test's name, or "Surge report".
	Title string
	// Verdicts are threshold outcomes to show; none hides the section.
	Verdicts []Verdict
	// MaxPoints caps the points of each time series; 0 means
	// DefaultMaxPoints.
	MaxPoints int

	// assets replaces the embedded web assets, for tests.
	assets fs.FS
}

var (
	//go:embed page.gohtml
	pageSource string
	//go:embed page.css
	pageCSS string

	// page is parsed on first use, not at init: every surge command
	// links this package, and most never write a report (issue 16's
	// start-up time).
	page = sync.OnceValue(func() *template.Template {
		return template.Must(template.New("report").Parse(pageSource))
	})
)

var errNoResults = errors.New("report: no results")

// Write writes the HTML report of r to w. Nothing is written if the report
// cannot be built.
func Write(w io.Writer, r *results.Results, opts Options) error {
	b, err := render(r, opts)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// WriteFile writes the HTML report of r to path atomically: readers see
// the old file or the whole new one.
func WriteFile(path string, r *results.Results, opts Options) error {
	b, err := render(r, opts)
	if err != nil {
		return err
	}
	return results.WriteAtomic(path, b)
}

func render(r *results.Results, opts Options) ([]byte, error) {
	if r == nil {
		return nil, errNoResults
	}
	v, err := newView(r, opts)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(v.Data) + 128<<10)
	if err := page().Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return buf.Bytes(), nil
}
