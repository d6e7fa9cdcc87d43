package console

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// Progress prints one line per snapshot.
type Progress struct {
	W     io.Writer
	TTY   bool          // redraw one line in place
	Total time.Duration // planned length of the test (0: unknown)
	// Every is how often a plain (non-TTY) line is printed; 0 means 5 s.
	Every time.Duration
	last  time.Duration
	drawn bool
}

// Update shows the snapshot. It is meant to be called once a second.
func (p *Progress) Update(s metrics.Snapshot) {
	if s.Final {
		p.Done()
		return
	}
	line := p.line(s)
	if p.TTY {
		fmt.Fprintf(p.W, "\r\033[K%s", line)
		p.drawn = true
		return
	}
	every := p.Every
	if every <= 0 {
		every = 5 * time.Second
	}
	if s.Elapsed-p.last >= every {
		p.last = s.Elapsed
		fmt.Fprintln(p.W, line)
	}
}

// Done ends the in-place line so later output starts on its own line.
func (p *Progress) Done() {
	if p.TTY && p.drawn {
		fmt.Fprintln(p.W)
		p.drawn = false
	}
}

func (p *Progress) line(s metrics.Snapshot) string {
	iv := s.Interval
	lat := iv.Stats.Latency
	head := fmtElapsed(s.Elapsed)
	if p.Total > 0 {
		head = fmt.Sprintf("%s %s/%s", bar(s.Elapsed, p.Total, 20), fmtElapsed(s.Elapsed), fmtElapsed(p.Total))
		if p.TTY {
			head += " ETA " + fmtElapsed(max(p.Total-s.Elapsed, 0))
		}
	}
	t := s.Total
	return fmt.Sprintf("%s  rps %.0f  p50 %s p95 %s p99 %s  failures %d (%s) errors %d  vus %d",
		head, iv.RPS(), ms(metrics.Percentile(lat, 50)), ms(metrics.Percentile(lat, 95)),
		ms(metrics.Percentile(lat, 99)), t.Failures, Pct(results.Pct(t.Failures, t.Requests)), t.Errors, iv.ActiveVUs)
}

func bar(done, total time.Duration, width int) string {
	n := min(int(float64(width)*done.Seconds()/total.Seconds()), width)
	return "[" + strings.Repeat("=", n) + strings.Repeat(" ", width-n) + "]"
}

func fmtElapsed(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= time.Hour {
		return fmt.Sprintf("%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// ms formats a latency for people: microsecond precision below 10 ms.
func ms(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond))
	case d < 10*time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}
