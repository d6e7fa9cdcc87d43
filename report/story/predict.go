package story

import (
	"container/heap"
	"math"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
)

// The prediction replays the run's offered load through the scaling
// model the emulator runs. It lives behind predictLambda and predictFleet
// only, so that it can be switched to the capacity planner (package plan)
// without touching the rest of the story.

// lambdaPrediction is the model's answer per second of the run.
type lambdaPrediction struct {
	served, concurrency, throttled, cold Series
	// byCause is the predicted throttles per second of each cause.
	byCause map[lambda.Throttle]Series
}

// predictLambda replays the offered load, spread evenly over each second,
// through scaling/lambda: every admitted invocation holds its environment
// for the handler's duration (plus the init on a cold start). It returns
// nil when the run has more arrivals than budget or the model refuses the
// setup.
func predictLambda(s lambdaSetup, rn *run, budget int) *lambdaPrediction {
	if total(rn) > float64(budget) {
		return nil
	}
	m, err := lambda.New(s.cfg)
	if err != nil {
		return nil
	}
	n := rn.len()
	p := &lambdaPrediction{served: make(Series, n), concurrency: make(Series, n), throttled: make(Series, n),
		cold: make(Series, n), byCause: map[lambda.Throttle]Series{}}
	r := &lambdaReplay{s: s, m: m}
	for i := range n {
		arrivals := count(rn.offered[i] * rn.dur[i])
		for k := range arrivals {
			at := rn.t[i] + (float64(k)+0.5)/float64(arrivals)*rn.dur[i]
			p.served[i] += float64(r.drain(at))
			r.invoke(at, p, i)
		}
		end := rn.t[i] + rn.dur[i]
		p.served[i] += float64(r.drain(end))
		p.concurrency[i] = float64(m.Snapshot(r.virtual(end)).ConcurrentExecutions)
		for _, col := range []Series{p.served, p.throttled, p.cold} {
			col[i] /= rn.dur[i]
		}
		for _, col := range p.byCause {
			col[i] /= rn.dur[i]
		}
	}
	return p
}

// total is the number of arrivals the run offered.
func total(rn *run) float64 {
	var t float64
	for i := range rn.offered {
		t += float64(count(rn.offered[i] * rn.dur[i]))
	}
	return t
}

func count(v float64) int {
	if math.IsNaN(v) || v <= 0 {
		return 0
	}
	return int(math.Round(v))
}

// lambdaReplay is the model and the invocations running in it.
type lambdaReplay struct {
	s       lambdaSetup
	m       *lambda.Model
	running endings
}

// virtual is real seconds since the start on the model's clock.
func (r *lambdaReplay) virtual(real float64) time.Duration {
	return time.Duration(real * r.s.scale * float64(time.Second))
}

// invoke asks the model for an environment at real time at.
func (r *lambdaReplay) invoke(at float64, p *lambdaPrediction, i int) {
	env, cold, thr := r.m.Acquire(r.virtual(at))
	if thr != lambda.None {
		p.throttled[i]++
		if p.byCause[thr] == nil {
			p.byCause[thr] = make(Series, len(p.throttled))
		}
		p.byCause[thr][i]++
		return
	}
	hold := r.s.hold
	if cold {
		p.cold[i]++
		hold += r.s.init
	}
	timedOut := hold > r.s.timeout
	hold = min(hold, r.s.timeout)
	heap.Push(&r.running, ending{at: at + hold.Seconds(), env: env, failed: timedOut})
}

// drain ends the invocations due by real time at and returns how many
// succeeded.
func (r *lambdaReplay) drain(at float64) int {
	ok := 0
	for len(r.running) > 0 && r.running[0].at <= at {
		e := heap.Pop(&r.running).(ending)
		if e.failed {
			r.m.Reset(r.virtual(e.at), e.env)
			continue
		}
		r.m.Release(r.virtual(e.at), e.env)
		ok++
	}
	return ok
}

// ending is when an invocation gives its environment back.
type ending struct {
	at     float64
	env    *lambda.Env
	failed bool
}

// endings is a min-heap of endings by time.
type endings []ending

func (h endings) Len() int           { return len(h) }
func (h endings) Less(i, j int) bool { return h[i].at < h[j].at }
func (h endings) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *endings) Push(x any)        { *h = append(*h, x.(ending)) }
func (h *endings) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
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
