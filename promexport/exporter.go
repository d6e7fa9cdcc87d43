package promexport

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/surge-dev/surge/metrics"
)

// Test names the run in surge_test_info.
type Test struct {
	Name, Script, Target string
}

// Exporter holds what the latest snapshot says, for Prometheus. It is a
// prometheus.Collector; Registry gives a registry holding it alone.
type Exporter struct {
	test Test
	gen  generatorWatch // Update's alone: it runs on one goroutine

	mu        sync.Mutex
	snap      state
	final     bool
	finalSeen chan struct{} // closed when a scrape served the final values
	closeOnce sync.Once
	scraped   atomic.Bool // a scrape was served
}

// state is one snapshot's figures, copied out of it: the snapshot's
// histograms belong to the engine.
type state struct {
	start     time.Time
	endpoints []endpointState
	vus       metrics.VUs // since the start
	active    int64       // VUs running when the interval closed
	inFlight  int64
	resent    int64 // metrics.ResentCounter since the start
	gen       generatorState
}

type endpointState struct {
	name                       string
	requests, failures, errors int64
	sent, received             int64
	codes                      map[int]int64
	kinds                      map[string]int64
	latency, service, ok       histData
}

// NewExporter returns an exporter with nothing measured yet.
func NewExporter(t Test) *Exporter {
	return &Exporter{test: t, finalSeen: make(chan struct{})}
}

// Registry is a registry with the exporter alone (not Go's runtime
// metrics: they are the generator's, not the test's).
func (e *Exporter) Registry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(e)
	return r
}

// Update takes a snapshot; the final one marks the values final. The
// snapshots come one by one, in order (the engine's OnSnapshot): Update
// is not to be called from two goroutines at once.
func (e *Exporter) Update(s *metrics.Snapshot) {
	st := state{start: s.Start, vus: s.VUs, active: s.Interval.ActiveVUs, inFlight: s.Interval.InFlight,
		resent: s.Counters[metrics.ResentCounter]}
	for _, ep := range s.Endpoints {
		st.endpoints = append(st.endpoints, endpointState{name: ep.Name, requests: ep.Requests,
			failures: ep.Failures, errors: ep.Errors, sent: ep.BytesSent, received: ep.BytesRecv,
			codes: copyMap(ep.Codes), kinds: copyMap(ep.Kinds),
			latency: fromHDR(ep.Latency), service: fromHDR(ep.Service), ok: fromHDR(ep.LatencyOK)})
	}
	st.gen = e.gen.update(s)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.snap, e.final = st, e.final || s.Final
}

func copyMap[K comparable](m map[K]int64) map[K]int64 {
	out := make(map[K]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Final says whether the final snapshot is in.
func (e *Exporter) Final() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.final
}

// Scraped says whether any scrape has been served.
func (e *Exporter) Scraped() bool { return e.scraped.Load() }

// FinalScraped is closed once a scrape has served the final values.
func (e *Exporter) FinalScraped() <-chan struct{} { return e.finalSeen }

func (e *Exporter) markFinalScraped() {
	e.closeOnce.Do(func() { close(e.finalSeen) })
}

// Describe sends every series' description.
func (e *Exporter) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range allDescs {
		ch <- d
	}
}

// Collect sends the latest snapshot's series.
func (e *Exporter) Collect(ch chan<- prometheus.Metric) {
	e.mu.Lock()
	st := e.snap
	e.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(testInfo, prometheus.GaugeValue, 1, e.test.Name, e.test.Script, e.test.Target)
	for _, ep := range st.endpoints {
		collectEndpoint(ch, ep, st.start)
	}
	counter(ch, vusCreated, st.vus.Created)
	counter(ch, vusCompleted, st.vus.Completed)
	counter(ch, vusFailed, st.vus.Failed)
	counter(ch, dropped, st.vus.Dropped)
	counter(ch, resent, st.resent)
	gauge(ch, vus, float64(st.active))
	gauge(ch, inFlight, float64(st.inFlight))
	collectGenerator(ch, st.gen)
}

func counter(ch chan<- prometheus.Metric, d *prometheus.Desc, v int64, labels ...string) {
	ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
}

func collectEndpoint(ch chan<- prometheus.Metric, ep endpointState, start time.Time) {
	counter(ch, requests, ep.requests, ep.name)
	counter(ch, failures, ep.failures, ep.name)
	counter(ch, sentBytes, ep.sent, ep.name)
	counter(ch, receivedBytes, ep.received, ep.name)
	for kind, n := range ep.kinds {
		counter(ch, errorsByKind, n, ep.name, kind)
	}
	for code, n := range ep.codes {
		counter(ch, responses, n, ep.name, strconv.Itoa(code))
	}
	ch <- histogram(latency, ep.latency, start, ep.name)
	ch <- histogram(service, ep.service, start, ep.name)
	ch <- histogram(latencyOK, ep.ok, start, ep.name)
}
