package story

import "github.com/surge-dev/surge/results"

// Kind is the kind of target a story is about.
type Kind string

// Kinds of target.
const (
	Lambda Kind = "lambda" // a Lambda function: surge_lambda_* series
	Fleet  Kind = "fleet"  // an ECS/Fargate service: surge_fleet_* series
)

// Line roles: how a chart draws a line.
const (
	Observed  = "observed"  // measured: solid
	Limit     = "limit"     // a limit that applies: stepped, dashed
	Predicted = "predicted" // the model's prediction: dashed, thin
)

// Story is what a page draws: charts on one time axis (T, seconds since
// the start of the test), scaling events, and the sentence that explains
// the biggest gap.
type Story struct {
	Kind  Kind   `json:"kind"`
	Title string `json:"title"`
	// Sentence explains the biggest gap between what was offered and
	// what was served, with times, and how the prediction compares.
	Sentence string  `json:"sentence"`
	T        Series  `json:"t"`
	Charts   []Chart `json:"charts"`
	Events   []Event `json:"events,omitempty"`
	// Gap is the window the sentence is about; nil when nothing fell short.
	Gap *Window `json:"gap,omitempty"`
	// Predicted says whether the charts hold the model's prediction
	// (they do not when the target's settings were not monitored).
	Predicted bool `json:"predicted"`
	// Notes are further facts worth a line each (limits, settings).
	Notes []string `json:"notes,omitempty"`
}

// Chart is one combined chart.
type Chart struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Unit is appended to values: "/s", "%" or "" for counts.
	Unit  string `json:"unit"`
	Lines []Line `json:"lines"`
}

// Line is one series of a chart.
type Line struct {
	Label  string `json:"label"`
	Role   string `json:"role"`
	Values Series `json:"values"`
}

// Event is a scaling event, marked on every chart.
type Event struct {
	T     float64 `json:"t"`
	Kind  string  `json:"kind"` // "scale-out", "scale-in", "gap-start", "gap-end"
	Label string  `json:"label"`
}

// Window is a span of the run, in seconds since its start.
type Window struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
}

// Options adjust Build.
type Options struct {
	// NoPrediction leaves the model's prediction out: the dashboard
	// rebuilds the story every second and a long run's replay would cost
	// more than a second's worth of work.
	NoPrediction bool
	// ReplayBudget caps the arrivals the Lambda replay takes (one model
	// call each); a longer run gets no prediction. 0 means
	// DefaultReplayBudget.
	ReplayBudget int
}

// DefaultReplayBudget is ten minutes at 10,000 requests/s.
const DefaultReplayBudget = 6_000_000

// Last returns the story cut to its last n seconds (the sentence, the
// gap and the events stay those of the whole run): what a live page
// needs each second without the whole history.
func (s *Story) Last(n int) *Story {
	if s == nil || n <= 0 || len(s.T) <= n {
		return s
	}
	out := *s
	cut := len(s.T) - n
	out.T = s.T[cut:]
	out.Charts = make([]Chart, len(s.Charts))
	for i, c := range s.Charts {
		c.Lines = append([]Line(nil), c.Lines...)
		for j := range c.Lines {
			c.Lines[j].Values = c.Lines[j].Values[cut:]
		}
		out.Charts[i] = c
	}
	return &out
}

// Build returns the story of r, or nil when r monitored no target with
// scaling series.
func Build(r *results.Results, opts Options) *Story {
	if r == nil || !monitorsScaling(r.Intervals) {
		return nil
	}
	rn := readRun(r)
	if rn.len() == 0 {
		return nil
	}
	switch {
	case rn.has(lambdaConcurrency):
		return lambdaStory(rn, opts)
	case rn.has(fleetRunning) || rn.has(fleetDesired):
		return fleetStory(rn, opts)
	}
	return nil
}

// monitorsScaling says whether any interval holds a series a story is
// told from. The dashboard asks for the story every second of every run:
// without this look first, a run with no scaling target read its whole
// history each time to find nothing, which after two hours was most of
// the dashboard's work each second.
func monitorsScaling(ivs []results.Interval) bool {
	for i := range ivs {
		for _, key := range [...]string{lambdaConcurrency, fleetRunning, fleetDesired} {
			if _, ok := ivs[i].Monitor[key]; ok {
				return true
			}
		}
	}
	return false
}

// chart returns a chart with the lines that hold a value.
func chart(id, title, unit string, lines ...Line) Chart {
	c := Chart{ID: id, Title: title, Unit: unit}
	for _, l := range lines {
		if l.Values.anyValue() {
			c.Lines = append(c.Lines, l)
		}
	}
	return c
}

// addChart appends c when it has a line.
func (s *Story) addChart(c Chart) {
	if len(c.Lines) > 0 {
		s.Charts = append(s.Charts, c)
	}
}

// At is the event's time as the sentence writes it (m:ss).
func (e Event) At() string { return clock(e.T) }

// Model names the scaling model the prediction replays.
func (s *Story) Model() string {
	if s.Kind == Lambda {
		return "scaling/lambda"
	}
	return "scaling/fleet"
}

// ScaleEvents are the events that changed capacity (scale-outs and
// scale-ins), without the gap's start and end.
func (s *Story) ScaleEvents() []Event {
	var out []Event
	for _, e := range s.Events {
		if e.Kind == "scale-out" || e.Kind == "scale-in" {
			out = append(out, e)
		}
	}
	return out
}
