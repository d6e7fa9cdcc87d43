package threshold

import (
	"time"

	"github.com/surge-dev/surge/series"
)

// Check is one evaluation of a threshold.
type Check struct {
	From, To int     // the seconds evaluated (Second.Index, inclusive)
	Value    float64 // the metric over them, in the threshold's unit
	Data     bool    // there was something to measure (a request, for latency and rates)
	Holds    bool    // Data and the condition held
}

// Verdict is a threshold's outcome over a run.
type Verdict struct {
	Threshold Threshold
	// Passed: the condition held over the whole run (no window) or over
	// every window with data. A threshold that never had data has not
	// passed; NoData says so.
	Passed bool
	NoData bool
	// Value is what the verdict rests on: the metric over the run, or
	// over the first window that failed (the last one when none did).
	Value   float64
	Checks  int    // evaluations with data: 1 for the whole run, else the windows
	Failed  int    // of them, how many failed
	Failure *Check // the first window that failed
	// Reset says the statistics were reset during the run: "the run" is
	// then the seconds from Since (the first second after the last reset)
	// on, as every other view of the run counts it, and nothing before
	// it counts towards the verdict.
	Reset bool
	Since int
}

// Evaluator judges one threshold second by second: since the start, or
// over a sliding window once the run is a window long. A second marked
// Reset starts the run again: what came before it is forgotten, and a
// window never reaches back past it.
type Evaluator struct {
	t        Threshold
	cum      *series.Acc
	window   []series.Second // the last Window seconds
	last     Check
	verdict  Verdict
	windowed int // windows evaluated, with or without data
	first    int // index of the first second (since the last reset)
	origin   int // where the first window starts: 0, or the last reset's second
	err      error
}

// NewEvaluator returns an evaluator of t.
func NewEvaluator(t Threshold) *Evaluator {
	return &Evaluator{t: t, cum: series.NewAcc(t.Metric), verdict: Verdict{Threshold: t}}
}

// Add takes the run's next second and returns the evaluation it ends, if
// any: every second for a threshold since the start, every whole second
// from the first full window on for a windowed one (a window ending in the
// run's last fraction of a second is not one the run completed).
func (e *Evaluator) Add(s series.Second) (Check, bool, error) {
	if e.err != nil {
		return Check{}, false, e.err
	}
	if s.Reset {
		e.restart(s.Index)
	}
	if e.cum.Seconds() == 0 {
		e.first = s.Index
	}
	if e.err = e.cum.Add(s); e.err != nil {
		return Check{}, false, e.err
	}
	if e.t.Window == 0 {
		e.last = e.check(e.cum, e.first, s.Index)
		return e.last, true, nil
	}
	e.window = append(e.window, s)
	if len(e.window) > e.windowSeconds() {
		e.window = e.window[1:]
	}
	if s.Index+1-e.origin < e.windowSeconds() || !s.Whole() {
		return Check{}, false, nil // no full window yet, or the run ended inside this one
	}
	c, err := e.overWindow()
	if err != nil {
		e.err = err
		return Check{}, false, err
	}
	e.record(c)
	return c, true, nil
}

// restart forgets the run before second index, the first after a reset
// of the statistics.
func (e *Evaluator) restart(index int) {
	e.cum = series.NewAcc(e.t.Metric)
	e.window, e.last, e.windowed = nil, Check{}, 0
	e.verdict = Verdict{Threshold: e.t, Reset: true, Since: index}
	e.origin = index
}

func (e *Evaluator) windowSeconds() int { return int(e.t.Window / time.Second) }

// overWindow evaluates the seconds in the window: those whose index is
// within Window of the newest, so a skipped second shortens it.
func (e *Evaluator) overWindow() (Check, error) {
	newest := e.window[len(e.window)-1].Index
	acc := series.NewAcc(e.t.Metric)
	for _, s := range e.window {
		if s.Index > newest-e.windowSeconds() {
			if err := acc.Add(s); err != nil {
				return Check{}, err
			}
		}
	}
	return e.check(acc, newest-e.windowSeconds()+1, newest), nil
}

func (e *Evaluator) check(acc *series.Acc, from, to int) Check {
	v, _, ok := acc.Value(e.t.Stat)
	return Check{From: from, To: to, Value: v, Data: ok, Holds: ok && e.t.Op.Holds(v, e.t.Value)}
}

// record counts a window's check in the verdict.
func (e *Evaluator) record(c Check) {
	e.last = c
	e.windowed++
	if !c.Data {
		return
	}
	e.verdict.Checks++
	if !c.Holds {
		e.verdict.Failed++
		if e.verdict.Failure == nil {
			first := c
			e.verdict.Failure = &first
		}
	}
}

// Abort reports whether the run should stop now: the threshold has
// abortOnFail, its latest evaluation failed, and the run is past
// delayAbortEval. After a reset of the statistics the delay counts from
// the reset: the delay is there to let samples gather, and a reset
// has just dropped them all.
func (e *Evaluator) Abort() bool {
	return e.t.AbortOnFail && e.last.Data && !e.last.Holds &&
		time.Duration(e.last.To+1-e.origin)*time.Second >= e.t.DelayAbortEval
}

// Verdict is the outcome once the run is over. A windowed threshold on a
// run shorter than its window is judged over the whole run; after a
// reset, "the run" is the time since it.
func (e *Evaluator) Verdict() (Verdict, error) {
	if e.err != nil {
		return Verdict{}, e.err
	}
	v := e.verdict
	if e.t.Window == 0 || e.windowed == 0 {
		c := e.check(e.cum, e.first, e.first+e.cum.Seconds()-1)
		v.Checks, v.Failed, v.Value = 0, 0, c.Value
		if c.Data {
			v.Checks = 1
		}
		if c.Data && !c.Holds {
			v.Failed = 1
		}
	} else {
		v.Value = e.last.Value
		if v.Failure != nil {
			v.Value = v.Failure.Value
		}
	}
	v.NoData = v.Checks == 0
	v.Passed = !v.NoData && v.Failed == 0
	return v, nil
}

// Judge evaluates a threshold over a finished run's seconds (a results
// file's, see series.FromResults).
func Judge(t Threshold, seconds []series.Second) (Verdict, error) {
	e := NewEvaluator(t)
	for _, s := range seconds {
		if _, _, err := e.Add(s); err != nil {
			return Verdict{}, err
		}
	}
	return e.Verdict()
}
