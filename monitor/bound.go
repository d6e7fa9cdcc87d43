package monitor

import (
	"math"
	"slices"
)

// bounded is a scrape cut to what can be kept.
type bounded struct {
	kept      map[string]float64
	cut       int      // series beyond the limit
	nonFinite []string // series dropped for being NaN or ±Inf, by name
}

// bound drops NaN and infinite values, which JSON cannot carry (one of
// them made the whole results file fail to encode), and keeps at most max
// series: the first by name, so that the same ones are kept every second.
func bound(vals map[string]float64, max int) bounded {
	names := make([]string, 0, len(vals))
	b := bounded{kept: make(map[string]float64, min(len(vals), max))}
	for k, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.nonFinite = append(b.nonFinite, k)
			continue
		}
		names = append(names, k)
	}
	slices.Sort(names)
	slices.Sort(b.nonFinite)
	if len(names) > max {
		b.cut = len(names) - max
		names = names[:max]
	}
	for _, k := range names {
		b.kept[k] = vals[k]
	}
	return b
}
