package compare

import "fmt"

// Line describes a row in one line, for a CI report: the metric, both
// values, the change with its interval, the p-value, the margin and the
// verdict ("p99 32.3ms → 36.9ms: +14.2% [+3.0%, +26.6%], p=0.088, margin
// ±5%: inconclusive: detects ±24.5%").
func (r Row) Line() string {
	s := fmt.Sprintf("%s %s → %s: %s", r.Metric, value(r.Metric, r.Base), value(r.Metric, r.Head), change(r))
	if p := pValue(r); p != "" {
		s += ", " + p
	}
	return s + ", margin " + marginText(r) + ": " + verdictText(r)
}
