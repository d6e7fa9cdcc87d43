package lambdatarget

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// start serves a Server built from the defaults edited by edit, on
// loopback. Both are closed when the test ends.
func start(t *testing.T, edit func(*Config)) (*Server, *httptest.Server) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.InitDuration = 0
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	return s, ts
}

type reply struct {
	code   int
	header http.Header
	body   string
}

func get(t *testing.T, c *http.Client, url string) reply {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Error(err)
		return reply{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func statusOf(t *testing.T, ts *httptest.Server) status {
	t.Helper()
	var st status
	if err := json.Unmarshal([]byte(get(t, ts.Client(), ts.URL+"/_surge/status").body), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestThrottlingUnderLoad offers about 200 req/s of 200 ms invocations to a
// function capped at 20 concurrent: it can serve at most 100 req/s, so about
// half should be throttled. The hard check is the cap itself; the shares
// have wide margins because a busy 2-core machine may send unevenly.
func TestThrottlingUnderLoad(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.AccountConcurrency = 20; c.HandlerDuration = 200 * time.Millisecond })
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()

	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	began := time.Now()
	tick := time.NewTicker(5 * time.Millisecond)
	for range 400 {
		<-tick.C
		wg.Go(func() {
			r := get(t, client, ts.URL+"/invoke")
			mu.Lock()
			codes[r.code]++
			mu.Unlock()
		})
	}
	tick.Stop()
	wg.Wait()
	elapsed := time.Since(began)

	st := statusOf(t, ts)
	ok, throttled := codes[http.StatusOK], codes[http.StatusTooManyRequests]
	t.Logf("%v: %d ok, %d throttled, %+v", elapsed, ok, throttled, st.Throttles)
	if st.MaxConcurrentExecutions > 20 || ok+throttled != 400 {
		t.Fatalf("peak concurrency %d (cap 20); codes %v", st.MaxConcurrentExecutions, codes)
	}
	if ceiling := 20*int(elapsed/(200*time.Millisecond)) + 20; ok > ceiling {
		t.Fatalf("%d served in %v, more than 20 per 200 ms allows (%d)", ok, elapsed, ceiling)
	}
	if ok < 80 || throttled < 80 {
		t.Fatalf("%d ok and %d throttled, want roughly half each", ok, throttled)
	}
	if st.Throttles.AccountConcurrency != uint64(throttled) || st.Invocations != uint64(ok) {
		t.Fatalf("status %+v disagrees with %d ok, %d throttled", st, ok, throttled)
	}
}

// TestFrontDoors checks what each mode answers for a throttle and for a
// timeout, using a one-environment function kept busy by a first request.
func TestFrontDoors(t *testing.T) {
	tests := []struct {
		mode         Mode
		throttleCode int
		throttleBody string
		errType      string
	}{
		{FunctionURL, http.StatusTooManyRequests, `"Reason":"ConcurrentInvocationLimitExceeded"`, "TooManyRequestsException"},
		{APIGateway, http.StatusInternalServerError, `"message":"Internal server error"`, "InternalServerErrorException"},
	}
	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			s, ts := start(t, func(c *Config) {
				c.Mode, c.AccountConcurrency, c.HandlerDuration = tt.mode, 1, 300*time.Millisecond
			})
			busy := make(chan reply)
			go func() { busy <- get(t, ts.Client(), ts.URL+"/slow") }()
			waitFor(t, func() bool { st, _ := s.snapshot(); return st.ConcurrentExecutions == 1 })
			r := get(t, ts.Client(), ts.URL+"/")
			if r.code != tt.throttleCode || !strings.Contains(r.body, tt.throttleBody) || r.header.Get("x-amzn-ErrorType") != tt.errType {
				t.Fatalf("throttle answered %d %q %v", r.code, r.body, r.header)
			}
			if first := <-busy; first.code != http.StatusOK || first.header.Get("X-Surge-Cold-Start") != "true" {
				t.Fatalf("first invocation answered %d %v", first.code, first.header)
			}
		})
	}
}

func TestTimeouts(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*Config)
		wantCode int
		timeouts uint64
	}{
		{"url: function timeout is 502", func(c *Config) { c.HandlerDuration, c.Timeout = 80*time.Millisecond, 20*time.Millisecond }, http.StatusBadGateway, 1},
		{"apigw: function timeout is 502", func(c *Config) {
			c.Mode, c.HandlerCPU, c.Timeout = APIGateway, 80*time.Millisecond, 20*time.Millisecond
		}, http.StatusBadGateway, 1},
		{"apigw: integration timeout is 504", func(c *Config) {
			c.Mode, c.HandlerDuration, c.IntegrationTimeout = APIGateway, 100*time.Millisecond, 30*time.Millisecond
		}, http.StatusGatewayTimeout, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := start(t, tt.edit)
			if r := get(t, ts.Client(), ts.URL+"/"); r.code != tt.wantCode {
				t.Fatalf("answered %d %q, want %d", r.code, r.body, tt.wantCode)
			}
			// The environment is back once the function itself ends.
			waitFor(t, func() bool { st, _ := s.snapshot(); return st.ConcurrentExecutions == 0 })
			if _, n := s.snapshot(); n != tt.timeouts {
				t.Fatalf("%d timeouts counted, want %d", n, tt.timeouts)
			}
			// After a function timeout the runtime restarts, so the
			// environment's next invocation is a cold start again.
			get(t, ts.Client(), ts.URL+"/")
			waitFor(t, func() bool { st, _ := s.snapshot(); return st.ConcurrentExecutions == 0 })
			if st, _ := s.snapshot(); st.ColdStarts != 1+tt.timeouts || st.Environments != 1 {
				t.Fatalf("%d cold starts on %d environments, want %d on 1", st.ColdStarts, st.Environments, 1+tt.timeouts)
			}
		})
	}
}

func TestColdStartsAndIdleExpiry(t *testing.T) {
	s, ts := start(t, func(c *Config) {
		c.InitDuration, c.HandlerDuration, c.IdleExpiry, c.TimeScale = 50*time.Millisecond, 0, time.Minute, 600
	})
	var colds []string
	for range 2 {
		r := get(t, ts.Client(), ts.URL+"/")
		colds = append(colds, r.header.Get("X-Surge-Cold-Start"))
	}
	if colds[0] != "true" || colds[1] != "false" {
		t.Fatalf("cold start headers %v, want [true false]", colds)
	}
	waitFor(t, func() bool { st, _ := s.snapshot(); return st.Environments == 0 })
	st := statusOf(t, ts)
	if st.ColdStarts != 1 || st.InitDuration != 50*time.Millisecond || st.VirtualSeconds < 60 {
		t.Fatalf("status %+v, want 1 cold start of 50ms and over a virtual minute", st)
	}
}

func TestMetrics(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.AccountConcurrency, c.HandlerDuration = 1, 0 })
	get(t, ts.Client(), ts.URL+"/")
	body := get(t, ts.Client(), ts.URL+"/metrics").body
	for _, want := range []string{
		"surge_lambda_concurrent_executions 0",
		"surge_lambda_invocations_total 1",
		"surge_lambda_cold_starts_total 1",
		`surge_lambda_throttles_total{cause="scaling_rate",reason="ConcurrentInvocationLimitExceeded"} 0`,
		`surge_lambda_throttles_total{cause="reserved_rate",reason="ReservedFunctionInvocationRateLimitExceeded"} 0`,
		"surge_lambda_init_duration_seconds_count 1",
		`surge_lambda_environments{state="idle"} 1`,
		"surge_lambda_concurrency_limit 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "go_goroutines") {
		t.Error("/metrics serves the global registry's Go metrics")
	}
}

// TestValidate: the defaults are valid, and every bad setting is refused
// by Validate, with an error that names it, and by New.
func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	for _, tc := range []struct {
		edit func(*Config)
		want string
	}{
		{func(c *Config) { c.Mode = "alb" }, "mode \"alb\""},
		{func(c *Config) { c.TimeScale = 0 }, "time scale 0"},
		{func(c *Config) { c.ScalingModel = "fast" }, "fast"},
		{func(c *Config) { c.HandlerCPU = -time.Millisecond }, "handler CPU -1ms"},
		{func(c *Config) { c.Mode, c.IntegrationTimeout = APIGateway, 0 }, "integration timeout 0s"},
	} {
		c := DefaultConfig()
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q", c, err, tc.want)
		}
		if s, err := New(c); err == nil {
			s.Close()
			t.Errorf("New accepted %+v", c)
		}
	}
}

// TestCloseEndsInvocations: Close must not leave handlers waiting.
func TestCloseEndsInvocations(t *testing.T) {
	s, ts := start(t, func(c *Config) { c.HandlerDuration, c.Timeout = time.Minute, 2*time.Minute })
	done := make(chan reply)
	go func() { done <- get(t, ts.Client(), ts.URL+"/") }()
	waitFor(t, func() bool { st, _ := s.snapshot(); return st.ConcurrentExecutions == 1 })
	s.Close()
	select {
	case r := <-done:
		if r.code != http.StatusServiceUnavailable {
			t.Fatalf("interrupted invocation answered %d", r.code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("invocation still running 5 s after Close")
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5 s")
		}
	}
}
