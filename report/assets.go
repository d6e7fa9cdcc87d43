package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"

	"github.com/surge-dev/surge/internal/webui"
)

// The assets a charted report inlines, in page order.
var (
	styleNames  = []string{webui.UPlotCSS, webui.ChartsCSS}
	scriptNames = []string{webui.UPlotJS, webui.ChartsJS, webui.StoryJS, webui.ReportJS}
)

// chartAssets holds the inlined styles and scripts of a charted report.
type chartAssets struct {
	CSS     template.CSS
	Scripts []template.JS
}

// loadChartAssets returns the chart assets, or nil when this binary has
// none (the report is then tables only). fsys overrides the embedded
// assets, for tests.
func loadChartAssets(fsys fs.FS) (*chartAssets, error) {
	if fsys == nil {
		if !webui.Available() {
			return nil, nil
		}
		fsys = webui.Assets()
	}
	if _, err := fs.Stat(fsys, webui.UPlotJS); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	a := &chartAssets{}
	var css bytes.Buffer
	for _, name := range styleNames {
		b, err := readInline(fsys, name, "</style")
		if err != nil {
			return nil, err
		}
		css.Write(b)
		css.WriteByte('\n')
	}
	a.CSS = template.CSS(css.String())
	for _, name := range scriptNames {
		b, err := readInline(fsys, name, "</script", "<!--")
		if err != nil {
			return nil, err
		}
		a.Scripts = append(a.Scripts, template.JS(b))
	}
	return a, nil
}

// readInline reads an asset that goes inside a <style> or <script>
// element, refusing one that holds a sequence able to end the element
// early.
func readInline(fsys fs.FS, name string, forbidden ...string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("report: web asset: %w", err)
	}
	lower := bytes.ToLower(b)
	for _, f := range forbidden {
		if bytes.Contains(lower, []byte(f)) {
			return nil, fmt.Errorf("report: web asset %s contains %q and cannot be inlined", name, f)
		}
	}
	return b, nil
}
