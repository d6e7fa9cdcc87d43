package fleettarget

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of a request at the load balancer, as label values.
const (
	outcomeServed     = "served"
	outcomeOverloaded = "overloaded"
	outcomeNoTarget   = "no_target"
)

// unmatched labels requests that reach none of the heavy target's
// endpoints (they are answered 404).
const unmatched = "unmatched"

// pathMetrics are the per-endpoint series: what each endpoint costs the
// tasks and what its callers wait, so a monitored run shows the heavy path
// apart from the light ones. The label is the endpoint's pattern, never
// the raw path, so item IDs cannot grow the series without bound.
type pathMetrics struct {
	requests *prometheus.CounterVec
	cpu      *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newPathMetrics(reg *prometheus.Registry) *pathMetrics {
	p := &pathMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "surge_fleet_path_requests_total", Help: "Requests by endpoint pattern and outcome."},
			[]string{"path", "outcome"}),
		cpu: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "surge_fleet_path_cpu_seconds_total", Help: "Task CPU time charged by endpoint pattern."},
			[]string{"path"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "surge_fleet_path_duration_seconds", Help: "Time from arrival at the load balancer to the answer, by endpoint pattern.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}, []string{"path"}),
	}
	reg.MustRegister(p.requests, p.cpu, p.duration)
	return p
}

func label(route string) string {
	if route == "" {
		return unmatched
	}
	return route
}

// charge counts the CPU an admitted request costs its task.
func (p *pathMetrics) charge(route string, cost time.Duration) {
	p.cpu.WithLabelValues(label(route)).Add(cost.Seconds())
}

// done counts a request answered with outcome, which arrived at arrival.
func (p *pathMetrics) done(route, outcome string, arrival time.Time) {
	p.requests.WithLabelValues(label(route), outcome).Inc()
	p.duration.WithLabelValues(label(route)).Observe(time.Since(arrival).Seconds())
}
