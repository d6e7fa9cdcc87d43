// Package webui owns the web assets that Surge's HTML report and live
// dashboard draw their charts with: the uPlot chart library and Surge's own
// chart helpers, scripts and styles.
//
// The assets are not committed. They are built from the npm workspace in
// web/ (pinned in its package-lock.json) into internal/webui/dist, which is
// git-ignored, and embedded with go:embed only when the binary is built
// with the surge_webui build tag (make build does both). Without the tag
// the package still compiles, [Available] reports false, and [Assets] holds
// only a small page saying the UI was not built, so callers can say so
// clearly instead of drawing a broken page.
//
// The package has no dependencies on the rest of Surge.
package webui
