package webui

import (
	"errors"
	"fmt"
	"io/fs"
)

// Names of the built assets inside [Assets].
const (
	// UPlotJS is the uPlot library (its prebuilt IIFE, defining the global
	// uPlot), preceded by its license.
	UPlotJS = "uPlot.js"
	// UPlotCSS is uPlot's stylesheet.
	UPlotCSS = "uPlot.css"
	// ChartsJS defines the global SurgeCharts: chart builders shared by the
	// report and the dashboard.
	ChartsJS = "charts.js"
	// ChartsCSS styles the charts and their legends.
	ChartsCSS = "charts.css"
	// ReportJS draws the report's charts from its embedded data.
	ReportJS = "report.js"
	// StoryJS defines the global SurgeStory, which draws the scaling
	// story (report/story) in the report and the dashboard.
	StoryJS = "story.js"
	// Manifest lists every built file with its size and SHA-256, and the
	// uPlot version.
	Manifest = "manifest.json"
	// NotBuiltPage is the page a binary without assets serves instead.
	NotBuiltPage = "index.html"
)

// ErrNoAssets says the binary was built without the web assets.
var ErrNoAssets = errors.New("this binary was built without web assets (charts); run make build")

// Assets returns the embedded assets. Without the surge_webui build tag it
// holds only [NotBuiltPage].
func Assets() fs.FS { return assets }

// Available reports whether the chart assets are embedded in this binary.
func Available() bool {
	_, err := fs.Stat(assets, UPlotJS)
	return err == nil
}

// ReadAsset returns the content of the named asset. In a binary built
// without assets it returns an error wrapping [ErrNoAssets].
func ReadAsset(name string) ([]byte, error) {
	if !Available() {
		return nil, fmt.Errorf("webui: %s: %w", name, ErrNoAssets)
	}
	b, err := fs.ReadFile(assets, name)
	if err != nil {
		return nil, fmt.Errorf("webui: %w", err)
	}
	return b, nil
}

// mustSub returns the sub-tree dir of fsys; dir is always a literal.
func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // a literal valid path: cannot happen
	}
	return sub
}
