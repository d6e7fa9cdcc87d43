package story

import (
	"fmt"
	"math"
	"strings"
)

// lagLookback is how long before refusals began a scale-out still
// counts as the one that answered them (its tasks were starting).
const lagLookback = 30.0

// explainFleet writes the sentence about the biggest refusal window, or
// about the scale-out lag when nothing was refused.
func explainFleet(st *Story, f *fleetRun, pred *fleetPrediction) {
	all := make(Series, f.len())
	for _, s := range f.refused {
		for i, v := range s {
			if !math.IsNaN(v) {
				all[i] += v
			}
		}
	}
	var text string
	if sp, ok := biggestSpan(all, f.dur); ok {
		st.Gap = sp.window(f.run)
		st.Events = append(st.Events, Event{st.Gap.From, "gap-start", "refusals start"}, Event{st.Gap.To, "gap-end", "refusals end"})
		text = f.refusals(sp, st.Gap)
	} else {
		text = f.noRefusals()
	}
	if pred != nil {
		text += comparePredicted(f.events(), pred.events)
	}
	st.Sentence = text
}

// refusals explains a refusal window.
func (f *fleetRun) refusals(sp span, w *Window) string {
	text := fmt.Sprintf("Refused from %s to %s (%s requests, %s of those offered then): %s requests/s outran what %s could serve",
		clock(w.From), clock(w.To), thousands(sp.total), share(sp.total, sumOver(f.offered, sp, f.dur)),
		thousands(maxOver(f.offered, sp)), tasks(f.running[sp.lo]))
	if f.cost > 0 && !math.IsNaN(f.running[sp.lo]) {
		text += fmt.Sprintf(" (%s requests/s at 100 %% CPU)", thousands(f.running[sp.lo]/f.cost))
	}
	return text + "; " + f.lag(f.answeringScaleOut(w)) + "."
}

func tasks(n float64) string {
	if n == 1 {
		return "1 task"
	}
	if math.IsNaN(n) {
		return "tasks"
	}
	return thousands(n) + " tasks"
}

// answeringScaleOut is the scale-out that answered the window: the last
// one decided before it ended (and at most lagLookback before it began),
// else the first after it began. An event is stamped with the start of
// the second whose scrape first saw it, so one stamped at the window's
// end was decided after the refusals had stopped: it answered nothing.
func (f *fleetRun) answeringScaleOut(w *Window) *Event {
	var found *Event
	for _, e := range f.events() {
		if e.Kind != "scale-out" || e.T < w.From-lagLookback {
			continue
		}
		if e.T >= w.To {
			if found == nil {
				found = &e
			}
			break
		}
		found = &e
	}
	return found
}

// lag describes the scale-out lag: the rule, and what this run saw.
func (f *fleetRun) lag(e *Event) string {
	text := "the scale-out lag"
	if f.haveSetup {
		c := f.setup.cfg
		metric := fmt.Sprintf("the %s %% CPU target", trimNum(c.TargetCPU))
		if c.UsesRequests() {
			metric = fmt.Sprintf("the target of %s requests per task per minute", trimNum(c.TargetRequestsPerTask))
		}
		text += fmt.Sprintf(": the alarm needs %d one-minute datapoints above %s, then a new task takes %s s to start and %s s to pass its health check%s",
			c.ScaleOutDatapoints, metric, trimNum(c.TaskStart.Seconds()), trimNum(c.HealthCheckDelay.Seconds()),
			scaleNote(60, "a minute passes", f.setup.scale))
	}
	if e == nil {
		return text + "; the service did not scale out in time"
	}
	text += fmt.Sprintf("; here the %s came at %s", e.Label, clock(e.T))
	if at, ok := f.reached(e); ok {
		text += " and the tasks ran from " + clock(at)
	}
	return text
}

// reached is when the running count first met the event's new count.
func (f *fleetRun) reached(e *Event) (float64, bool) {
	var to int
	if _, err := fmt.Sscanf(e.Label[strings.LastIndex(e.Label, "→")+len("→"):], "%d", &to); err != nil {
		return 0, false
	}
	for i, t := range f.t {
		if t >= e.T && f.running[i] >= float64(to) {
			return t, true
		}
	}
	return 0, false
}

// noRefusals explains a run whose service kept up.
func (f *fleetRun) noRefusals() string {
	high, _ := f.thresholds()
	var first *Event
	for _, e := range f.events() {
		if e.Kind == "scale-out" {
			first = &e
			break
		}
	}
	peak, at := f.cpu.peak()
	switch {
	case first == nil && at >= 0:
		return fmt.Sprintf("No request was refused and the service did not scale out: CPU peaked at %s %% at %s.", trimNum(peak), clock(f.t[at]))
	case first == nil:
		return "No request was refused and the service did not scale out."
	}
	text := "No request was refused; " + f.lag(first)
	if high > 0 {
		for i, v := range f.cpu {
			if v > high && f.t[i] <= first.T {
				text += fmt.Sprintf(", %s s after CPU first went above the target (%s)", trimNum(first.T-f.t[i]), clock(f.t[i]))
				break
			}
		}
	}
	return text + "."
}

// comparePredicted sets the model's scale-outs beside the service's.
func comparePredicted(seen, predicted []Event) string {
	list := func(es []Event) string {
		var parts []string
		for _, e := range es {
			if e.Kind == "scale-out" && len(parts) < 3 {
				parts = append(parts, fmt.Sprintf("%s at %s", e.Label, clock(e.T)))
			}
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, ", ")
	}
	p, s := list(predicted), list(seen)
	if p == s {
		return " The model predicted the same scale-outs: " + p + "."
	}
	return " The model predicted: " + p + "; seen: " + s + "."
}

func trimNum(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
