package testbed

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Server is the heavy target. It implements http.Handler.
type Server struct {
	cfg      Config
	mux      *http.ServeMux
	start    time.Time
	inFlight atomic.Int64
	served   atomic.Int64
	items    *store
	held     *memory
	workers  chan struct{} // a slot per worker (nil: no limit)

	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration prometheus.Histogram
}

// New returns a heavy target with the given knobs.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), start: time.Now(), items: newStore(), held: &memory{}}
	if cfg.Workers > 0 {
		s.workers = make(chan struct{}, cfg.Workers)
	}
	s.metrics()
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.index)
	s.mux.HandleFunc("/cpu", s.cpu)
	s.mux.HandleFunc("/alloc", s.alloc)
	s.mux.HandleFunc("/sleep", s.sleep)
	s.mux.HandleFunc("/fail", s.fail)
	s.mux.HandleFunc("/status/{code}", s.status)
	s.mux.HandleFunc("/bytes", s.bytes)
	s.mux.HandleFunc("/echo", s.echo)
	s.items.routes(s.mux)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("GET /_surge/status", s.statusJSON)
}

func (s *Server) metrics() {
	s.reg = prometheus.NewRegistry()
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "surge_target_requests_total", Help: "Requests served, by status code."}, []string{"code"})
	s.duration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "surge_target_request_duration_seconds", Help: "Time spent serving requests.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)})
	s.reg.MustRegister(s.requests, s.duration,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "surge_target_in_flight", Help: "Requests in flight."},
			func() float64 { return float64(s.inFlight.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "surge_target_held_bytes", Help: "Memory held by /alloc."},
			func() float64 { return float64(s.held.bytes()) }))
}

// ServeHTTP applies the server-wide knobs, then routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/metrics" || r.URL.Path == "/_surge/status" {
		s.mux.ServeHTTP(w, r)
		return
	}
	begin := time.Now()
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	rw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
	defer func() {
		s.served.Add(1)
		s.requests.WithLabelValues(codeLabel(rw.code)).Inc()
		s.duration.Observe(time.Since(begin).Seconds())
	}()
	if s.cfg.MaxConcurrency > 0 && n > int64(s.cfg.MaxConcurrency) {
		writeJSON(rw, http.StatusServiceUnavailable, map[string]string{"error": "over capacity"})
		return
	}
	if !s.takeWorker(r) {
		return // the client went away while waiting in line
	}
	defer s.releaseWorker()
	if !s.applyKnobs(r) {
		writeJSON(rw, http.StatusInternalServerError, map[string]string{"error": "injected failure"})
		return
	}
	s.mux.ServeHTTP(rw, r)
}

// takeWorker waits in line for a free worker (at once without --workers);
// false means the request was cancelled first.
func (s *Server) takeWorker(r *http.Request) bool {
	if s.workers == nil {
		return true
	}
	select {
	case s.workers <- struct{}{}:
		return true
	case <-r.Context().Done():
		return false
	}
}

func (s *Server) releaseWorker() {
	if s.workers != nil {
		<-s.workers
	}
}

// applyKnobs spends the configured cost; false means fail this request.
func (s *Server) applyKnobs(r *http.Request) bool {
	s.stall()
	wait := s.cfg.Latency
	if s.cfg.Jitter > 0 {
		wait += rand.N(s.cfg.Jitter)
	}
	if wait > 0 {
		sleepCtx(r, wait)
	}
	burnUncharged(r, s.cfg.CPU)
	return s.cfg.ErrorRate == 0 || rand.Float64() >= s.cfg.ErrorRate
}

// stall holds the request while the server is in a stall window: the last
// StallFor of every StallEvery since the server started.
func (s *Server) stall() {
	if s.cfg.StallEvery <= 0 {
		return
	}
	pos := time.Since(s.start) % s.cfg.StallEvery
	if pos >= s.cfg.StallEvery-s.cfg.StallFor {
		time.Sleep(s.cfg.StallEvery - pos)
	}
}

func (s *Server) statusJSON(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"kind": "heavy", "uptime_s": time.Since(s.start).Seconds(), "in_flight": s.inFlight.Load(),
		"requests": s.served.Load(), "held_bytes": s.held.bytes(), "items": s.items.len(),
	})
}

func (s *Server) index(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"service": "surge heavy target", "endpoints": []string{
		"/cpu?ms=", "/alloc?mb=&hold=", "/sleep?ms=&jitter=", "/fail?rate=", "/status/NNN", "/bytes?n=",
		"/echo", "/api/items", "/api/items/{id}", "/metrics", "/_surge/status"}})
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}
