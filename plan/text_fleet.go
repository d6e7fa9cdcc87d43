package plan

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteFleet prints a fleet plan: the summary, the scaling activities and
// the timeline in rows of one or more seconds.
func WriteFleet(w io.Writer, pl *FleetPlan) error {
	var b strings.Builder
	c, s := pl.Config, pl.Summary
	fmt.Fprintf(&b, "Fleet plan: %d requests over %s, %s, tasks %d..%d (%d at the start), each %s\n",
		s.Arrivals, clock(len(pl.Seconds)), policyText(pl), c.Min, c.Max, c.Desired, taskCapacityText(pl))
	fmt.Fprintf(&b, "  tasks needed at the peak  %d\n", s.PeakTasksNeeded)
	fmt.Fprintf(&b, "  peak desired tasks        %d\n", s.PeakDesired)
	fmt.Fprintf(&b, "  scale-out                 %s\n", spanText(s.ScaleOut))
	fmt.Fprintf(&b, "  scale-in                  %s\n", spanText(s.ScaleIn))
	fmt.Fprintf(&b, "  rejected (503)            %d (%.1f %%)\n", s.Rejected, pct(s.Rejected, s.Arrivals))
	if extra := len(pl.Seconds) - pl.ProfileSeconds; extra > 0 {
		fmt.Fprintf(&b, "  after the profile, without load, the service settles in %v\n", time.Duration(extra)*time.Second)
	}
	if s.PeakTasksNeeded > c.Max {
		fmt.Fprintf(&b, "  the peak needs %d tasks, above the maximum of %d: raise --max\n", s.PeakTasksNeeded, c.Max)
	}
	for _, a := range s.Activities {
		fmt.Fprintf(&b, "  %s  %s %d → %d\n", clock(int(a.At.Seconds())), a.Cause, a.From, a.To)
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return writeFleetRows(w, pl.Seconds)
}

func policyText(pl *FleetPlan) string {
	c := pl.Config
	metric := fmt.Sprintf("CPU %.0f %%", c.TargetCPU)
	if c.UsesRequests() {
		metric = fmt.Sprintf("%.0f requests per task per minute", c.TargetRequestsPerTask)
	}
	return fmt.Sprintf("%s policy on %s, cooldowns %v out / %v in", c.Policy, metric, c.ScaleOutCooldown, c.ScaleInCooldown)
}

func taskCapacityText(pl *FleetPlan) string {
	return fmt.Sprintf("%.0f req/s at 100 %% CPU, pending %v + %v to the first health check",
		pl.Config.TaskCapacity, pl.Config.TaskStart, pl.Config.HealthCheckDelay)
}

func writeFleetRows(w io.Writer, secs []FleetSecond) error {
	win := rowWindow(len(secs))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "t\treq/s\tneeded\tdesired\trunning\thealthy\tCPU %%\trejected\t\n")
	for i := 0; i < len(secs); i += win {
		row := secs[i:min(i+win, len(secs))]
		var arrivals, rejected int64
		var needed int
		for _, s := range row {
			arrivals += s.Arrivals
			rejected += s.Rejected
			needed = max(needed, s.TasksNeeded)
		}
		end := row[len(row)-1]
		fmt.Fprintf(tw, "%s\t%.0f\t%d\t%d\t%d\t%d\t%.0f\t%d\t\n", clock(i), float64(arrivals)/float64(len(row)),
			needed, end.Desired, end.Running, end.Healthy, end.CPU, rejected)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return windowNote(w, win, "needed their peak, the tasks and CPU at their end")
}
