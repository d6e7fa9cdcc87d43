package prober

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	gostrings "strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/scalability"
)

// Column widths of the probe table, wide enough for "12,345 req/s" and
// "1,234 ms [1,200, 1,300]": the lines are printed as probes end, so the
// table cannot be measured first.
const (
	wideNumber = 13
	wideCI     = 26
)

// WriteProbeHeader writes the header of the probe table; WriteProbe then
// writes each probe's line as it is judged.
func WriteProbeHeader(w io.Writer, c capacity.Config) {
	cols := []string{pad("#", 3), pad("load", wideNumber), pad("purpose", 8), pad("served", 10)}
	for _, o := range c.SLO {
		cols = append(cols, pad(fmt.Sprintf("%s [%.0f%% CI]", o.Aggregation(), 100*(2*confidence(c)-1)), wideCI))
	}
	label, width := trendColumn(c)
	cols = append(cols, pad(label, width), pad("generator", 20), "verdict")
	fmt.Fprintln(w, gostrings.TrimRight(gostrings.Join(cols, " "), " "))
}

func confidence(c capacity.Config) float64 {
	if c.Confidence == 0 {
		return 0.95
	}
	return c.Confidence
}

// WriteProbe writes one probe's line.
func WriteProbe(w io.Writer, n int, c capacity.Config, r capacity.Record) {
	j := r.Judgement
	cols := []string{pad(strconv.Itoa(n), 3), pad(load(c.Mode, j.Load), wideNumber), pad(r.Purpose.String(), 8),
		pad(sig(j.Achieved)+"/s", 10)}
	for _, e := range j.Estimates {
		cols = append(cols, pad(estimate(e), wideCI))
	}
	_, width := trendColumn(c)
	cols = append(cols, pad(trend(j), width), pad(generator(j.Generator), 20), verdict(j))
	fmt.Fprintln(w, gostrings.Join(cols, " "))
}

// pad left-aligns s in width characters (runes: the table holds µ and –).
func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + gostrings.Repeat(" ", width-n)
	}
	return s
}

func load(m capacity.Mode, v float64) string {
	return number(m, v) + " " + m.Unit()
}

// number writes a load: whole users, or a rate to three digits.
func number(m capacity.Mode, v float64) string {
	if m == capacity.Users {
		return thousands(strconv.FormatFloat(v, 'f', 0, 64))
	}
	return sig(v)
}

func estimate(e capacity.Estimate) string {
	if e.NoSuccess {
		return "none succeeded" // no latency to show: not 0 ms
	}
	f := func(v float64) string { return sig(v) }
	unit := " ms"
	if e.Objective.Unit == alert.Fraction {
		f = func(v float64) string { return sig(100*v) + "%" }
		unit = ""
	}
	return fmt.Sprintf("%s%s [%s, %s]", f(e.Value), unit, f(e.Low), f(e.High))
}

// trendColumn is the trend column's header, naming the latency the
// trend is read from (capacity.TrendReads): "trend" for every request's,
// "ok trend" for the successes', "trend/ok" for both; and its width,
// room for "too few" in each.
func trendColumn(c capacity.Config) (string, int) {
	every, ok := capacity.TrendReads(c.SLO)
	switch {
	case every && ok:
		return "trend/ok", len("too few/too few")
	case ok:
		return "ok trend", len("ok trend")
	}
	return "trend", len("too few")
}

// trend is a probe's queue check: rising, flat, or too few seconds with
// a reading to tell, for each latency it read, "/" between.
func trend(j capacity.Judgement) string {
	out := make([]string, len(j.Trends))
	for i, t := range j.Trends {
		switch {
		case t.Up():
			out[i] = "rising"
		case !t.Tested():
			out[i] = "too few"
		default:
			out[i] = "flat"
		}
	}
	return gostrings.Join(out, "/")
}

func generator(g capacity.Generator) string {
	cpu := "cpu ?"
	if !math.IsNaN(g.CPU) {
		cpu = fmt.Sprintf("cpu %.0f%%", 100*g.CPU)
	}
	return fmt.Sprintf("%s, lag %s ms", cpu, sig(g.LagMs))
}

func verdict(j capacity.Judgement) string {
	if len(j.Reasons) == 0 {
		return j.Verdict.String()
	}
	return j.Verdict.String() + " (" + gostrings.Join(names(j.Reasons), ", ") + ")"
}

// sig writes v with three significant digits and thousands separators.
func sig(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	if v == 0 {
		return "0"
	}
	digits := max(0, 2-int(math.Floor(math.Log10(math.Abs(v)))))
	s := strconv.FormatFloat(v, 'f', digits, 64)
	whole, frac, _ := gostrings.Cut(s, ".")
	if frac != "" {
		frac = "." + frac
	}
	return thousands(whole) + frac
}

func thousands(s string) string {
	neg := gostrings.HasPrefix(s, "-")
	s = gostrings.TrimPrefix(s, "-")
	var b gostrings.Builder
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(s[i])
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// WriteSummary writes the answer and the models.
func WriteSummary(w io.Writer, res Result) {
	c, a := res.Config, res.Answer
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	defer tw.Flush()
	slo := make([]string, len(c.SLO))
	for i, o := range c.SLO {
		slo[i] = capacity.Name(o)
	}
	fmt.Fprintf(tw, "\nSLO:\t%s\n", gostrings.Join(slo, ", "))
	// again here, not only on stderr before the search: the summary is
	// what is kept (a redirected stdout, the report's text)
	for _, w := range capacity.Warnings(c.SLO) {
		fmt.Fprintf(tw, "Warning:\t%s\n", w)
	}
	fmt.Fprintf(tw, "Queue trend:\t%s\n", trendLine(c, res.Records))
	for _, line := range answerLines(c, a, res.Interrupted) {
		fmt.Fprintln(tw, line)
	}
	for _, line := range modelLines(c, res.Models) {
		fmt.Fprintln(tw, line)
	}
}

// trendLine says which latency the queue check read, and in how many
// probes it had too few seconds with a reading to test.
func trendLine(c capacity.Config, records []capacity.Record) string {
	var line string
	every, ok := capacity.TrendReads(c.SLO)
	switch {
	case every && ok:
		line = "the p50 and p99 of every request, and of the requests that did not fail, second by second (a rise in either fails)"
	case ok:
		line = "the p50 and p99 of the requests that did not fail, second by second, as the SLO's latency objectives are on them"
	default:
		line = "the p50 and p99 of every request, second by second"
	}
	untested := 0
	for _, r := range records {
		if slices.ContainsFunc(r.Judgement.Trends, func(t capacity.LatencyTrend) bool { return !t.Tested() }) {
			untested++
		}
	}
	if untested > 0 {
		why := "a probe shorter than that has too few" // every request's latency has a reading each second
		if ok {
			why = "a second without a success has none"
		}
		line += fmt.Sprintf("; not tested in %d of %d probes: fewer than %d seconds had a reading (%s)",
			untested, len(records), capacity.MinTrendSeconds, why)
	}
	return line
}

func answerLines(c capacity.Config, a capacity.Answer, interrupted bool) []string {
	var out []string
	if interrupted {
		out = append(out, "Interrupted:\tthe search stopped before its answer; the bracket so far follows")
	}
	switch a.Outcome {
	case capacity.GeneratorSaturated:
		return append(out, fmt.Sprintf("Generator saturated:\tSurge could not drive %s from this machine (%s, against limits of %.0f%% and %s ms); no capacity is reported",
			load(c.Mode, a.Fail), generator(a.Generator), 100*c.Generator.MaxCPU, sig(c.Generator.MaxLagMs)))
	case capacity.BelowStart:
		return append(out, fmt.Sprintf("Below start:\tthe SLO did not hold even at %s (%s)", load(c.Mode, a.Fail), binding(a)))
	case capacity.AboveMax:
		out = append(out, fmt.Sprintf("Above max:\tthe SLO held up to the maximum probed, %s", load(c.Mode, a.Max)))
	default:
		out = append(out, fmt.Sprintf("Maximum sustainable:\t%s (bracket %s–%s, ±%.1f%%; %s)",
			load(c.Mode, a.Max), number(c.Mode, a.Max), load(c.Mode, a.Fail), 100*a.Precision, a.Outcome))
	}
	out = append(out, fmt.Sprintf("Recommended:\t%s (%.0f%% of the maximum: headroom for what the probes did not see)",
		load(c.Mode, a.Recommended), 100*c.Headroom))
	if len(a.Binding) > 0 {
		out = append(out, "Bound first:\t"+binding(a))
	}
	return out
}

func binding(a capacity.Answer) string {
	return gostrings.Join(names(a.Binding), ", ")
}

func modelLines(c capacity.Config, m capacity.Models) []string {
	var out []string
	if k := m.LatencyKnee; k != nil {
		out = append(out, fmt.Sprintf("Knee of latency:\t%s (Kneedle, S=1; latency %s ms)", load(c.Mode, k.X), sig(k.Y)))
	}
	if k := m.ThroughputKnee; k != nil {
		out = append(out, fmt.Sprintf("Knee of throughput:\t%s (served %s/s)", load(c.Mode, k.X), sig(k.Y)))
	}
	if f := m.USL; f != nil {
		out = append(out, fmt.Sprintf("USL:\tσ=%.4g [%.3g, %.3g], κ=%.3g [%.3g, %.3g]; %s (%s, %d points)",
			f.Sigma.Value, f.Sigma.Low, f.Sigma.High, f.Kappa.Value, f.Kappa.Low, f.Kappa.High,
			uslPeak(f), uslBound(f.Model), f.Points))
	} else if m.USLError != "" {
		out = append(out, "USL:\tnot fitted: "+m.USLError)
	}
	if l := m.Little; l != nil {
		out = append(out, fmt.Sprintf("Little's law:\t%s/s × %s ms = %s in flight; counted %s (%+.0f%%)",
			sig(l.Throughput), sig(1000*l.MeanLatency), sig(l.Predicted), sig(l.Measured), 100*l.Mismatch))
	}
	return out
}

// uslPeak writes the fitted peak with its intervals. With κ = 0 there is
// none: throughput levels off at λ/σ (Amdahl's law), or, with σ = 0 too,
// grows without bound over the measured range.
func uslPeak(f *scalability.USLFit) string {
	switch {
	case math.IsInf(f.PeakX.Value, 1):
		return "no peak: throughput grew in proportion to concurrency"
	case math.IsInf(f.PeakN.Value, 1):
		return fmt.Sprintf("no peak: throughput levels off toward %s/s [%s, %s]",
			sig(f.PeakX.Value), sig(f.PeakX.Low), bounded(f.PeakX))
	}
	return fmt.Sprintf("peak %s/s [%s, %s] at N≈%s [%s, %s]",
		sig(f.PeakX.Value), sig(f.PeakX.Low), bounded(f.PeakX), sig(f.PeakN.Value), sig(f.PeakN.Low), bounded(f.PeakN))
}

func uslBound(m scalability.USL) string {
	switch {
	case m.Sigma == 0 && m.Kappa == 0:
		return "linear"
	case m.ContentionBound():
		return "contention-bound"
	}
	return "coherency-bound"
}

// bounded writes an interval's high end, or ∞ when the bootstrap's fits
// put no useful bound on it (κ near 0 sends the peak off to infinity).
func bounded(i scalability.Interval) string {
	if i.High > 100*i.Value {
		return "∞"
	}
	return sig(i.High)
}
