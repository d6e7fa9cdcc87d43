package lambdatarget

import (
	"net/http"
	"time"

	"github.com/surge-dev/surge/scaling/lambda"
)

// phase is one stretch of an invocation: waiting, or burning CPU.
type phase struct {
	d   time.Duration
	cpu bool
}

func total(ps []phase) time.Duration {
	var t time.Duration
	for _, p := range ps {
		t += p.d
	}
	return t
}

// split cuts ps at offset at into what runs before and after it.
func split(ps []phase, at time.Duration) (before, after []phase) {
	for _, p := range ps {
		switch {
		case at >= p.d:
			before = append(before, p)
			at -= p.d
		case at > 0:
			before = append(before, phase{at, p.cpu})
			after = append(after, phase{p.d - at, p.cpu})
			at = 0
		default:
			after = append(after, p)
		}
	}
	return before, after
}

// invocation is one admitted request, holding one environment.
type invocation struct {
	s     *Server
	w     http.ResponseWriter
	env   *lambda.Env
	cold  bool
	begin time.Time
}

// run executes the invocation and answers it. The init phase is outside
// the function timeout, as on AWS; the handler is cut at the timeout.
func (inv *invocation) run() {
	cfg := inv.s.cfg
	var init time.Duration
	if inv.cold {
		init = cfg.InitDuration
	}
	handler, _ := split([]phase{{cfg.HandlerDuration, false}, {cfg.HandlerCPU, true}}, cfg.Timeout)
	timedOut := cfg.HandlerDuration+cfg.HandlerCPU > cfg.Timeout
	phases := append([]phase{{init, false}}, handler...)
	if cfg.Mode == APIGateway && total(phases) > cfg.IntegrationTimeout {
		inv.gatewayTimeout(phases, timedOut)
		return
	}
	if !inv.s.runPhases(phases) {
		inv.finish(false)
		http.Error(inv.w, "emulator closed", http.StatusServiceUnavailable)
		return
	}
	inv.finish(timedOut)
	if timedOut {
		inv.writeFunctionError()
		return
	}
	writeResult(inv.w, result{
		Env: inv.env.ID(), ColdStart: inv.cold, InitMs: ms(init),
		DurationMs: ms(time.Since(inv.begin) - init),
	})
}

// gatewayTimeout answers 504 when API Gateway stops waiting, then lets the
// function run on, holding its environment, as Lambda does.
func (inv *invocation) gatewayTimeout(phases []phase, timedOut bool) {
	before, after := split(phases, inv.s.cfg.IntegrationTimeout)
	if !inv.s.runPhases(before) {
		inv.finish(false)
		http.Error(inv.w, "emulator closed", http.StatusServiceUnavailable)
		return
	}
	writeGatewayError(inv.w, http.StatusGatewayTimeout, "", "Endpoint request timed out")
	if f, ok := inv.w.(http.Flusher); ok {
		f.Flush()
	}
	completed := inv.s.runPhases(after)
	inv.finish(timedOut && completed)
}

// finish gives the environment back. After a timeout Lambda restarts the
// runtime, so the environment's next invocation is cold.
func (inv *invocation) finish(timedOut bool) {
	s := inv.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if timedOut {
		s.timeouts++
		s.model.Reset(s.now(), inv.env)
		return
	}
	s.model.Release(s.now(), inv.env)
}

// writeFunctionError answers a timed-out invocation: both front doors turn
// a function error into 502.
func (inv *invocation) writeFunctionError() {
	if inv.s.cfg.Mode == APIGateway {
		writeGatewayError(inv.w, http.StatusBadGateway, "InternalServerErrorException", "Internal server error")
		return
	}
	http.Error(inv.w, "Internal Server Error", http.StatusBadGateway)
}

// runPhases waits or burns through ps; false means the server closed.
func (s *Server) runPhases(ps []phase) bool {
	for _, p := range ps {
		run := s.sleep
		if p.cpu {
			run = s.burn
		}
		if !run(p.d) {
			return false
		}
	}
	return true
}
