package promexport

import (
	"math"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/selfwatch"
)

// The generator's watch on itself over the last second closed (the
// results' interval "generator" object), as gauges: the lateness that
// would distort the latencies beside them, and the judgement that it
// does. They are absent until a second with a watch has closed (a
// replayed or merged snapshot has none).
var (
	genSendLagP99 = newDesc("surge_generator_send_lag_p99_seconds",
		"How late open-model arrivals began after their intended time in the last second (99th percentile), "+
			"a wait for a free connection of a bounded pool included; 0 when none began.")
	genSendLagMax = newDesc("surge_generator_send_lag_max_seconds",
		"How late the latest open-model arrival of the last second began after its intended time; 0 when none began.")
	genPacerLagP99 = newDesc("surge_generator_pacer_lag_p99_seconds",
		"How late the pacer handed arrivals on in the last second (99th percentile): Surge's own lateness alone; "+
			"0 when it handed none on.")
	genTimerLagP99 = newDesc("surge_generator_timer_lag_p99_seconds",
		"How late a 20 ms timer of Surge's own fired in the last second (99th percentile), in either load model.")
	genCPU = newDesc("surge_generator_cpu_ratio",
		"Surge's CPU time in the last second as a share of the cores it may use (GOMAXPROCS); 1: every core busy.")
	genBound = newDesc("surge_generator_bound",
		"1 while Surge is judged its own bottleneck (latencies then describe Surge, not the server), else 0.")
)

var generatorDescs = []*prometheus.Desc{genSendLagP99, genSendLagMax, genPacerLagP99, genTimerLagP99, genCPU, genBound}

// generatorState is the last watched second and the judgement so far.
type generatorState struct {
	watched bool // a second with a watch has closed
	last    metrics.Generator
	bound   bool
}

// generatorWatch keeps selfwatch's judgement, which has hysteresis:
// whether Surge is bound now depends on the seconds before.
type generatorWatch struct {
	judge *selfwatch.Judgement // nil until the first judged second
	state generatorState
}

// update takes a snapshot's second and returns the state to show.
func (w *generatorWatch) update(s *metrics.Snapshot) generatorState {
	if s.Interval.Generator.Cores == 0 {
		return w.state // no watch in this snapshot
	}
	w.state.watched, w.state.last = true, s.Interval.Generator
	// As the live notice does: the final part-second is not judged.
	if !s.Final {
		if w.judge == nil {
			w.judge = selfwatch.NewJudgement(selfwatch.Limits{})
		}
		w.judge.Add(engine.GeneratorSecond(s.Interval))
		_, w.state.bound = w.judge.Open()
	}
	return w.state
}

func collectGenerator(ch chan<- prometheus.Metric, g generatorState) {
	if !g.watched {
		return
	}
	gauge(ch, genSendLagP99, g.last.LagP99.Seconds())
	gauge(ch, genSendLagMax, g.last.LagMax.Seconds())
	gauge(ch, genPacerLagP99, g.last.PacerLagP99.Seconds())
	gauge(ch, genTimerLagP99, g.last.TimerLagP99.Seconds())
	if !math.IsNaN(g.last.CPU) { // the platform does not say
		gauge(ch, genCPU, g.last.CPU)
	}
	bound := 0.0
	if g.bound {
		bound = 1
	}
	gauge(ch, genBound, bound)
}

func gauge(ch chan<- prometheus.Metric, d *prometheus.Desc, v float64) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v)
}
