package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// value formats a row's base or head value in the metric's unit.
func value(m Metric, v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case m.isLatency():
		return latency(v)
	case m.IsRate():
		return sig3(v) + "%"
	}
	return sig3(v) + "/s"
}

// latency formats milliseconds with three significant digits in the
// unit that suits them.
func latency(ms float64) string {
	switch {
	case ms >= 1000:
		return sig3(ms/1000) + "s"
	case ms >= 1:
		return sig3(ms) + "ms"
	}
	return sig3(ms*1000) + "µs"
}

// sig3 prints three significant digits without an exponent.
func sig3(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	digits := max(2-int(math.Floor(math.Log10(math.Abs(v)))), 0)
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// change formats the row's change and its interval: "+10.3% [+8.1%,
// +12.6%]" for ratio metrics, "+0.02pp [-0.05, +0.09]" for rates.
func change(r Row) string {
	if r.Metric.IsRate() {
		if math.IsNaN(r.P) {
			return fmt.Sprintf("%+.2fpp", r.Diff)
		}
		return fmt.Sprintf("%+.2fpp [%+.2f, %+.2f]", r.Diff, r.DiffLo, r.DiffHi)
	}
	if math.IsNaN(r.Ratio) {
		return "–"
	}
	if math.IsNaN(r.Lo) {
		return pct(r.Ratio - 1)
	}
	return fmt.Sprintf("%s [%s, %s]", pct(r.Ratio-1), pct(r.Lo-1), pct(r.Hi-1))
}

func pct(v float64) string { return fmt.Sprintf("%+.1f%%", 100*v) }

// pValue formats the Holm-adjusted p-value ("" when untested).
func pValue(r Row) string {
	if math.IsNaN(r.PAdjusted) {
		return ""
	}
	return fmt.Sprintf("p=%.3f", r.PAdjusted)
}

// verdictText is the verdict with, for an inconclusive row, what was
// missing.
func verdictText(r Row) string {
	switch {
	case r.Verdict == NoChange:
		return "no change (" + marginText(r) + ")"
	case r.Verdict != Inconclusive:
		return r.Verdict.String()
	case r.Note != "":
		return "inconclusive: " + r.Note
	case r.MDE > 0:
		return "inconclusive: " + detectableText(r)
	}
	return "inconclusive"
}

// marginText is the row's margin, "±5%" or "±0.10pp".
func marginText(r Row) string {
	if r.Metric.IsRate() {
		return fmt.Sprintf("±%.2fpp", r.MarginWidth)
	}
	return "±" + strconv.FormatFloat(100*r.MarginWidth, 'g', 3, 64) + "%"
}

// detectableText says how large a change this run length detects.
func detectableText(r Row) string {
	var mde string
	if r.Metric.IsRate() {
		mde = fmt.Sprintf("±%.2fpp", r.MDE)
	} else {
		mde = fmt.Sprintf("±%.1f%%", 100*r.MDE)
	}
	s := "detects " + mde
	if r.LengthFactor > 1 {
		s += fmt.Sprintf(", ~%s× longer runs for the margin", sig3(math.Ceil(r.LengthFactor*10)/10))
	}
	return s
}

// summaryLine counts the verdicts.
func summaryLine(r *Report) string {
	parts := []string{}
	for _, v := range []Verdict{Regressed, Improved, NoChange, Inconclusive} {
		parts = append(parts, fmt.Sprintf("%d %s", r.Count(v), v))
	}
	return strings.Join(parts, ", ")
}

// runLine describes one side.
func runLine(in RunInfo) string {
	line := fmt.Sprintf("%s: %s s, %d requests, blocks of %d s", in.Label, sig3(in.Seconds), in.Requests, in.Block)
	if in.ShortTail > 0 {
		line += fmt.Sprintf(" (and %d in its last fraction of a second, left out)", in.ShortTail)
	}
	return line
}

// methodLine says how the numbers were made.
func methodLine(r *Report) string {
	s := fmt.Sprintf("circular block bootstrap of per-second histograms (%d resamples, seed %d), Student's t; Holm over %d tests at α = %g",
		r.Resamples, r.Seed, r.Tests, r.Alpha)
	if r.Window != "" {
		s += "; window " + r.Window
	}
	return s
}
