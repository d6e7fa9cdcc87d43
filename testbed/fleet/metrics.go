package fleettarget

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/surge-dev/surge/scaling/fleet"
)

// collector reads the model at scrape time.
type collector struct {
	s                                  *Server
	desired, running, pending, healthy *prometheus.Desc
	draining, cpu, perTarget, alarm    *prometheus.Desc
	activities, requests, virtualTime  *prometheus.Desc
}

func newCollector(s *Server) *collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("surge_fleet_"+name, help, labels, nil)
	}
	return &collector{
		s:           s,
		desired:     d("desired_tasks", "Desired task count (ECS DesiredTaskCount)."),
		running:     d("running_tasks", "Running tasks, not draining (ECS RunningTaskCount)."),
		pending:     d("pending_tasks", "Tasks starting (ECS PendingTaskCount)."),
		healthy:     d("healthy_tasks", "Tasks in the load balancer (ALB HealthyHostCount)."),
		draining:    d("draining_tasks", "Tasks deregistering from the load balancer."),
		cpu:         d("cpu_utilization", "Latest one-minute datapoint of average CPU, percent (CPUUtilization)."),
		perTarget:   d("requests_per_target", "Latest one-minute datapoint of requests per healthy task (ALBRequestCountPerTarget)."),
		alarm:       d("alarm_state", "1 for the current state of each scaling alarm.", "alarm", "state"),
		activities:  d("scaling_activities_total", "Changes of the desired count.", "direction"),
		requests:    d("requests_total", "Requests by outcome.", "outcome"),
		virtualTime: d("virtual_time_seconds", "The model clock: real time since start times the time scale."),
	}
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	prometheus.DescribeByCollect(c, ch)
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st, _ := c.s.snapshot()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge(c.desired, float64(st.Desired))
	gauge(c.running, float64(st.Running))
	gauge(c.pending, float64(st.Pending))
	gauge(c.healthy, float64(st.Healthy))
	gauge(c.draining, float64(st.Draining))
	gauge(c.cpu, st.CPUUtilization)
	gauge(c.perTarget, st.RequestsPerTarget)
	gauge(c.virtualTime, st.Now.Seconds())
	for _, a := range []struct {
		name  string
		state fleet.AlarmState
	}{{"high", st.AlarmHigh}, {"low", st.AlarmLow}} {
		for _, state := range []fleet.AlarmState{fleet.OK, fleet.Alarm, fleet.InsufficientData} {
			gauge(c.alarm, boolFloat(a.state == state), a.name, string(state))
		}
	}
	counter(c.activities, uint64(st.ScaleOuts), "out")
	counter(c.activities, uint64(st.ScaleIns), "in")
	counter(c.requests, c.s.total.served.Load(), "served")
	counter(c.requests, c.s.total.overloaded.Load(), "overloaded")
	counter(c.requests, c.s.total.noTarget.Load(), "no_target")
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
