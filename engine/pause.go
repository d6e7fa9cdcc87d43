package engine

import (
	"runtime"
	"time"
)

// A snapshot's work runs on the collector's goroutine: closing the
// interval, adding the hot endpoints' dense histograms, the run's total,
// the generator's own measures. At 50,000 requests a second that is about
// 1.5 ms each second, and several in the first seconds. On one processor
// (a generator pinned to one core runs with GOMAXPROCS 1) Go lets a
// goroutine run until it blocks or 10 ms pass, so the pacer and every
// response that came meanwhile waited for the whole of it: the first 100
// ms of each second had the run's worst lag. The collector now pauses
// between the steps, once it has run pauseEvery since its last pause.
// runtime.Gosched would not do: it puts the goroutine back on the run
// queue, which the scheduler looks at before it polls the network for
// the goroutines waiting on it. A short sleep parks the collector, and
// with nothing else runnable the scheduler polls.
const (
	pauseEvery = 250 * time.Microsecond
	pauseFor   = 20 * time.Microsecond
)

// pauser is the collector's: one goroutine calls pause.
type pauser struct {
	sleep *sleeper
	last  time.Time
}

func newPauser() *pauser { return &pauser{sleep: newSleeper()} }

// pause lets the goroutines waiting on the network run, if the process
// has one processor and pauseEvery has passed since the last pause.
func (p *pauser) pause() {
	if p == nil || runtime.GOMAXPROCS(0) > 1 {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < pauseEvery {
		return
	}
	p.sleep.sleep(pauseFor)
	p.last = time.Now()
}

func (p *pauser) close() {
	if p != nil {
		p.sleep.close()
	}
}
