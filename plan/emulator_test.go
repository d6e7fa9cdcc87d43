package plan

import (
	"container/heap"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
	"github.com/surge-dev/surge/schedule"
)

// This file replays a script against the emulators' code paths on a
// virtual clock, request by request, as target/lambda and target/fleet
// serve them: each arrival at the scheduler's exact time plus a load
// generator's lateness, an invocation holding its environment for init
// and handler, a fleet request queued on a round-robin task. The planner
// instead counts arrivals per second and spreads them; the agreement
// tests compare the two.

// lateness is how late a generator sends: up to 2 ms, seeded.
type lateness struct{ r *rand.Rand }

func newLateness(seed uint64) lateness { return lateness{rand.New(rand.NewPCG(seed, seed^0x5eed))} }

func (l lateness) next() time.Duration { return time.Duration(l.r.Int64N(int64(2 * time.Millisecond))) }

// arrivalTimes lists the plan's arrival times, each made a little late,
// in order.
func arrivalTimes(t *testing.T, phases []schedule.Phase, seed uint64) []time.Duration {
	t.Helper()
	p, err := schedule.New(phases)
	if err != nil {
		t.Fatal(err)
	}
	late := newLateness(seed)
	out := make([]time.Duration, 0, p.Arrivals())
	for i := range p.Arrivals() {
		at, _, _ := p.Due(i)
		out = append(out, at+late.next())
	}
	// Lateness may reorder neighbours; the server sees them in order.
	for i := 1; i < len(out); i++ {
		out[i] = max(out[i], out[i-1])
	}
	return out
}

// ending is an invocation in flight in the Lambda replay.
type ending struct {
	at    time.Duration
	env   *lambda.Env
	reset bool
}

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

// emulatedLambda is what the Lambda emulator reports after serving the
// arrivals: its status document, and throttles per second of arrival.
type emulatedLambda struct {
	state     lambda.State
	perSecond map[int]uint64
}

// emulateLambda serves arrivals as target/lambda does: Acquire at the
// arrival, hold the environment for the init (when cold) and the handler
// cut at the timeout, then Release, or Reset after a timeout.
func emulateLambda(t *testing.T, cfg lambda.Config, arrivals []time.Duration) emulatedLambda {
	t.Helper()
	m, err := lambda.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	out := emulatedLambda{perSecond: map[int]uint64{}}
	var inFlight endings
	finishUntil := func(now time.Duration) {
		for len(inFlight) > 0 && inFlight[0].at <= now {
			e := heap.Pop(&inFlight).(ending)
			if e.reset {
				m.Reset(e.at, e.env)
			} else {
				m.Release(e.at, e.env)
			}
		}
	}
	for _, at := range arrivals {
		finishUntil(at)
		env, cold, thr := m.Acquire(at)
		if thr != lambda.None {
			out.perSecond[int(at/time.Second)]++
			continue
		}
		// As target/lambda/invoke.go runs it: init when cold, then the
		// handler cut at the timeout.
		d := min(cfg.HandlerDuration, cfg.Timeout)
		if cold {
			d += cfg.InitDuration
		}
		heap.Push(&inFlight, ending{at + d, env, cfg.HandlerDuration > cfg.Timeout})
	}
	finishUntil(1 << 62)
	out.state = m.Snapshot(arrivals[len(arrivals)-1] + time.Hour)
	return out
}

// throttling is the span of seconds with a throttle in the replay.
func (e emulatedLambda) throttling() Span {
	span := Never
	for s := range e.perSecond {
		if span.From < 0 || s < span.From {
			span.From = s
		}
		span.Until = max(span.Until, s+1)
	}
	return span
}

// emulateFleet serves arrivals as target/fleet does: every tick the
// traffic is reported and the route rebuilt from the healthy tasks;
// requests go round-robin, each task serving one at a time and refusing
// one that would wait past the queue timeout. It returns the timeline at
// the end of every second, in the planner's terms, and the activities.
func emulateFleet(t *testing.T, cfg fleet.Config, queueTimeout time.Duration, arrivals []time.Duration, secs int) ([]FleetSecond, []fleet.Activity) {
	t.Helper()
	m, err := fleet.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f := &fleetReplay{m: m, interval: time.Duration(float64(time.Second) / cfg.TaskCapacity), limit: queueTimeout,
		free: map[int]time.Duration{}}
	f.reroute()
	out := make([]FleetSecond, secs)
	next := 0
	for tick := FleetTick; tick <= time.Duration(secs)*time.Second; tick += FleetTick {
		for ; next < len(arrivals) && arrivals[next] < tick; next++ {
			sec := &out[int(arrivals[next]/time.Second)]
			sec.Arrivals++
			if f.serve(arrivals[next]) {
				sec.Served++
			} else {
				sec.Rejected++
			}
		}
		m.Observe(tick, f.arrived, f.served)
		f.arrived, f.served = 0, 0
		f.note()
		f.reroute()
		if tick%time.Second == 0 {
			s := int(tick/time.Second) - 1
			st := m.State()
			out[s].T, out[s].Desired, out[s].Healthy, out[s].Running = s, st.Desired, st.Healthy, st.Running
			out[s].TasksNeeded = cfg.TasksNeeded(float64(out[s].Arrivals))
		}
	}
	return out, f.acts
}

type fleetReplay struct {
	m               *fleet.Model
	interval, limit time.Duration
	route           []int
	free            map[int]time.Duration // per task: when its worker is free
	cursor          uint64
	arrived, served float64
	acts            []fleet.Activity
}

func (f *fleetReplay) reroute() {
	f.route = f.route[:0]
	for _, task := range f.m.Tasks() {
		if task.Status == fleet.Running && task.Healthy {
			f.route = append(f.route, task.ID)
		}
	}
}

// serve routes one request and reports whether a task accepted it.
func (f *fleetReplay) serve(at time.Duration) bool {
	f.arrived++
	if len(f.route) == 0 {
		return false
	}
	f.cursor++
	id := f.route[f.cursor%uint64(len(f.route))]
	begin := max(at, f.free[id])
	if begin-at > f.limit {
		return false
	}
	f.free[id] = begin + f.interval
	f.served++
	return true
}

func (f *fleetReplay) note() {
	if a := f.m.State().LastActivity; a != nil && (len(f.acts) == 0 || f.acts[len(f.acts)-1] != *a) {
		f.acts = append(f.acts, *a)
	}
}
