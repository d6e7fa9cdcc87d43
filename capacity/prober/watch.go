package prober

import (
	"math"
	"runtime"
	"slices"
	"sync"
	"time"
)

// lagTick is how often the lag watcher asks to be woken: short enough to
// see a generator that falls behind, long enough to cost nothing.
const lagTick = 5 * time.Millisecond

// watcher measures the generator while a probe runs: its CPU share and
// how late its own timers fire.
type watcher struct {
	mu      sync.Mutex
	late    []float64 // ms, one per tick while measuring
	measure bool
	stop    chan struct{}
	done    chan struct{}

	cpuStart time.Duration
	wall     time.Time
}

func startWatcher() *watcher {
	w := &watcher{stop: make(chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

func (w *watcher) run() {
	defer close(w.done)
	t := time.NewTimer(lagTick)
	defer t.Stop()
	want := time.Now().Add(lagTick)
	for {
		select {
		case <-w.stop:
			return
		case now := <-t.C:
			w.note(now.Sub(want))
			want = time.Now().Add(lagTick)
			t.Reset(lagTick)
		}
	}
}

func (w *watcher) note(late time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.measure {
		w.late = append(w.late, float64(late)/float64(time.Millisecond))
	}
}

// begin starts the measured span.
func (w *watcher) begin() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.measure, w.late = true, w.late[:0]
	w.cpuStart, w.wall = processCPU(), time.Now()
}

// end closes the measured span: the busy share of the cores the process
// may use (NaN where the platform does not say), and the 99th percentile
// of the timers' lateness.
func (w *watcher) end() (cpu, lagMs float64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.measure = false
	cpu = math.NaN()
	if used := processCPU(); used >= 0 && w.cpuStart >= 0 {
		wall := time.Since(w.wall)
		cpu = float64(used-w.cpuStart) / float64(wall) / float64(runtime.GOMAXPROCS(0))
	}
	return cpu, p99(w.late)
}

func (w *watcher) close() {
	close(w.stop)
	<-w.done
}

func p99(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	return s[int(math.Ceil(0.99*float64(len(s))))-1]
}
