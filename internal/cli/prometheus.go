package cli

import "github.com/surge-dev/surge/promexport"

// checkPrometheusFlags refuses, before any load, a bad remote-write URL
// or label, and the flags that would be silently ignored: labels go on
// pushed series only (a scraper sets its own), and a linger keeps the
// scrape endpoint serving.
func checkPrometheusFlags(o outputOptions) error {
	p := o.prometheus
	if p.RemoteWrite != "" {
		if err := promexport.CheckURL(p.RemoteWrite); err != nil {
			return usageError("--prometheus-remote-write: %v", err)
		}
	}
	if _, err := parseLabels(o.promLabels); err != nil {
		return usageError("--prometheus-label: %v", err)
	}
	if len(o.promLabels) > 0 && p.RemoteWrite == "" {
		return usageError("--prometheus-label labels pushed series only: give --prometheus-remote-write too " +
			"(a scraper sets its own labels in its scrape config)")
	}
	if p.Linger < 0 {
		return usageError("--prometheus-linger must not be negative")
	}
	if p.Linger > 0 && p.Addr == "" {
		return usageError("--prometheus-linger keeps the scrape endpoint serving after the test: give --prometheus too")
	}
	return nil
}
