package testbed

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func start(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestEndpoints(t *testing.T) {
	srv := start(t, Config{})
	tests := []struct {
		method, path, body string
		code               int
		contains           string
	}{
		{"GET", "/", "", 200, "/cpu?ms="},
		{"GET", "/cpu?ms=5", "", 200, `"cpu_ms":5`},
		{"GET", "/cpu?ms=abc", "", 400, "whole number"},
		{"GET", "/sleep?ms=20&jitter=5", "", 200, "slept_ms"},
		{"GET", "/alloc?mb=1&hold=50", "", 200, `"allocated_mb":1`},
		{"GET", "/fail?rate=1", "", 500, "failed on purpose"},
		{"GET", "/fail?rate=0", "", 200, `"ok":true`},
		{"GET", "/status/418", "", 418, `"status":418`},
		{"GET", "/status/99", "", 400, ""},
		{"GET", "/bytes?n=100000", "", 200, "abcdef"},
		{"POST", "/echo", "hello", 200, `"body":"hello"`},
		{"GET", "/api/items?limit=2", "", 200, `"total":5`},
		{"POST", "/api/items", `{"name":"saw","price":3}`, 201, `"id":6`},
		{"POST", "/api/items", `{}`, 400, "name"},
		{"GET", "/api/items/6", "", 200, `"name":"saw"`},
		{"PUT", "/api/items/6", `{"name":"axe"}`, 200, `"name":"axe"`},
		{"DELETE", "/api/items/6", "", 204, ""},
		{"GET", "/api/items/6", "", 404, "no such item"},
		{"GET", "/api/items/x", "", 400, "number"},
		{"GET", "/metrics", "", 200, `surge_target_requests_total{code="200"}`},
		{"GET", "/_surge/status", "", 200, `"kind":"heavy"`},
	}
	for _, tt := range tests {
		code, body := call(t, tt.method, srv.URL+tt.path, tt.body)
		if code != tt.code || !strings.Contains(body, tt.contains) {
			t.Errorf("%s %s: %d %q, want %d containing %q", tt.method, tt.path, code, body, tt.code, tt.contains)
		}
	}
}

func TestBytesSize(t *testing.T) {
	srv := start(t, Config{})
	_, body := call(t, "GET", srv.URL+"/bytes?n=100000", "")
	if len(body) != 100000 {
		t.Fatalf("got %d bytes", len(body))
	}
}

func TestServerWideKnobs(t *testing.T) {
	srv := start(t, Config{Latency: 30 * time.Millisecond, ErrorRate: 1})
	begin := time.Now()
	code, _ := call(t, "GET", srv.URL+"/api/items", "")
	if code != 500 || time.Since(begin) < 30*time.Millisecond {
		t.Fatalf("code %d after %v: want 500 after at least the added latency", code, time.Since(begin))
	}
}

func TestMaxConcurrencySheds(t *testing.T) {
	srv := start(t, Config{MaxConcurrency: 2})
	var wg sync.WaitGroup
	codes := make([]int, 6)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = call(t, "GET", srv.URL+"/sleep?ms=300", "")
		}()
	}
	wg.Wait()
	var ok, shed int
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case 503:
			shed++
		}
	}
	if ok > 2 || shed < 4 {
		t.Fatalf("codes %v: at most 2 served at once", codes)
	}
}

// With one worker, four requests of 50 ms queue and are served one after
// another: the last completes after 200 ms, where without workers all
// four finish together after about 50. Nothing is refused.
func TestWorkersQueue(t *testing.T) {
	srv := start(t, Config{Workers: 1, Latency: 50 * time.Millisecond})
	var wg sync.WaitGroup
	codes := make([]int, 4)
	begin := time.Now()
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = call(t, "GET", srv.URL+"/api/items", "")
		}()
	}
	wg.Wait()
	if took := time.Since(begin); took < 200*time.Millisecond {
		t.Errorf("four requests on one worker of 50 ms took %v, want at least 200 ms", took)
	}
	for _, c := range codes {
		if c != 200 {
			t.Fatalf("codes %v: waiting in line is not refusal", codes)
		}
	}
}

func TestStatusReportsHeldMemory(t *testing.T) {
	srv := start(t, Config{})
	call(t, "GET", srv.URL+"/alloc?mb=2&hold=5000", "")
	_, body := call(t, "GET", srv.URL+"/_surge/status", "")
	var st map[string]any
	if err := json.Unmarshal([]byte(body), &st); err != nil || st["held_bytes"].(float64) != 2<<20 {
		t.Fatalf("status %s (%v)", body, err)
	}
}

// TestValidate: every bad knob is refused with an error that names it,
// and New refuses what Validate refuses.
func TestValidate(t *testing.T) {
	if err := (Config{CPU: time.Millisecond, ErrorRate: 1, Workers: 2, StallEvery: time.Second, StallFor: time.Millisecond}).Validate(); err != nil {
		t.Fatalf("a valid config: %v", err)
	}
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{ErrorRate: 2}, "error rate 2"},
		{Config{ErrorRate: math.NaN()}, "error rate NaN"},
		{Config{CPU: -1}, "CPU -1ns"},
		{Config{Jitter: -time.Second}, "jitter -1s"},
		{Config{MaxConcurrency: -1}, "max concurrency -1"},
		{Config{Workers: -1}, "workers -1"},
		{Config{StallEvery: time.Second}, "stall every 1s for 0s"},
		{Config{StallEvery: time.Second, StallFor: 2 * time.Second}, "shorter than the period"},
	} {
		err := tc.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q", tc.cfg, err, tc.want)
		}
		if _, err := New(tc.cfg); err == nil {
			t.Errorf("New(%+v) accepted", tc.cfg)
		}
	}
}
