package fleettarget

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/testbed"
)

// Server is an emulated service. It is an http.Handler; mount it on any
// server. New starts one goroutine that steps the model; Close stops it.
type Server struct {
	cfg      Config
	start    time.Time
	interval time.Duration // real CPU time every request costs a task
	done     chan struct{}
	closing  sync.Once
	ticker   sync.WaitGroup
	metrics  http.Handler
	heavy    *testbed.Server // answers every request; its CPU is charged to the tasks
	paths    *pathMetrics

	// Traffic since the last tick; the ticker swaps them to zero. busy is
	// the task CPU time (ns) the admitted requests cost.
	arrived, busy atomic.Int64
	// Totals for /metrics.
	total counts

	mu    sync.Mutex // guards model
	model *fleet.Model

	routeMu  sync.RWMutex
	route    []*replica       // healthy tasks, in ID order
	replicas map[int]*replica // every task, so a queue survives re-routing
	next     atomic.Uint64    // round-robin cursor
}

// counts are outcomes of requests since start.
type counts struct {
	served, overloaded, noTarget atomic.Uint64
}

var _ http.Handler = (*Server)(nil)

// New validates cfg, builds the server and starts its ticker; the clock
// starts now.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	model, err := fleet.New(cfg.Config)
	if err != nil {
		return nil, err
	}
	heavy, err := testbed.New(cfg.Heavy)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, model: model, start: time.Now(), done: make(chan struct{}),
		interval: time.Duration(float64(time.Second) / cfg.TaskCapacity),
		replicas: map[int]*replica{}, heavy: heavy,
	}
	s.reroute(model.Tasks())
	reg := prometheus.NewRegistry()
	s.paths = newPathMetrics(reg)
	reg.MustRegister(newCollector(s), settingsGauge(cfg))
	s.metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	s.ticker.Add(1)
	go s.tick()
	return s, nil
}

// Close stops the ticker and makes waiting requests return. It is safe to
// call more than once.
func (s *Server) Close() {
	s.closing.Do(func() { close(s.done) })
	s.ticker.Wait()
}

// ServeHTTP routes /metrics and /_surge/status; every other path is a
// request to the service.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/metrics":
		s.metrics.ServeHTTP(w, r)
	case "/_surge/status":
		s.serveStatus(w)
	default:
		s.serve(w, r)
	}
}

// now is the model's virtual time. Callers hold s.mu.
func (s *Server) now() time.Duration {
	return time.Duration(float64(time.Since(s.start)) * s.cfg.TimeScale)
}

func (s *Server) tick() {
	defer s.ticker.Done()
	t := time.NewTicker(s.cfg.Tick)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.step()
		}
	}
}

// step reports the traffic since the last tick and re-routes.
func (s *Server) step() {
	s.mu.Lock()
	s.observe()
	tasks := s.model.Tasks()
	s.mu.Unlock()
	s.reroute(tasks)
}

// observe hands the traffic counted since the last call to the model and
// steps it to now. Callers hold s.mu.
//
// Counts are scaled by TimeScale so that the model sees the real request
// rate over the virtual interval. The model charges each served request
// 1/TaskCapacity of a task-second; requests here cost what their path
// costs, so the busy time is handed over as that many plain requests, and
// CPU utilisation is the tasks' real busy share.
func (s *Server) observe() {
	arrived := float64(s.arrived.Swap(0))
	served := time.Duration(s.busy.Swap(0)).Seconds() * s.cfg.TaskCapacity
	s.model.Observe(s.now(), arrived*s.cfg.TimeScale, served*s.cfg.TimeScale)
}

// reroute sends new requests to the healthy tasks only; draining and
// stopped tasks finish what they hold.
func (s *Server) reroute(tasks []fleet.Task) {
	s.routeMu.Lock()
	defer s.routeMu.Unlock()
	s.route = s.route[:0]
	alive := make(map[int]*replica, len(tasks))
	for _, t := range tasks {
		r := s.replicas[t.ID]
		if r == nil {
			r = &replica{id: t.ID}
		}
		alive[t.ID] = r
		if t.Status == fleet.Running && t.Healthy {
			s.route = append(s.route, r)
		}
	}
	s.replicas = alive
}

// pick chooses the next healthy task round-robin, or nil.
func (s *Server) pick() *replica {
	s.routeMu.RLock()
	defer s.routeMu.RUnlock()
	if len(s.route) == 0 {
		return nil
	}
	return s.route[s.next.Add(1)%uint64(len(s.route))]
}

// serve is one request through the load balancer. Every request counts
// toward the load balancer's RequestCount, including those it cannot route,
// which is what lets a request-tracking policy wake a service at zero.
//
// A routed request waits in its task's line for the CPU it costs (the base
// 1/TaskCapacity plus what its path burns), then the heavy target answers
// it, with that CPU taken as spent: latency, memory and failures are the
// path's own and do not hold the task's worker, as I/O does not hold a CPU.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	arrival := time.Now()
	s.arrived.Add(1)
	route := s.heavy.Route(r)
	rep := s.pick()
	if rep == nil {
		s.total.noTarget.Add(1)
		s.paths.done(route, outcomeNoTarget, arrival)
		http.Error(w, "503 Service Temporarily Unavailable", http.StatusServiceUnavailable)
		return
	}
	cost := s.interval + s.heavy.CPUCost(r)
	w.Header().Set("X-Surge-Task", strconv.Itoa(rep.id))
	begin, ok := rep.admit(arrival, cost, s.cfg.QueueTimeout)
	if !ok {
		s.total.overloaded.Add(1)
		s.paths.done(route, outcomeOverloaded, arrival)
		http.Error(w, "task overloaded", http.StatusServiceUnavailable)
		return
	}
	s.busy.Add(int64(cost))
	s.total.served.Add(1)
	s.paths.charge(route, cost)
	if !s.sleep(time.Until(begin.Add(cost))) {
		http.Error(w, "emulator closed", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("X-Surge-Queued-Ms", strconv.FormatFloat(float64(begin.Sub(arrival))/float64(time.Millisecond), 'f', 3, 64))
	s.heavy.ServeCharged(w, r)
	s.paths.done(route, outcomeServed, arrival)
}

// sleep waits d, or until the server closes; it reports whether it waited.
func (s *Server) sleep(d time.Duration) bool { return testbed.Sleep(d, s.done) }

// replica is one task's worker: it serves one request at a time.
type replica struct {
	id   int
	mu   sync.Mutex
	free time.Time // when the worker finishes what it has accepted
}

// admit queues a request arriving at now and returns when its service
// begins, or false when it would wait longer than limit.
func (r *replica) admit(now time.Time, interval, limit time.Duration) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	begin := now
	if r.free.After(now) {
		begin = r.free
	}
	if begin.Sub(now) > limit {
		return time.Time{}, false
	}
	r.free = begin.Add(interval)
	return begin, true
}

// snapshot brings the model to now and returns its state and tasks.
func (s *Server) snapshot() (fleet.State, []fleet.Task) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observe()
	return s.model.State(), s.model.Tasks()
}

// status is the /_surge/status document.
type status struct {
	TimeScale      float64      `json:"time_scale"`
	VirtualSeconds float64      `json:"virtual_seconds"`
	Served         uint64       `json:"requests_served"`
	Overloaded     uint64       `json:"requests_overloaded"`
	NoTarget       uint64       `json:"requests_no_target"`
	Tasks          []fleet.Task `json:"tasks"`
	fleet.State
}

func (s *Server) serveStatus(w http.ResponseWriter) {
	st, tasks := s.snapshot()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(status{
		TimeScale: s.cfg.TimeScale, VirtualSeconds: st.Now.Seconds(),
		Served: s.total.served.Load(), Overloaded: s.total.overloaded.Load(), NoTarget: s.total.noTarget.Load(),
		Tasks: tasks, State: st,
	})
}
