package testbed

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// The fleet emulator (testbed/fleet) fronts this server with tasks of
// bounded capacity. It needs to know, before a request runs, how long the
// request will keep a task's CPU busy, and then to serve it without burning
// that CPU on the host: an emulated task's CPU is time on its own worker,
// so ten emulated tasks do not need ten host cores (which would starve the
// load generator on the same machine and measure the host, not the model).

// CPUCost is the CPU time serving r burns: the server-wide CPU knob plus
// /cpu's ms. A malformed ms costs nothing (the handler answers 400).
func (s *Server) CPUCost(r *http.Request) time.Duration {
	cost := s.cfg.CPU
	if s.Route(r) != "/cpu" {
		return cost
	}
	ms := 10 // the handler's default
	if v := r.URL.Query().Get("ms"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || time.Duration(n)*time.Millisecond > maxCPU {
			return cost
		}
		ms = n
	}
	return cost + time.Duration(ms)*time.Millisecond
}

// Route is the pattern of the endpoint r reaches, such as "/cpu" or
// "GET /api/items/{id}", or "" when none does. Its values are few, so it
// suits a metric label where the raw path (item IDs) would not.
func (s *Server) Route(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	return pattern
}

// ServeCharged serves r as ServeHTTP does, except that the CPU CPUCost
// counts is taken as already spent by the caller and is not burnt again.
// Latency, memory, failures and the response are the same.
func (s *Server) ServeCharged(w http.ResponseWriter, r *http.Request) {
	s.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), chargedKey{}, true)))
}

type chargedKey struct{}

// burnUncharged burns d unless the caller of ServeCharged has paid for it.
func burnUncharged(r *http.Request, d time.Duration) {
	if charged, _ := r.Context().Value(chargedKey{}).(bool); !charged {
		burn(d)
	}
}

// Sleep waits d, or until done closes; it reports whether it waited the
// whole of d. The emulators behind testbed hold requests with it so that
// closing a server ends every wait at once.
func Sleep(d time.Duration, done <-chan struct{}) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}
