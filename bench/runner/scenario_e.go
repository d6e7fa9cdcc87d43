package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Scenario e: a long closed-loop run, its RSS over time and its request
// counts, for the flat-memory goal.

func (b *Bench) scenarioE(ngx *Server) {
	url := "http://" + ngx.Addr + "/"
	dur := b.eDuration()
	var mu sync.Mutex
	b.E = b.each("e", b.c.ETools, func(t *Tool, run int, base string) (Run, error) {
		m, series, err := b.longRun(t, url, dur, base)
		if err != nil {
			return nil, err
		}
		// Only the first run's series is drawn in the report.
		mu.Lock()
		if run == 1 {
			b.ESeries = append(b.ESeries, series)
		}
		mu.Unlock()
		return m, nil
	})
}

// eDuration sizes a closed loop to pass the requested count: Surge has no
// request-count flag, so the duration is the count over the rate
// measured in scenario a, with a margin for a slower spell.
func (b *Bench) eDuration() time.Duration {
	rate := b.c.ERateHint
	for _, r := range b.A {
		if r.Tool == "surge" {
			if s, ok := r.Get("rps"); ok && s.Med > 0 {
				rate = s.Med
			}
		}
	}
	return time.Duration(float64(b.c.ERequests)/(0.85*rate)*float64(time.Second)).Round(time.Second) + time.Second
}

// longRun is one run of scenario e: the metrics, with the RSS growth, and
// the series of RSS and request counts over time.
func (b *Bench) longRun(t *Tool, url string, dur time.Duration, base string) (Run, ESeries, error) {
	m, p, err := t.run(b.c, t, Load{URL: url, Users: b.c.AConns, Duration: dur, Sample: time.Second, Log: base})
	if err != nil {
		return nil, ESeries{}, err
	}
	series := ESeries{Tool: t.Name, Samples: p.RSS}
	if t.Name == "surge" {
		series.Counts = surgeCounts(base)
		if secs, err := b.timeReport(base); err == nil {
			m["report_s"] = secs
		} else {
			b.Notes = append(b.Notes, "e: "+err.Error())
		}
	} else {
		series.Counts = evenCounts(p, m["requests"])
	}
	flatness(m, series, b.c.ERequests)
	return m, series, nil
}

// surgeCounts is the cumulative request count at the end of each interval
// of Surge's results file (none when it cannot be read).
func surgeCounts(base string) []Point {
	res, err := readSurge(base + ".json")
	if err != nil {
		return nil
	}
	var counts []Point
	var total int64
	for _, iv := range res.Intervals {
		total += iv.Requests
		counts = append(counts, Point{At: iv.Start.Add(time.Second), Total: total})
	}
	return counts
}

// evenCounts stands in for progress that peers do not report: it assumes
// an even rate over the run, at each RSS sample.
func evenCounts(p *Proc, n float64) []Point {
	var counts []Point
	for _, s := range p.RSS {
		frac := s.At.Sub(p.Start).Seconds() / p.Wall.Seconds()
		counts = append(counts, Point{At: s.At, Total: int64(frac * n)})
	}
	return counts
}

// flatness measures RSS growth from the moment one tenth of the requested
// count was done (1 million of 10 million) to the end of the run.
func flatness(m Run, s ESeries, requested int64) {
	mark := requested / 10
	var at time.Time
	for _, p := range s.Counts {
		if p.Total >= mark {
			at = p.At
			break
		}
	}
	if at.IsZero() || len(s.Samples) == 0 {
		return
	}
	var base, peak, last int64
	var after []RSSSample
	for _, smp := range s.Samples {
		if smp.At.Before(at) {
			base = smp.RSSKB
			continue
		}
		if base == 0 {
			base = smp.RSSKB
		}
		peak = max(peak, smp.RSSKB)
		last = smp.RSSKB
		after = append(after, smp)
	}
	if base == 0 {
		return
	}
	if g, ok := trendGrowth(after); ok {
		m["rss_trend"] = g
	}
	m["rss_at_mark_mb"] = float64(base) / 1024
	m["rss_peak_after_mb"] = float64(peak) / 1024
	m["rss_last_mb"] = float64(last) / 1024
	m["rss_growth"] = (float64(peak)/float64(base) - 1) * 100
}

// trendGrowth fits a least-squares line through the RSS samples and
// returns its rise from the first sample to the last as a percentage of
// the mean. Unlike the highest sample over the one at the mark, it does
// not read the garbage collector's sawtooth (a few MB up and down each
// cycle) as growth; a leak of any size shows as a steady rise.
func trendGrowth(samples []RSSSample) (float64, bool) {
	if len(samples) < 3 {
		return 0, false
	}
	t0 := samples[0].At
	var n, sx, sy, sxx, sxy float64
	for _, smp := range samples {
		x, y := smp.At.Sub(t0).Seconds(), float64(smp.RSSKB)
		n++
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	den := n*sxx - sx*sx
	if den == 0 || sy == 0 {
		return 0, false
	}
	slope := (n*sxy - sx*sy) / den
	span := samples[len(samples)-1].At.Sub(t0).Seconds()
	return slope * span / (sy / n) * 100, true
}

// timeReport times `surge report` on the results file if this build of
// Surge has that command.
func (b *Bench) timeReport(base string) (float64, error) {
	help, err := output(b.c.Surge, "report", "--help")
	if err != nil || !strings.Contains(help, "report") || strings.Contains(help, "unknown command") {
		return 0, errors.New("no `surge report` command in this build: report time not measured")
	}
	start := time.Now()
	out, err := output(b.c.Surge, "report", base+".json", "--output", base+".html")
	if err != nil {
		return 0, fmt.Errorf("surge report failed: %v %s", err, lastLine(out))
	}
	return time.Since(start).Seconds(), nil
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
