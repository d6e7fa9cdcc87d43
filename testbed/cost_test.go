package testbed

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCPUCostAndRoute(t *testing.T) {
	s, err := New(Config{CPU: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, target, route string
		cost                  time.Duration
	}{
		{"GET", "/cpu?ms=30", "/cpu", 32 * time.Millisecond},
		{"POST", "/cpu", "/cpu", 12 * time.Millisecond}, // the handler's default 10 ms
		{"GET", "/cpu?ms=many", "/cpu", 2 * time.Millisecond},
		{"GET", "/cpu?ms=999999", "/cpu", 2 * time.Millisecond}, // above the limit: 400, no burn
		{"GET", "/sleep?ms=30", "/sleep", 2 * time.Millisecond},
		{"GET", "/api/items/7", "GET /api/items/{id}", 2 * time.Millisecond},
		{"GET", "/", "GET /{$}", 2 * time.Millisecond},
		{"GET", "/no/such/path", "", 2 * time.Millisecond},
	} {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		if got := s.CPUCost(r); got != tc.cost {
			t.Errorf("%s %s: CPUCost %v, want %v", tc.method, tc.target, got, tc.cost)
		}
		if got := s.Route(r); got != tc.route {
			t.Errorf("%s %s: Route %q, want %q", tc.method, tc.target, got, tc.route)
		}
	}
}

// TestServeChargedDoesNotBurn: ServeHTTP burns /cpu's 300 ms (burn spins
// for wall time, so it takes at least that); ServeCharged answers the same
// without burning, in well under half of it even on a busy machine.
func TestServeChargedDoesNotBurn(t *testing.T) {
	s, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	timed := func(serve func(http.ResponseWriter, *http.Request)) (time.Duration, *httptest.ResponseRecorder) {
		rec := httptest.NewRecorder()
		begin := time.Now()
		serve(rec, httptest.NewRequest("GET", "/cpu?ms=300", nil))
		return time.Since(begin), rec
	}
	burnt, full := timed(s.ServeHTTP)
	charged, rec := timed(s.ServeCharged)
	if burnt < 300*time.Millisecond || charged > burnt/2 {
		t.Fatalf("ServeHTTP took %v, ServeCharged %v; want at least 300ms, and under half of it", burnt, charged)
	}
	if rec.Code != full.Code || !strings.Contains(rec.Body.String(), `"cpu_ms":300`) {
		t.Fatalf("charged answer %d %q, want the same as ServeHTTP's %d %q", rec.Code, rec.Body, full.Code, full.Body)
	}
}
