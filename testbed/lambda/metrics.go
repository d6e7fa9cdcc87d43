package lambdatarget

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/surge-dev/surge/scaling/lambda"
)

// collector reads the model at scrape time, so the numbers are the
// model's own and nothing is double-counted in the request path.
type collector struct {
	s                                  *Server
	concurrent, maxConcurrent, envs    *prometheus.Desc
	provisioned, limit, scaling, room  *prometheus.Desc
	invocations, throttles, coldStarts *prometheus.Desc
	initDuration, errors, spillover    *prometheus.Desc
	virtualTime                        *prometheus.Desc
}

func newCollector(s *Server) *collector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("surge_lambda_"+name, help, labels, nil)
	}
	return &collector{
		s:             s,
		concurrent:    d("concurrent_executions", "Invocations running now (CloudWatch ConcurrentExecutions)."),
		maxConcurrent: d("max_concurrent_executions", "Highest concurrent executions since start."),
		envs:          d("environments", "Execution environments by state.", "state"),
		provisioned:   d("provisioned_environments", "Provisioned-concurrency environments."),
		limit:         d("concurrency_limit", "Reserved concurrency if set, else the account quota."),
		scaling:       d("scaling_limit", "Most environments the function could have right now."),
		room:          d("scaling_headroom", "New environments the scaling rate allows right now."),
		invocations:   d("invocations_total", "Admitted invocations (CloudWatch Invocations; throttles excluded)."),
		throttles:     d("throttles_total", "Refused invocations (CloudWatch Throttles) by AWS reason and cause.", "reason", "cause"),
		coldStarts:    d("cold_starts_total", "Invocations that initialised a new environment."),
		initDuration:  d("init_duration_seconds", "Init Duration of cold starts."),
		errors:        d("errors_total", "Invocations that timed out (CloudWatch Errors)."),
		spillover:     d("provisioned_spillover_invocations_total", "Invocations served on demand while provisioned concurrency was set."),
		virtualTime:   d("virtual_time_seconds", "The model clock: real time since start times the time scale."),
	}
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	prometheus.DescribeByCollect(c, ch)
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	st, timeouts := c.s.snapshot()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	counter := func(d *prometheus.Desc, v uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	gauge(c.concurrent, float64(st.ConcurrentExecutions))
	gauge(c.maxConcurrent, float64(st.MaxConcurrentExecutions))
	gauge(c.envs, float64(st.ConcurrentExecutions), "busy")
	gauge(c.envs, float64(st.Idle), "idle")
	gauge(c.provisioned, float64(st.Provisioned))
	gauge(c.limit, float64(st.ConcurrencyLimit))
	gauge(c.scaling, float64(st.ScalingLimit))
	gauge(c.room, float64(st.ScalingHeadroom))
	gauge(c.virtualTime, st.Now.Seconds())
	counter(c.invocations, st.Invocations)
	for _, t := range lambda.Throttles {
		counter(c.throttles, st.Throttles.Of(t), t.Reason(), t.String())
	}
	counter(c.coldStarts, st.ColdStarts)
	counter(c.errors, timeouts)
	counter(c.spillover, st.Spillover)
	ch <- prometheus.MustNewConstSummary(c.initDuration, st.ColdStarts, st.InitDuration.Seconds(), nil)
}
