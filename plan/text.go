package plan

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/surge-dev/surge/scaling/lambda"
)

// maxRows is how many rows a timeline table prints at most; longer plans
// are summed over windows of several seconds.
const maxRows = 40

// rowWindow is the seconds each table row sums, so that n seconds fit in
// maxRows rows: 1, 5, 10, 30, 60, then whole minutes.
func rowWindow(n int) int {
	for _, w := range []int{1, 5, 10, 30, 60} {
		if (n+w-1)/w <= maxRows {
			return w
		}
	}
	return 60 * ((n + 60*maxRows - 1) / (60 * maxRows))
}

// RoundDuration keeps three significant figures of d: a duration
// measured from a results file reads 44.5ms, not 44.515289ms, whose last
// digits are noise.
func RoundDuration(d time.Duration) time.Duration {
	unit := time.Duration(1)
	for x := d; x >= 1000; x /= 10 {
		unit *= 10
	}
	return d.Round(unit)
}

// clock writes seconds as m:ss.
func clock(s int) string { return fmt.Sprintf("%d:%02d", s/60, s%60) }

func spanText(s Span) string {
	switch {
	case s.Began() && !s.Happened():
		return fmt.Sprintf("from %s, not finished before the load fell", clock(s.From))
	case !s.Happened():
		return "none"
	}
	return fmt.Sprintf("%s to %s (%v)", clock(s.From), clock(s.Until), time.Duration(s.Seconds())*time.Second)
}

// episodesText lists up to ten spans as "0:10-0:19 (9s)".
func episodesText(spans []Span) string {
	var parts []string
	for i, e := range spans {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("and %d more", len(spans)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("%s-%s (%ds)", clock(e.From), clock(e.Until), e.Seconds()))
	}
	return strings.Join(parts, ", ")
}

func pct(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}

// WriteLambda prints a Lambda plan: the summary, the advice, and the
// timeline in rows of one or more seconds.
func WriteLambda(w io.Writer, pl *LambdaPlan) error {
	var b strings.Builder
	c, s := pl.Config, pl.Summary
	fmt.Fprintf(&b, "Lambda plan: %d requests over %s, %v each (+%v cold start), %s\n",
		s.Arrivals, clock(len(pl.Seconds)), RoundDuration(c.HandlerDuration), c.InitDuration, ruleText(c))
	fmt.Fprintf(&b, "  concurrency needed (req/s × duration)  %.0f\n", s.PeakNeeded)
	fmt.Fprintf(&b, "  peak concurrency                       %d\n", s.PeakConcurrency)
	fmt.Fprintf(&b, "  throttled                              %d (%.1f %%)%s\n", s.Throttled, pct(s.Throttled, s.Arrivals), causesText(s.Throttles))
	fmt.Fprintf(&b, "  throttling (time to scale)             %s\n", spanText(s.Throttling))
	if len(s.Episodes) > 1 {
		fmt.Fprintf(&b, "    in %d episodes: %s\n", len(s.Episodes), episodesText(s.Episodes))
	}
	fmt.Fprintf(&b, "  cold starts                            %d\n", s.ColdStarts)
	if pl.Advice != nil && s.Throttled > 0 {
		writeAdvice(&b, pl.Advice)
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return writeLambdaRows(w, pl.Seconds)
}

func ruleText(c lambda.Config) string {
	limits := fmt.Sprintf("account %d", c.AccountConcurrency)
	if c.ReservedConcurrency > 0 {
		limits += fmt.Sprintf(", reserved %d", c.ReservedConcurrency)
	}
	if c.ProvisionedConcurrency > 0 {
		limits += fmt.Sprintf(", provisioned %d", c.ProvisionedConcurrency)
	}
	if c.ScalingModel == lambda.Legacy {
		return fmt.Sprintf("legacy rule (burst %d, then +%d a minute), %s", c.Burst, lambda.LegacyScaleStep, limits)
	}
	return fmt.Sprintf("current rule (+%d environments per %v), %s", lambda.CurrentScaleStep, lambda.CurrentScaleWindow, limits)
}

func causesText(t lambda.ThrottleCounts) string {
	var parts []string
	for _, c := range lambda.Throttles {
		if n := t.Of(c); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", c, n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

func writeAdvice(b *strings.Builder, a *LambdaAdvice) {
	b.WriteString("  to remove the throttles:\n")
	switch {
	case a.Provisioned > 0:
		fmt.Fprintf(b, "    provisioned concurrency %d (no throttle at all)\n", a.Provisioned)
	case a.Provisioned < 0:
		b.WriteString("    provisioned concurrency: not enough, even at the most the account (or the reservation) allows\n")
	}
	switch {
	case a.Reserved > 0:
		fmt.Fprintf(b, "    reserved concurrency %d (no throttle by the reservation)\n", a.Reserved)
	case a.Reserved < 0:
		b.WriteString("    reserved concurrency: not enough, even at the most the account allows\n")
	}
	if a.AccountConcurrency > 0 {
		fmt.Fprintf(b, "    account concurrency %d (a quota increase: no throttle by the account's limits)\n", a.AccountConcurrency)
	}
	if a.ScalingRateOnly {
		b.WriteString("    every throttle is the scaling rate's: more reserved or account concurrency does not help; provisioned concurrency or a slower ramp does\n")
	}
}

// writeLambdaRows prints the timeline, summing arrivals, throttles and
// cold starts over each row's seconds and taking the peaks.
func writeLambdaRows(w io.Writer, secs []LambdaSecond) error {
	win := rowWindow(len(secs))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "t\treq/s\tneeded\tconcurrency\tscaling limit\tthrottled\tcold starts\t\n")
	for i := 0; i < len(secs); i += win {
		row := secs[i:min(i+win, len(secs))]
		var arrivals, throttled, cold int64
		var needed float64
		var peak int
		for _, s := range row {
			arrivals += s.Arrivals
			throttled += int64(s.Throttles.Total())
			cold += s.ColdStarts
			needed, peak = max(needed, s.Needed), max(peak, s.Concurrency)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%d\t%d\t%d\t%d\t\n", clock(i), float64(arrivals)/float64(len(row)),
			needed, peak, row[len(row)-1].ScalingLimit, throttled, cold)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return windowNote(w, win, "needed and concurrency their peak, the scaling limit at their end")
}

// windowNote explains rows that sum several seconds.
func windowNote(w io.Writer, win int, peaks string) error {
	if win == 1 {
		return nil
	}
	_, err := fmt.Fprintf(w, "(each row sums %d s: req/s is their mean, %s)\n", win, peaks)
	return err
}
