package promexport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultAddr is where metrics are served when no address is given:
// loopback only, since the test's endpoints and target are in them.
const DefaultAddr = "127.0.0.1:9464"

// Server serves an exporter's metrics at /metrics.
type Server struct {
	srv  *http.Server
	ln   net.Listener
	done chan struct{}
}

// Serve listens on addr at once (an address taken is an error before any
// load) and serves from its own goroutine until Close.
func Serve(addr string, e *Exporter) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", finalScrapes(e, promhttp.HandlerFor(e.Registry(), promhttp.HandlerOpts{})))
	s := &Server{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}, ln: ln, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln)
	}()
	return s, nil
}

// finalScrapes notes that a scrape came, and one that began after the
// final snapshot was in: it served the final values.
func finalScrapes(e *Exporter, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		final := e.Final()
		h.ServeHTTP(w, r)
		e.scraped.Store(true)
		if final {
			e.markFinalScraped()
		}
	})
}

// Addr is the address it listens on (the port chosen, for ":0").
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops serving, letting scrapes in progress finish for a moment.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	<-s.done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
