package engine

import (
	"math"
	"sync/atomic"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/selfwatch"
)

// DefaultPoolBound bounds the connections of the open model's growing
// pool (Test.Connections 0); arrivals beyond them wait in the queue or,
// when it is full, are dropped.
const DefaultPoolBound = 10000

// initialCeiling is how many connections a growing pool may open before
// its first judgement: enough for 50,000 req/s at a millisecond each.
const initialCeiling = 64

// helpedBy is how much more a second must complete, after the pool's
// ceiling doubled, for the doubling to count as having helped.
const helpedBy = 1.1

// A doubling that raised the completed rate by scaledBy or more shows a
// server that answers in proportion to the connections: the pool may then
// jump to what the demand needs at the rate each connection completes,
// with headroom, but at most maxJump times its ceiling in one second.
const (
	scaledBy = 1.6
	headroom = 1.25
	maxJump  = 4
)

// occupied is how busy on average a pool's connections must have been
// for its waits to count as a pool too small. At 50,000 req/s against a
// fast server a pool of 64 keeps a dozen busy on average, yet thousands
// of arrivals waited in the first second, in the bursts that follow
// each stall of the generator (a garbage collection, the machine's other
// work): doubling the ceiling then dialled 64 connections at once on the
// generator's core, and that second's send lag p99 rose from 2–4 ms to
// 10–22 ms. A pool too small for a slow server is busy all the time.
const occupied = 0.5

// maxSettle bounds, in seconds, how long a growth waits for its effect
// and how many seconds its completed rate is averaged over: the server's
// mean service time, rounded up. A server slower than that is judged as
// if it took maxSettle seconds.
const maxSettle = 10

// growth decides how many connections the open model's pool may hold
// when the test did not say (Test.Connections 0). Workers start on
// demand, when arrivals queue with none idle, up to a ceiling; once a
// second, a pool that had arrivals wait at its ceiling doubles it, as
// long as the doubling before raised the completed rate and the
// generator itself kept up and its connections were busy more often than
// not (occupied); when that doubling raised it nearly in
// proportion, the ceiling jumps to what the demand needs (up to fourfold).
// Against a server slower than a second a doubling is judged only once
// the new connections could have completed a request (second.settle).
// More connections cannot help a generator
// short of CPU, nor a server that completes no more with them: then the
// ceiling holds (frozen) until the completed rate rises by itself, say on
// a ramp. The ceiling never passes bound.
//
// step reads no clock: the snapshot goroutine calls it once a second;
// the pacer reads ceiling.
type growth struct {
	ceiling atomic.Int64
	bound   int64
	// before is the completed rate of the second that led to the last
	// doubling (-1: none yet); frozenAt the completed rate at which the
	// pool stopped growing (-1: it has not).
	before, frozenAt float64
	// since is the seconds judged since the ceiling last grew.
	since int
	// proven says that the last growth followed one that helped (the
	// completed rate rose with it). settling says that the last second
	// judged held the ceiling only because the last growth had not had
	// time to show; when that growth was proven, the pool is still
	// growing into a load it has shown it can serve, and the second's
	// waits were Surge's shortfall too. An unproven growth's settling
	// says nothing yet: against a server at its capacity the growth will
	// not help, and the waits are the server's.
	proven, settling bool
}

func newGrowth(bound int64) *growth {
	g := &growth{bound: bound, before: -1, frozenAt: -1}
	g.ceiling.Store(min(initialCeiling, bound))
	return g
}

// second is what one second tells the growing pool.
type second struct {
	// waited is the arrivals that queued with every worker busy at the
	// ceiling.
	waited int64
	// completed and demand are the requests completed and the arrivals
	// the plan handed on, per second.
	completed, demand float64
	// busy is how many connections the second kept in use on average:
	// the completions times their mean service time (Little's law). Not
	// the workers busy when the second is judged: the snapshot that
	// judges it holds the generator up, and arrivals pile onto every
	// worker in that moment. A server that completes nothing gets no
	// more connections.
	busy float64
	// strained says whether the generator could not keep up (package
	// selfwatch).
	strained bool
	// settle is how many seconds a growth needs before its effect
	// shows: the new connections' first responses come a service time
	// after they open (0 or 1: the next second).
	settle int
}

// step judges a second. It returns the new ceiling, and whether it grew:
// then the second's waits were for connections the pool had not opened
// yet, Surge's shortfall rather than the server's limit.
func (g *growth) step(s second) (ceiling int64, grew bool) {
	ceiling = g.ceiling.Load()
	g.since++
	g.settling = false
	if g.frozenAt >= 0 && rose(g.frozenAt, s.completed) {
		g.frozenAt, g.before, g.proven = -1, -1, false // the load changed: try growing again
	}
	switch {
	case s.waited == 0 || s.strained || g.frozenAt >= 0 || ceiling >= g.bound:
		return ceiling, false
	case g.before >= 0 && g.since < s.settle:
		// Judged before busy: the completions that busy counts come a
		// service time after the connections open.
		g.settling = g.proven
		return ceiling, false // the last growth has not had time to show
	case s.busy < occupied*float64(ceiling):
		return ceiling, false // the waits were bursts, not a pool too small
	case g.before >= 0 && !rose(g.before, s.completed):
		g.frozenAt = s.completed // the last doubling did not help
		return ceiling, false
	}
	next := 2 * ceiling
	if g.before > 0 && s.completed >= scaledBy*g.before && s.demand > s.completed {
		want := int64(math.Ceil(float64(ceiling) * s.demand / s.completed * headroom))
		next = max(next, min(want, maxJump*ceiling))
	}
	g.proven = g.before >= 0 // the growth before this one was judged, and helped
	g.before, g.since = s.completed, 0
	ceiling = min(next, g.bound)
	g.ceiling.Store(ceiling)
	return ceiling, true
}

// rose says whether the completed rate rose from was to now by helpedBy.
// Nothing completed never counts as having risen, even from nothing: a
// generator whose workers complete nothing (a process starved of CPU, a
// server that answers nothing) would otherwise double its pool every
// second to the bound.
func rose(was, now float64) bool {
	return now > 0 && now >= helpedBy*was
}

// strainState is the watch's last second, as package selfwatch reads it.
type strainState struct {
	prev *selfwatch.Second
}

// flush closes the interval at now with the watch's sample of it, and
// lets a growing pool judge the second.
func (r *runner) flush(now time.Time, final bool) metrics.Snapshot {
	if n := r.resent.Swap(0); n > 0 {
		r.rec.Count(0, resentCounter, n)
	}
	snap := r.rec.Flush(now, final)
	r.pauser.pause()
	snap.Interval.Generator = r.watch.sample()
	sec := GeneratorSecond(snap.Interval)
	why := selfwatch.Strained(r.strain.prev, sec, selfwatch.Limits{}.WithDefaults())
	if p := r.pool; p != nil && p.growth != nil && !final {
		// Only the generator's own evidence holds the pool back: a send
		// lag that runs away (selfwatch.Starved) is also what a pool too
		// small for a slow server shows, and growing is its cure.
		sec.PoolWaits = p.judge(snap.Interval, why == selfwatch.Busy || why == selfwatch.Runaway)
		snap.Interval.Generator.PoolWaits = sec.PoolWaits
	}
	r.strain.prev = &sec
	return snap
}

// resentCounter carries the transport's count of requests sent again
// into each interval's counters.
var resentCounter, _ = metrics.RegisterCounter(metrics.ResentCounter)

// judge lets a growing pool judge the interval: the arrivals that found
// every worker busy at the ceiling, those still queued beyond the idle
// workers, and the requests completed. It returns the interval's waits if
// the pool grew, or held only while a growth that followed a helpful one
// settled: Surge's shortfall (0 otherwise: no waits, a strained generator, or a server
// that more connections did not help).
//
// The rates are averaged over the last settle seconds, the server's mean
// service time rounded up: connections opened together complete together,
// and against a server slower than a second one second has all of their
// completions and the next none.
func (p *pool) judge(iv metrics.Interval, strained bool) int64 {
	completed, demand := 0.0, 0.0
	if d := iv.Duration.Seconds(); d > 0 {
		completed, demand = float64(iv.Stats.Requests)/d, float64(iv.Generator.Paced)/d
	}
	if s := meanService(iv.Stats); s > 0 {
		p.service = s // a second that completed nothing keeps the last
	}
	settle := min(int(p.service)+1, maxSettle)
	p.recent = append(p.recent, [2]float64{completed, demand})
	if len(p.recent) > maxSettle {
		p.recent = p.recent[1:]
	}
	completed, demand = 0, 0
	window := p.recent[max(len(p.recent)-settle, 0):]
	for _, r := range window {
		completed, demand = completed+r[0]/float64(len(window)), demand+r[1]/float64(len(window))
	}
	waited := p.waited.Swap(0)
	// Arrivals still queued count for growing (after the plan's last
	// arrival there are no new ones to), not as waits: they were counted
	// when they arrived.
	s := second{waited: waited + p.backlog(), completed: completed, demand: demand,
		busy: completed * p.service, strained: strained, settle: settle}
	if _, grew := p.growth.step(s); grew || p.growth.settling {
		return waited
	}
	return 0
}

// meanService is the mean service time of st's requests in seconds.
func meanService(st metrics.Stats) float64 {
	if st.Service == nil {
		return 0
	}
	return st.Service.Mean() / float64(time.Second/time.Microsecond)
}

// GeneratorSecond is an interval's watch on the generator as package
// selfwatch judges it.
func GeneratorSecond(iv metrics.Interval) selfwatch.Second {
	g := iv.Generator
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return selfwatch.Second{Index: iv.Index, DurationS: iv.Duration.Seconds(), Arrivals: g.Arrivals,
		LagMinMs: ms(g.LagMin), LagP99Ms: ms(g.LagP99), LagMaxMs: ms(g.LagMax), PacerLagMinMs: ms(g.PacerLagMin),
		PacerLagP99Ms: ms(g.PacerLagP99), PacerLagMaxMs: ms(g.PacerLagMax), TimerLagP99Ms: ms(g.TimerLagP99), CPU: g.CPU, Demand: g.Demand,
		Cores: g.Cores, ConnsOpened: g.ConnsOpened, PoolWaits: g.PoolWaits}
}
