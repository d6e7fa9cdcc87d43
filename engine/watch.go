package engine

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
)

// watchTick is how often the watch's own timer asks to be woken: often
// enough to see a generator that falls behind (50 samples a second), and
// seldom enough to cost little: each wake of an idle process restarts
// the Go runtime's monitor thread at its fastest polling, so at 5 ms the
// timer cost a low-rate run a fifth of its CPU per arrival, and an idle
// run 7 ms of CPU a second.
const watchTick = 20 * time.Millisecond

// watch is the generator's watch on itself, in every run: how late
// arrivals begin and how late the pacer hands them on, how late its own
// timer fires, the CPU the process uses and wants, and the connections
// it opens, per interval. Package selfwatch judges what it measures.
type watch struct {
	mu    sync.Mutex
	lags  lagHistograms
	spare lagHistograms

	dials atomic.Int64 // connections opened (transport.Config.Dials)
	conns func() int64 // the pool's connections now (nil: no pool)

	// Owned by the goroutine that calls sample.
	dialsWas        int64
	cpuWas, wantWas time.Duration // at the last sample (-1: unknown)
	wallWas         time.Time
	cores           int

	stop, done chan struct{}
}

// lagHistograms hold one interval's lateness, in microseconds.
type lagHistograms struct{ start, pacer, timer *hdr.Histogram }

func newLagHistograms() lagHistograms {
	h := func() *hdr.Histogram { return hdr.New(1, int64(time.Hour/time.Microsecond), 2) }
	return lagHistograms{start: h(), pacer: h(), timer: h()}
}

func (l lagHistograms) reset() {
	l.start.Reset()
	l.pacer.Reset()
	l.timer.Reset()
}

// startWatch takes the first readings and starts the watch's timer. It
// is called before the test's start is taken, so that reading the
// threads' statistics (a few milliseconds on a busy machine) does not
// make the first arrivals late.
func startWatch() *watch {
	w := &watch{lags: newLagHistograms(), spare: newLagHistograms(), cpuWas: processCPU(),
		wantWas: processDemand(), cores: runtime.GOMAXPROCS(0),
		stop: make(chan struct{}), done: make(chan struct{})}
	w.wallWas = time.Now()
	go w.tick()
	return w
}

// tick measures how late the timer fires: the lateness of one goroutine
// woken on time is that of every other the generator wakes.
func (w *watch) tick() {
	defer close(w.done)
	t := time.NewTimer(watchTick)
	defer t.Stop()
	want := time.Now().Add(watchTick)
	for {
		select {
		case <-w.stop:
			return
		case <-t.C:
			// Not the time received: since Go 1.23 it is when the timer
			// was due, however late its goroutine runs.
			w.note(func(l lagHistograms) *hdr.Histogram { return l.timer }, time.Since(want))
			want = time.Now().Add(watchTick)
			t.Reset(watchTick)
		}
	}
}

func (w *watch) close() {
	close(w.stop)
	<-w.done
}

func (w *watch) note(which func(lagHistograms) *hdr.Histogram, late time.Duration) {
	w.mu.Lock()
	_ = which(w.lags).RecordValue(max(late, 0).Microseconds())
	w.mu.Unlock()
}

// paced notes an arrival, due at intended, that the pacer hands on now.
func (w *watch) paced(intended time.Time) {
	w.note(func(l lagHistograms) *hdr.Histogram { return l.pacer }, time.Since(intended))
}

// began notes an arrival, due at intended, that begins now.
func (w *watch) began(intended time.Time) {
	w.note(func(l lagHistograms) *hdr.Histogram { return l.start }, time.Since(intended))
}

// sample closes the interval that ends now.
func (w *watch) sample() metrics.Generator {
	w.mu.Lock()
	lags := w.lags
	w.lags, w.spare = w.spare, lags
	w.mu.Unlock()
	g := metrics.Generator{Arrivals: lags.start.TotalCount(), Paced: lags.pacer.TotalCount(), Cores: w.cores,
		LagMin: micros(lags.start.Min()), LagP99: micros(lags.start.ValueAtQuantile(99)),
		LagMax: micros(lags.start.Max()), PacerLagMin: micros(lags.pacer.Min()),
		PacerLagP99: micros(lags.pacer.ValueAtQuantile(99)), PacerLagMax: micros(lags.pacer.Max()),
		TimerLagP99: micros(lags.timer.ValueAtQuantile(99))}
	lags.reset()
	dials := w.dials.Load()
	g.ConnsOpened, w.dialsWas = dials-w.dialsWas, dials
	if w.conns != nil {
		g.Conns = w.conns()
	}
	// The wall time is taken right after the readings, as at the first:
	// on a busy machine the snapshot goroutine can wait a tenth of a
	// second between the interval's end and reading the threads'
	// statistics, and a share over another span than the readings' would
	// be off by that much.
	cpu, want := processCPU(), processDemand()
	read := time.Now()
	wall := read.Sub(w.wallWas)
	g.CPU, g.Demand = w.share(cpu-w.cpuWas, wall, cpu, w.cpuWas), w.share(want-w.wantWas, wall, want, w.wantWas)
	w.cpuWas, w.wantWas, w.wallWas = cpu, want, read
	return g
}

// share is used over wall as a share of the cores; NaN when either
// reading was unknown (-1).
func (w *watch) share(used, wall, now, was time.Duration) float64 {
	if now < 0 || was < 0 || wall <= 0 {
		return math.NaN()
	}
	return float64(used) / float64(wall) / float64(w.cores)
}

func micros(us int64) time.Duration { return time.Duration(us) * time.Microsecond }
