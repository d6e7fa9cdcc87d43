package fleettarget

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/monitor"
)

// TestPathCostSetsCapacity: one task, 5 ms of base cost a request. At
// 20 req/s the light path keeps it 10 % busy and every request is served;
// /cpu?ms=95 costs 100 ms, twice what the task has at that rate, so its
// line passes the 100 ms queue limit and about half are refused.
func TestPathCostSetsCapacity(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.TaskCapacity, c.QueueTimeout = 200, 100*time.Millisecond })
	light := fire(t, ts.URL+"/api/items", 40, time.Second/20)
	heavy := fire(t, ts.URL+"/cpu?ms=95", 40, time.Second/20)
	t.Logf("light %v, heavy %v", light, heavy)
	if light[http.StatusOK] != 40 {
		t.Errorf("light path: %v, want all 40 served", light)
	}
	if refused := heavy[http.StatusServiceUnavailable]; refused < 10 || refused+heavy[http.StatusOK] != 40 {
		t.Errorf("heavy path: %v, want about half of 40 refused as overloaded", heavy)
	}
}

// TestHeavyEndpointsBehindTheFleet: the tasks answer with the heavy
// target's endpoints, and /metrics counts each endpoint pattern's requests
// and the task CPU they cost (1 ms base + the path's own).
func TestHeavyEndpointsBehindTheFleet(t *testing.T) {
	_, ts := start(t, func(c *Config) { c.TaskCapacity = 1000 })
	c := ts.Client()
	if r := get(t, c, ts.URL+"/cpu?ms=5"); r.code != http.StatusOK || !strings.Contains(r.body, `"cpu_ms":5`) || r.header.Get("X-Surge-Task") != "1" || r.header.Get("X-Surge-Queued-Ms") == "" {
		t.Fatalf("/cpu?ms=5: %d %q %v", r.code, r.body, r.header)
	}
	for range 2 {
		get(t, c, ts.URL+"/cpu?ms=5")
	}
	resp, err := c.Post(ts.URL+"/api/items", "application/json", strings.NewReader(`{"name":"a"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if r := get(t, c, ts.URL+"/api/items"); r.code != http.StatusOK || !strings.Contains(r.body, `"name":"a"`) {
		t.Fatalf("/api/items after a POST: %d %q", r.code, r.body)
	}
	if r := get(t, c, ts.URL+"/no/such/path"); r.code != http.StatusNotFound {
		t.Fatalf("unknown path: %d, want the heavy target's 404", r.code)
	}
	series, err := monitor.Parse(strings.NewReader(get(t, c, ts.URL+"/metrics").body))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]float64{
		`surge_fleet_path_requests_total{outcome="served",path="/cpu"}`:            3,
		`surge_fleet_path_requests_total{outcome="served",path="POST /api/items"}`: 1,
		`surge_fleet_path_requests_total{outcome="served",path="GET /api/items"}`:  1,
		`surge_fleet_path_requests_total{outcome="served",path="unmatched"}`:       1,
		`surge_fleet_path_cpu_seconds_total{path="/cpu"}`:                          3 * 0.006,
		`surge_fleet_path_cpu_seconds_total{path="GET /api/items"}`:                0.001,
		`surge_fleet_path_duration_seconds_count{path="/cpu"}`:                     3,
		`surge_fleet_requests_total{outcome="served"}`:                             6,
	} {
		if got, ok := series[key]; !ok || math.Abs(got-want) > 1e-9 {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
	if d := series[`surge_fleet_path_duration_seconds_sum{path="/cpu"}`]; d < 3*0.006 {
		t.Errorf("/cpu's summed duration %v s, want at least its CPU, %v s", d, 3*0.006)
	}
}

// TestBusyTimeDrivesCPU: the model's CPU utilisation is the tasks' busy
// share, from each request's own cost. 20 req/s of /cpu?ms=19 (20 ms with
// the 1 ms base) keep one task 40 % busy, where a plain request's cost
// would have read 2 %.
func TestBusyTimeDrivesCPU(t *testing.T) {
	_, ts := start(t, func(c *Config) {
		c.TaskCapacity, c.TimeScale, c.Tick = 1000, 60, 20*time.Millisecond
		c.ScaleOutDatapoints, c.ScaleInDatapoints = 100, 100 // no scaling in this test
	})
	fire(t, ts.URL+"/cpu?ms=19", 60, time.Second/20)
	st := statusOf(t, ts)
	if st.CPUUtilization < 25 || st.CPUUtilization > 60 {
		t.Fatalf("CPU utilisation %.1f%% after 20 req/s of 20 ms each, want about 40%%", st.CPUUtilization)
	}
}
