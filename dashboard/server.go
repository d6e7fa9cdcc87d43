package dashboard

import (
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/report"
	"github.com/surge-dev/surge/results"
)

// Config sets up a dashboard.
type Config struct {
	// Token, when set, is required on every request (header
	// "Authorization: Bearer T", query "?token=T", or the cookie the page
	// sets). Set it whenever the dashboard is reachable off loopback.
	Token string
	// AllowedHosts are host names, besides loopback ones, that the
	// dashboard answers to when it has no token (a name in /etc/hosts, a
	// tunnel). Any other Host header is refused, against DNS rebinding.
	AllowedHosts []string
	// Target is the base URL the dashboard was started with (-t, or the
	// script's target). The page may start tests against its host only,
	// unless AllowAnyTarget.
	Target string
	// AllowAnyTarget lets the page send load to any host it names (the
	// user said so on the command line).
	AllowAnyTarget bool
	// Form pre-fills the start form (surge ui's -u, --spawn-rate, -r,
	// -d, as Locust's -u and -r fill its form); zero fields are left
	// blank. It is only what the page shows first: a start request
	// carries what the form holds when sent.
	Form StartRequest
	// Title names the test on the page.
	Title string
	// Version is written into downloaded results.
	Version string
	// Verdicts evaluates thresholds on the results so far (optional).
	Verdicts func(*results.Results) []report.Verdict
}

// Server is the dashboard. Create it with New; serve Handler().
type Server struct {
	cfg Config
	ctl Controller
	mux *http.ServeMux

	mu      sync.Mutex
	run     *runState
	clients map[chan []byte]struct{}

	stateMu  sync.Mutex
	stateSeq uint64 // the number of the last state read from ctl
}

// currentState reads the controller's state and numbers the read. A page
// gets states by two roads, the answer to its own POST and the event
// stream, which can overtake each other (a stop's answer, read while the
// test still ran, arriving after the event saying it ended); it keeps the
// highest number, so a later read always wins.
func (s *Server) currentState() State {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	st := s.ctl.State()
	if s.cfg.Form != (StartRequest{}) {
		form := s.cfg.Form
		st.Form = &form
	}
	s.stateSeq++
	st.Seq = s.stateSeq
	return st
}

// runState is what the dashboard knows of the current (or last) test.
type runState struct {
	meta results.Test
	// whole holds every interval as the results file does, histograms
	// encoded, in a temporary file: only a download reads it back. The
	// frames, built every second, read light: the same intervals without
	// their histograms, which no frame uses and which were most of the
	// memory a long run's dashboard grew by (about 7 KB a second), and
	// without each endpoint's codes and errors by kind (no frame uses
	// them either; two endpoints' cost 0.6 KB a second).
	whole  results.Builder
	light  []results.Interval
	last   *metrics.Snapshot
	errors errorGroups
	alerts []results.AlertEvent // the alerts' changes of state, oldest first
	loads  []results.LoadChange // the load's changes from the page, oldest first
	frame  []byte               // the latest frame, JSON
}

func newRun(meta results.Test) *runState {
	r := &runState{meta: meta, errors: errorGroups{}}
	r.whole = results.Builder{Test: meta, Spool: true}
	r.whole.OnInterval = func(iv results.Interval, _ time.Time) {
		iv.Hist = results.Histograms{}
		iv.Endpoints = countsOnly(iv.Endpoints)
		r.light = append(r.light, iv)
	}
	return r
}

// countsOnly copies eps without their codes and errors by kind (the
// spooled interval keeps them).
func countsOnly(eps []results.EndpointCount) []results.EndpointCount {
	out := make([]results.EndpointCount, len(eps))
	for i, e := range eps {
		out[i] = results.EndpointCount{Requests: e.Requests, Errors: e.Errors, Failures: e.Failures}
	}
	return out
}

// New returns a dashboard steering tests through ctl.
func New(cfg Config, ctl Controller) *Server {
	s := &Server{cfg: cfg, ctl: ctl, mux: http.NewServeMux(), run: newRun(results.Test{}),
		clients: map[chan []byte]struct{}{}}
	s.routes()
	return s
}

// Handler serves the dashboard, with the token check and cross-origin
// protection in front of every route.
func (s *Server) Handler() http.Handler { return s.guard(s.mux) }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.page)
	s.mux.HandleFunc("GET /assets/{name}", s.asset)
	s.mux.HandleFunc("GET /api/state", s.state)
	s.mux.HandleFunc("GET /api/events", s.events)
	s.mux.HandleFunc("POST /api/start", s.start)
	s.mux.HandleFunc("POST /api/stop", s.stop)
	s.mux.HandleFunc("POST /api/load", s.load)
	s.mux.HandleFunc("POST /api/reset", s.reset)
	s.mux.HandleFunc("GET /api/results.json", s.downloadResults)
	s.mux.HandleFunc("GET /api/stats.csv", s.downloadStats)
	s.mux.HandleFunc("GET /api/history.csv", s.downloadHistory)
	s.mux.HandleFunc("GET /api/report.html", s.downloadReport)
}

// BeginRun clears what the dashboard shows for a new test.
func (s *Server) BeginRun(meta results.Test) {
	s.mu.Lock()
	done := s.run
	s.run = newRun(meta)
	s.mu.Unlock()
	_ = done.whole.Close() // its intervals go with it: nothing reads them any more
	s.broadcast(event("reset", []byte("{}")))
}

// Publish takes one snapshot of the running test (with the target-side
// series scraped meanwhile) and pushes a frame to every browser. It is
// called once a second by the test's snapshot consumer.
func (s *Server) Publish(snap metrics.Snapshot, monitor map[string]float64) {
	s.mu.Lock()
	run := s.run
	run.whole.AddWithMonitor(snap, monitor)
	run.last = &snap
	run.errors.update(snap.Endpoints, snap.Start.Add(snap.Elapsed))
	frame, err := s.frame(run, snap)
	if err == nil {
		run.frame = frame
	}
	s.mu.Unlock()
	if err == nil {
		s.broadcast(event("frame", frame))
	}
}

// AddAlerts records alerts' changes of state: the next frame shows them,
// and the downloaded results and report hold them.
func (s *Server) AddAlerts(evs []results.AlertEvent) {
	if len(evs) == 0 {
		return
	}
	s.mu.Lock()
	s.run.alerts = append(s.run.alerts, evs...)
	s.mu.Unlock()
}

// AddLoadChange records a change of the running test's load: the
// downloaded results and report hold it.
func (s *Server) AddLoadChange(c results.LoadChange) {
	s.mu.Lock()
	s.run.loads = append(s.run.loads, c)
	s.mu.Unlock()
}

// partial returns the results so far, their intervals without
// histograms (see runState); the caller holds s.mu.
func (s *Server) partial(run *runState) (*results.Results, error) {
	return s.partialOf(run, run.light)
}

// whole returns the results so far as a results file holds them, every
// interval's histograms included; the caller holds s.mu.
func (s *Server) whole(run *runState) (*results.Results, error) {
	ivs := run.whole.Intervals()
	if len(ivs) != len(run.light) {
		return nil, errors.New("dashboard: the intervals kept for downloads could not be read back")
	}
	return s.partialOf(run, ivs)
}

func (s *Server) partialOf(run *runState, ivs []results.Interval) (*results.Results, error) {
	if run.last == nil {
		return nil, errNoData
	}
	r, err := results.FromFinal(run.meta, s.cfg.Version, *run.last, ivs)
	if err != nil {
		return nil, err
	}
	r.Test.Interrupted = !run.last.Final
	r.Alerts = run.alerts
	if len(run.loads) > 0 {
		r.LoadChanges = results.SinceStart(run.loads, r.Test.Started)
	}
	return r, nil
}

// PublishState tells every browser the controller's state changed (a test
// ended, say) without waiting for the next frame.
func (s *Server) PublishState() {
	st, err := json.Marshal(s.currentState())
	if err == nil {
		s.broadcast(event("state", st))
	}
}
