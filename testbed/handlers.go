package testbed

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Limits keep a single request from taking the server down by accident.
const (
	maxCPU   = 10 * time.Second
	maxSleep = 5 * time.Minute
	maxAlloc = 1024 // MiB
	maxBytes = 64 << 20
)

func (s *Server) cpu(w http.ResponseWriter, r *http.Request) {
	d, ok := msParam(w, r, "ms", 10, maxCPU)
	if !ok {
		return
	}
	burnUncharged(r, d)
	writeJSON(w, http.StatusOK, map[string]any{"cpu_ms": d.Milliseconds()})
}

func (s *Server) sleep(w http.ResponseWriter, r *http.Request) {
	d, ok := msParam(w, r, "ms", 100, maxSleep)
	if !ok {
		return
	}
	j, ok := msParam(w, r, "jitter", 0, maxSleep)
	if !ok {
		return
	}
	if j > 0 {
		d += rand.N(j)
	}
	sleepCtx(r, d)
	writeJSON(w, http.StatusOK, map[string]any{"slept_ms": d.Milliseconds()})
}

func (s *Server) alloc(w http.ResponseWriter, r *http.Request) {
	mb, err := intParam(r, "mb", 10, maxAlloc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	hold, ok := msParam(w, r, "hold", 10_000, maxSleep)
	if !ok {
		return
	}
	s.held.hold(mb<<20, hold)
	writeJSON(w, http.StatusOK, map[string]any{"allocated_mb": mb, "hold_ms": hold.Milliseconds()})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request) {
	rate, err := strconv.ParseFloat(r.URL.Query().Get("rate"), 64)
	if err != nil || rate < 0 || rate > 1 {
		rate = 0.5
	}
	if rand.Float64() < rate {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "failed on purpose"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	code, err := strconv.Atoi(r.PathValue("code"))
	if err != nil || code < 100 || code > 599 {
		http.Error(w, "status must be 100..599", http.StatusBadRequest)
		return
	}
	writeJSON(w, code, map[string]int{"status": code})
}

func (s *Server) bytes(w http.ResponseWriter, r *http.Request) {
	n, err := intParam(r, "n", 1024, maxBytes)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	chunk := make([]byte, min(n, 32<<10))
	for i := range chunk {
		chunk[i] = 'a' + byte(i%26)
	}
	for n > 0 {
		k, err := w.Write(chunk[:min(n, len(chunk))])
		if err != nil {
			return
		}
		n -= k
	}
}

func (s *Server) echo(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBytes))
	writeJSON(w, http.StatusOK, map[string]any{"method": r.Method, "path": r.URL.RequestURI(),
		"headers": r.Header, "body": string(body)})
}

// burn spins the CPU for d of wall time.
func burn(d time.Duration) {
	if d <= 0 {
		return
	}
	end := time.Now().Add(d)
	x := uint64(1)
	for time.Now().Before(end) {
		for range 1000 {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	burnSink.Store(x) // keeps the loop from being optimised away
}

var burnSink atomic.Uint64

func sleepCtx(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

func msParam(w http.ResponseWriter, r *http.Request, name string, def int, limit time.Duration) (time.Duration, bool) {
	v, err := intParam(r, name, def, int(limit/time.Millisecond))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return 0, false
	}
	return time.Duration(v) * time.Millisecond, true
}

func intParam(r *http.Request, name string, def, limit int) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v > limit {
		return 0, fmt.Errorf("%s must be a whole number from 0 to %d", name, limit)
	}
	return v, nil
}

func codeLabel(code int) string { return strconv.Itoa(code) }

// memory holds allocations made by /alloc until their time is up.
type memory struct {
	mu   sync.Mutex
	size int
}

func (m *memory) hold(n int, d time.Duration) {
	buf := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		buf[i] = 1 // touch every page so it is really resident
	}
	m.mu.Lock()
	m.size += n
	m.mu.Unlock()
	time.AfterFunc(d, func() {
		m.mu.Lock()
		m.size -= len(buf)
		m.mu.Unlock()
	})
}

func (m *memory) bytes() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.size
}
