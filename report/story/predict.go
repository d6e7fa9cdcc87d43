package story

import (
	"fmt"
	"math"
	"time"

	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
)

// The prediction is the capacity planner's (package plan) for the run's
// offered load, so that the story and the planner replay the scaling
// models one way. It lives behind predictLambda and predictFleet only.

// lambdaPrediction is the model's answer per second of the run.
type lambdaPrediction struct {
	served, concurrency, throttled, cold Series
	// byCause is the predicted throttles per second of each cause.
	byCause map[lambda.Throttle]Series
}

// predictLambda plans the run's offered load with plan.PlanLambdaScaled,
// on the emulator's time scale: every admitted invocation holds its
// environment for the handler's duration (plus the init on a cold start),
// cut at the timeout. It refuses a run with more arrivals than budget.
func predictLambda(s lambdaSetup, rn *run, budget int) (*lambdaPrediction, error) {
	prof, slot := lambdaProfile(rn)
	if prof.Total() > int64(budget) {
		return nil, fmt.Errorf("the run offered more than %s arrivals, the most the replay takes here", thousands(float64(budget)))
	}
	p := &lambdaPrediction{served: make(Series, rn.len()), concurrency: make(Series, rn.len()),
		throttled: make(Series, rn.len()), cold: make(Series, rn.len()), byCause: map[lambda.Throttle]Series{}}
	if prof.Total() == 0 {
		return p, nil // nothing offered: nothing to predict but zeros
	}
	pl, err := plan.PlanLambdaScaled(prof, s.cfg, s.scale)
	if err != nil {
		return nil, err
	}
	for i, k := range slot {
		p.add(i, pl.Seconds[k], rn.dur[i])
	}
	return p, nil
}

// add is the plan's second sec as interval i of the run, d seconds long:
// served counts the invocations answered in it, as the run counts
// responses when they complete.
func (p *lambdaPrediction) add(i int, sec plan.LambdaSecond, d float64) {
	p.served[i] = float64(sec.Completed) / d
	p.concurrency[i] = float64(sec.Concurrency)
	p.throttled[i] = float64(sec.Throttles.Total()) / d
	p.cold[i] = float64(sec.ColdStarts) / d
	for _, c := range lambda.Throttles {
		if n := sec.Throttles.Of(c); n > 0 {
			if p.byCause[c] == nil {
				p.byCause[c] = make(Series, len(p.throttled))
			}
			p.byCause[c][i] = float64(n) / d
		}
	}
}

// lambdaProfile is the run's offered arrivals per second from its first
// interval, and the profile second of each interval. A short last
// interval's arrivals are spread over the whole second.
func lambdaProfile(rn *run) (plan.Profile, []int) {
	slot := make([]int, rn.len())
	var prof plan.Profile
	for i := range rn.len() {
		slot[i] = max(0, int(math.Round(rn.t[i]-rn.t[0])))
		for len(prof.Arrivals) <= slot[i] {
			prof.Arrivals = append(prof.Arrivals, 0)
		}
		prof.Arrivals[slot[i]] += int64(count(rn.offered[i] * rn.dur[i]))
	}
	return prof, slot
}

func count(v float64) int {
	if math.IsNaN(v) || v <= 0 {
		return 0
	}
	return int(math.Round(v))
}

// fleetPrediction is the model's answer per second of the run.
type fleetPrediction struct {
	desired, running, healthy, cpu Series
	events                         []Event
}

// predictFleet replays the offered load through scaling/fleet, each
// request costing cost task-seconds (what the run's requests cost on
// average), observed once a second as the emulator does. offset is the
// model time at which the run started, so that the one-minute datapoints
// close when the emulator's did.
func predictFleet(s fleetSetup, rn *run, cost float64, offset time.Duration) *fleetPrediction {
	m, err := fleet.New(s.cfg)
	if err != nil {
		return nil
	}
	m.Step(offset)
	n := rn.len()
	p := &fleetPrediction{desired: make(Series, n), running: make(Series, n), healthy: make(Series, n), cpu: make(Series, n)}
	prev := s.cfg.Desired
	for i := range n {
		end := offset + time.Duration((rn.t[i]+rn.dur[i]-rn.t[0])*s.scale*float64(time.Second))
		reqs := 0.0
		if v := rn.offered[i]; !math.IsNaN(v) {
			reqs = v * rn.dur[i]
		}
		// The model counts load in real requests over virtual time and
		// charges 1/TaskCapacity of a task-second per served request: the
		// emulator hands its busy time over as that many plain requests.
		m.Observe(end, reqs*s.scale, reqs*cost*s.cfg.TaskCapacity*s.scale)
		st := m.State()
		p.desired[i], p.running[i], p.healthy[i], p.cpu[i] = float64(st.Desired), float64(st.Running), float64(st.Healthy), st.CPUUtilization
		if st.Desired != prev {
			p.events = append(p.events, scaleEvent(rn.t[i], prev, st.Desired))
			prev = st.Desired
		}
	}
	return p
}
