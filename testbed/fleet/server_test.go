package fleettarget

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

	"github.com/surge-dev/surge/scaling/fleet"
)

// start serves a Server built from the defaults edited by edit, on
// loopback. Both are closed when the test ends.
func start(t *testing.T, edit func(*Config)) (*Server, *httptest.Server) {
	t.Helper()
	cfg := DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Close() })
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

// fire sends n requests, one every gap, each on its own goroutine, and
// returns the status codes once all are answered.
func fire(t *testing.T, url string, n int, gap time.Duration) map[int]int {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	defer client.CloseIdleConnections()
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	for i := range n {
		if i > 0 && gap > 0 {
			time.Sleep(gap)
		}
		wg.Go(func() {
			r := get(t, client, url)
			mu.Lock()
			codes[r.code]++
			mu.Unlock()
		})
	}
	wg.Wait()
	return codes
}

// TestScalesOutThenIn runs the scaling clock 120× faster (a datapoint every
// half second) against one task. The path's cost sets its capacity: 1 ms
// of base cost plus /cpu's 24 ms is 40 req/s a task, so 60 req/s saturates
// it and the service scales out; when the load stops, it scales back in to
// one.
func TestScalesOutThenIn(t *testing.T) {
	_, ts := start(t, func(c *Config) {
		c.TimeScale, c.Tick, c.QueueTimeout = 120, 20*time.Millisecond, 200*time.Millisecond
		c.Min, c.Max, c.Desired, c.TaskCapacity = 1, 4, 1, 1000
		c.ScaleOutDatapoints, c.ScaleInDatapoints = 2, 3
		c.ScaleOutCooldown, c.ScaleInCooldown = time.Minute, time.Minute
		c.TaskStart, c.HealthCheckDelay, c.DeregistrationDelay = 30*time.Second, 0, 30*time.Second
	})
	loadDone := make(chan map[int]int)
	go func() { loadDone <- fire(t, ts.URL+"/cpu?ms=24", 180, time.Second/60) }()

	peak, sawScaleOut := 0, false
	for loading := true; loading; {
		select {
		case codes := <-loadDone:
			t.Logf("load answered %v", codes)
			loading = false
		case <-time.After(50 * time.Millisecond):
			st := statusOf(t, ts)
			if st.Desired != peak {
				t.Logf("virtual %4.0fs: desired %d, running %d, CPU %.0f%%", st.VirtualSeconds, st.Desired, st.Running, st.CPUUtilization)
			}
			peak = max(peak, st.Desired)
			sawScaleOut = sawScaleOut || st.ScaleOuts > 0
		}
	}
	if peak < 2 || !sawScaleOut {
		t.Fatalf("desired peaked at %d under twice one task's capacity, want a scale-out", peak)
	}
	var st status
	for deadline := time.Now().Add(6 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if st = statusOf(t, ts); st.Desired == 1 && st.Running == 1 && st.Draining == 0 {
			t.Logf("virtual %4.0fs: scaled in: %+v", st.VirtualSeconds, *st.LastActivity)
			break
		}
	}
	if st.Desired != 1 || st.Running != 1 || st.ScaleIns == 0 || st.LastActivity.Cause != "scale-in" {
		t.Fatalf("after the load: %+v, want scaled in to one task", st.State)
	}
}

func TestNoTaskAnswers503(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.Min, c.Desired = 0, 0 })
	if r := get(t, ts.Client(), ts.URL+"/"); r.code != http.StatusServiceUnavailable {
		t.Fatalf("with no task: %d %q, want 503", r.code, r.body)
	}
	if st := statusOf(t, ts); st.NoTarget != 1 || st.Running != 0 {
		t.Fatalf("status %+v, want one unroutable request", st)
	}
}

// TestOverload sends 30 requests at once to one task serving 10 req/s with
// a 150 ms queue limit: about two fit, the rest are refused.
func TestOverload(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.TaskCapacity, c.QueueTimeout = 10, 150*time.Millisecond })
	codes := fire(t, ts.URL+"/", 30, 0)
	ok, refused := codes[http.StatusOK], codes[http.StatusServiceUnavailable]
	if ok < 1 || ok > 8 || ok+refused != 30 {
		t.Fatalf("codes %v, want a few served and the rest 503", codes)
	}
	if st := statusOf(t, ts); st.Overloaded != uint64(refused) || st.Served != uint64(ok) {
		t.Fatalf("status counts %d served / %d overloaded, want %d / %d", st.Served, st.Overloaded, ok, refused)
	}
}

func TestRoundRobin(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.Desired, c.TaskCapacity = 3, 1000 })
	seen := map[string]int{}
	for range 9 {
		r := get(t, ts.Client(), ts.URL+"/")
		seen[r.header.Get("X-Surge-Task")]++
	}
	if len(seen) != 3 || seen["1"] != 3 || seen["2"] != 3 || seen["3"] != 3 {
		t.Fatalf("requests per task %v, want 3 each on tasks 1-3", seen)
	}
}

func TestMetricsAndStatus(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.Desired = 2 })
	st := statusOf(t, ts)
	if st.Desired != 2 || st.Running != 2 || len(st.Tasks) != 2 || st.AlarmHigh != fleet.InsufficientData {
		t.Fatalf("status %+v", st)
	}
	raw := get(t, ts.Client(), ts.URL+"/_surge/status").body
	for _, key := range []string{`"running_tasks":2`, `"desired_tasks":2`, `"time_scale":1`} {
		if !strings.Contains(raw, key) {
			t.Errorf("status lacks %s: %s", key, raw)
		}
	}
	body := get(t, ts.Client(), ts.URL+"/metrics").body
	for _, want := range []string{
		"surge_fleet_desired_tasks 2",
		"surge_fleet_running_tasks 2",
		"surge_fleet_cpu_utilization 0",
		"surge_fleet_requests_per_target 0",
		`surge_fleet_alarm_state{alarm="high",state="INSUFFICIENT_DATA"} 1`,
		`surge_fleet_scaling_activities_total{direction="out"} 0`,
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
		{func(c *Config) { c.Policy = "simple" }, "policy \"simple\""},
		{func(c *Config) { c.TimeScale = -1 }, "time scale -1"},
		{func(c *Config) { c.TimeScale = math.NaN() }, "time scale NaN"},
		{func(c *Config) { c.Min, c.Desired = 5, 2 }, "min (5)"},
		{func(c *Config) { c.QueueTimeout = -time.Second }, "queue timeout -1s"},
		{func(c *Config) { c.Tick = 0 }, "tick 0s"},
		{func(c *Config) { c.Heavy.ErrorRate = 2 }, "error rate 2"},
		{func(c *Config) { c.Heavy.Workers = 2 }, "not a task"},
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

// TestClose: Close stops the ticker, may be called twice, and requests
// after it are refused rather than served.
func TestClose(t *testing.T) {
	s, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() { s.Close(); s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("request after Close answered %d, want 503", rec.Code)
	}
}
