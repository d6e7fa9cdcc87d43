package compare

import (
	"maps"
	"math"
	"slices"
	"strconv"

	persecond "github.com/surge-dev/surge/series"
)

// Monitored compares one of the target's series (surge run --monitor) in
// the two runs: what the target did, beside what the load saw. It is
// described, not tested: a target's series come with no per-request
// detail to resample, and their meaning is the target's.
type Monitored struct {
	Series string
	// Counter is true for a counter (a name ending in _total, _count or
	// _sum): its statistics are of its increase per second.
	Counter    bool
	Base, Head SeriesStats
	// MeanRatio and PeakRatio are head/base; NaN when the base's is 0 or
	// a run has no sample.
	MeanRatio, PeakRatio float64
}

// SeriesStats summarise one series over a run's seconds in the window.
type SeriesStats struct {
	// Samples is the number of seconds with a value.
	Samples int
	// Mean and Peak are over those seconds: as scraped for a gauge, the
	// increase in the second for a counter.
	Mean, Peak float64
	// Total is a counter's increase over the window (0 for a gauge).
	Total float64
}

// monitored compares every series either run has, by name; series that
// are 0 in every second of both runs (a throttle reason that never
// happened) are only counted, in a note.
func (c *comparison) monitored() {
	names := map[string]bool{}
	for _, r := range []*Run{c.base, c.head} {
		for _, iv := range r.Intervals {
			for k := range iv.Monitor {
				names[k] = true
			}
		}
	}
	zero := 0
	for _, name := range slices.Sorted(maps.Keys(names)) {
		m := Monitored{Series: name, Counter: persecond.IsCounter(name),
			Base: seriesStats(c.base, name), Head: seriesStats(c.head, name)}
		if m.Base.Peak == 0 && m.Head.Peak == 0 && m.Base.Mean == 0 && m.Head.Mean == 0 {
			zero++
			continue
		}
		m.MeanRatio, m.PeakRatio = ratioOf(m.Head.Mean, m.Base.Mean), ratioOf(m.Head.Peak, m.Base.Peak)
		c.report.Monitored = append(c.report.Monitored, m)
	}
	if zero > 0 {
		c.note("%d monitored series were 0 in every second of both runs: not shown", zero)
	}
}

func seriesStats(r *Run, name string) SeriesStats {
	var st SeriesStats
	st.Peak = math.Inf(-1)
	for _, iv := range r.Intervals {
		v, ok := iv.Monitor[name]
		if !ok {
			continue
		}
		st.Samples++
		st.Total += v
		st.Peak = max(st.Peak, v)
	}
	if st.Samples == 0 {
		return SeriesStats{Mean: math.NaN(), Peak: math.NaN()}
	}
	st.Mean = st.Total / float64(st.Samples)
	if !persecond.IsCounter(name) {
		st.Total = 0
	}
	return st
}

// ratioOf is head/base; NaN when base is 0 or either is missing (NaN).
func ratioOf(head, base float64) float64 {
	if base == 0 {
		return math.NaN()
	}
	return head / base
}

// MonitoredTitle heads the target's series in every output.
const MonitoredTitle = "target's series (--monitor)"

// monitoredCells formats a series' base, head and change: a gauge as
// "mean (peak N)", a counter as "total (mean/s, peak N/s)".
func monitoredCells(m Monitored) (base, head, change string) {
	return seriesCell(m.Counter, m.Base), seriesCell(m.Counter, m.Head), seriesChange(m)
}

func seriesCell(counter bool, st SeriesStats) string {
	switch {
	case st.Samples == 0:
		return "–"
	case counter:
		return plain(st.Total) + " (" + plain(st.Mean) + "/s, peak " + plain(st.Peak) + "/s)"
	}
	return plain(st.Mean) + " (peak " + plain(st.Peak) + ")"
}

func seriesChange(m Monitored) string {
	switch {
	case m.Base.Samples == 0:
		return "only in head"
	case m.Head.Samples == 0:
		return "only in base"
	case m.Base.Mean == 0 && m.Base.Peak == 0:
		return "new (base 0)"
	case m.Head.Mean == 0 && m.Head.Peak == 0:
		return "gone (head 0)"
	}
	s := "×" + plain(m.MeanRatio)
	if !math.IsNaN(m.PeakRatio) {
		s += " (peak ×" + plain(m.PeakRatio) + ")"
	}
	return s
}

// plain writes a whole number as it is (a count) and any other with
// three significant digits, without trailing zeros.
func plain(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 3, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
