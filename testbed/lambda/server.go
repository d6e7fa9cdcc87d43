package lambdatarget

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/surge-dev/surge/testbed"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/surge-dev/surge/scaling/lambda"
)

// Server is an emulated Lambda function. It is an http.Handler; mount it
// on any server. It starts no goroutines of its own: Close interrupts the
// invocations still waiting so that an enclosing http.Server can shut down.
type Server struct {
	cfg     Config
	start   time.Time
	done    chan struct{}
	closing sync.Once
	metrics http.Handler

	mu       sync.Mutex // guards model and errors
	model    *lambda.Model
	timeouts uint64
}

var _ http.Handler = (*Server)(nil)

// New validates cfg and builds the server; its clock starts now.
func New(cfg Config) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	model, err := lambda.New(cfg.model())
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, model: model, start: time.Now(), done: make(chan struct{})}
	reg := prometheus.NewRegistry()
	reg.MustRegister(newCollector(s), settingsGauge(cfg))
	s.metrics = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return s, nil
}

// Close makes in-flight invocations return at once and later ones answer
// 503. It is safe to call more than once.
func (s *Server) Close() {
	s.closing.Do(func() { close(s.done) })
}

// ServeHTTP routes /metrics and /_surge/status; every other path invokes
// the function.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/metrics":
		s.metrics.ServeHTTP(w, r)
	case "/_surge/status":
		s.serveStatus(w)
	default:
		s.invoke(w)
	}
}

// now is the model's virtual time. Callers hold s.mu, which keeps the
// times handed to the model in order.
func (s *Server) now() time.Duration {
	return time.Duration(float64(time.Since(s.start)) * s.cfg.TimeScale)
}

// snapshot returns the model's state and the timeout count.
func (s *Server) snapshot() (lambda.State, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.model.Snapshot(s.now()), s.timeouts
}

// status is the /_surge/status document.
type status struct {
	Mode           Mode    `json:"mode"`
	TimeScale      float64 `json:"time_scale"`
	VirtualSeconds float64 `json:"virtual_seconds"`
	Timeouts       uint64  `json:"timeouts"`
	lambda.State
}

func (s *Server) serveStatus(w http.ResponseWriter) {
	st, timeouts := s.snapshot()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(status{
		Mode: s.cfg.Mode, TimeScale: s.cfg.TimeScale, VirtualSeconds: st.Now.Seconds(),
		Timeouts: timeouts, State: st,
	})
}

// invoke runs one invocation from acquiring an environment to answering.
func (s *Server) invoke(w http.ResponseWriter) {
	select {
	case <-s.done:
		http.Error(w, "emulator closed", http.StatusServiceUnavailable)
		return
	default:
	}
	s.mu.Lock()
	env, cold, thr := s.model.Acquire(s.now())
	s.mu.Unlock()
	if thr != lambda.None {
		s.writeThrottle(w, thr)
		return
	}
	inv := invocation{s: s, w: w, env: env, cold: cold, begin: time.Now()}
	inv.run()
}

// writeThrottle answers a throttled invocation as the front door would.
func (s *Server) writeThrottle(w http.ResponseWriter, thr lambda.Throttle) {
	if s.cfg.Mode == APIGateway {
		writeGatewayError(w, http.StatusInternalServerError, "InternalServerErrorException", "Internal server error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-ErrorType", "TooManyRequestsException")
	w.WriteHeader(http.StatusTooManyRequests)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"Reason": thr.Reason(), "Type": "User", "message": "Rate Exceeded.",
	})
}

func writeGatewayError(w http.ResponseWriter, code int, errType, msg string) {
	w.Header().Set("Content-Type", "application/json")
	if errType != "" {
		w.Header().Set("x-amzn-ErrorType", errType)
	}
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": msg})
}

// sleep waits d, or until the server closes; it reports whether it waited.
func (s *Server) sleep(d time.Duration) bool { return testbed.Sleep(d, s.done) }

// burn keeps a CPU busy for d, or until the server closes.
func (s *Server) burn(d time.Duration) bool {
	end := time.Now().Add(d)
	// x is read by the loop condition so the arithmetic cannot be optimised
	// away; it is zero once in 2^64 steps, which at worst ends the burn early.
	for x := uint64(1); x != 0 && time.Now().Before(end); {
		select {
		case <-s.done:
			return false
		default:
		}
		for range 1000 { // work between clock reads, so the loop is mostly arithmetic
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	return true
}

// result is the body of a successful invocation.
type result struct {
	Env        int     `json:"env"`
	ColdStart  bool    `json:"cold_start"`
	InitMs     float64 `json:"init_ms"`
	DurationMs float64 `json:"duration_ms"`
}

func writeResult(w http.ResponseWriter, r result) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Surge-Env", strconv.Itoa(r.Env))
	w.Header().Set("X-Surge-Cold-Start", strconv.FormatBool(r.ColdStart))
	_ = json.NewEncoder(w).Encode(r)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
