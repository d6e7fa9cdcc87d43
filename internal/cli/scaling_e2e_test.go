package cli

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scaling/lambda"
	fleettarget "github.com/surge-dev/surge/testbed/fleet"
	lambdatarget "github.com/surge-dev/surge/testbed/lambda"
)

func startLambda(t *testing.T, edit func(*lambdatarget.Config)) *httptest.Server {
	t.Helper()
	cfg := lambdatarget.DefaultConfig()
	edit(&cfg)
	h, err := lambdatarget.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); h.Close() })
	return srv
}

// Concurrency 20 × 200 ms serves at most 100 requests a second, so a
// steady 200/s has about half its requests throttled with 429.
func TestLambdaThrottlesAboveConcurrency(t *testing.T) {
	srv := startLambda(t, func(c *lambdatarget.Config) {
		c.AccountConcurrency, c.HandlerDuration, c.InitDuration = 20, 200*time.Millisecond, 0
	})
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "quick", srv.URL+"/fn", "--rate", "200", "--duration", "3s",
		"--output", out, "--monitor", srv.URL+"/metrics")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ok, throttled := r.Aggregate.Codes["200"], r.Aggregate.Codes["429"]
	if ok+throttled != 600 {
		t.Fatalf("codes %v: want only 200 and 429 over 600 requests", r.Aggregate.Codes)
	}
	// Surge's counts are the emulator's own, exactly.
	st := lambdaStatus(t, srv)
	if uint64(ok) != st.Invocations || uint64(throttled) != st.Throttles.AccountConcurrency {
		t.Fatalf("Surge counted %d × 200 and %d × 429; the emulator %d invocations and throttles %+v",
			ok, throttled, st.Invocations, st.Throttles)
	}
	// 20 environments of 200 ms serve at most 100/s of the 200/s offered:
	// at least about half is throttled. A busy machine holds environments
	// longer and throttles more, which is what the emulator then counted.
	if share := float64(throttled) / 600; share < 0.35 || st.MaxConcurrentExecutions > 20 {
		t.Fatalf("%.0f%% throttled with at most %d environments busy; want about half or more, at most 20",
			share*100, st.MaxConcurrentExecutions)
	}
	if peak := monitoredMax(r, "surge_lambda_concurrent_executions"); peak < 10 || peak > 20 {
		t.Fatalf("monitored peak concurrency %v, want at most 20 and well above 0", peak)
	}
	if !strings.Contains(res.stdout, "target (monitored):") {
		t.Fatalf("summary lacks the monitored series:\n%s", res.stdout)
	}
}

// A ramp that outruns the legacy scaling rate (a burst of 30, then +500
// a minute) is throttled; provisioning the peak concurrency removes it.
func TestProvisionedConcurrencyRemovesScalingThrottles(t *testing.T) {
	script := writeScript(t, `config:
  phases:
    - duration: 3
      arrivalRate: 20
      rampTo: 160
scenarios:
  - flow:
      - get: {url: "/fn"}
`)
	throttles := func(provisioned int) int64 {
		srv := startLambda(t, func(c *lambdatarget.Config) {
			c.ScalingModel, c.Burst, c.HandlerDuration, c.InitDuration = lambda.Legacy, 30, 500*time.Millisecond, 0
			c.ProvisionedConcurrency = provisioned
		})
		out := filepath.Join(t.TempDir(), "r.json")
		if res := surge(t, context.Background(), "run", "-t", srv.URL, "--output", out, "--quiet", script); res.code != ExitOK {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		r, err := results.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return r.Aggregate.Codes["429"]
	}
	if n := throttles(0); n < 10 {
		t.Fatalf("only %d throttles without provisioned concurrency", n)
	}
	// The peak needs 160/s × 0.5 s = 80 environments; five times that
	// leaves room for a busy machine, on which every invocation lasts
	// longer (twice it was not enough beside a CPU hog and two test
	// suites).
	if n := throttles(400); n != 0 {
		t.Fatalf("%d throttles with 400 provisioned environments", n)
	}
}

// Under load the fleet scales out; once the load stops it scales back in.
// At time scale 300 a virtual minute passes in 0.2 s. Surge's monitor
// must see the scale-out; the scale-in is read from the emulator itself
// until it happens, because on a busy machine the run's 6 s pause can end
// before the emulator's (real-time) scale-in alarm has fired.
func TestFleetScalesOutUnderLoadAndInAfter(t *testing.T) {
	cfg := fleettarget.DefaultConfig()
	cfg.TimeScale, cfg.Min, cfg.Max, cfg.Desired, cfg.TaskCapacity = 300, 1, 6, 1, 100
	h, err := fleettarget.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer func() { srv.Close(); h.Close() }()
	script := writeScript(t, `config:
  monitor:
    url: `+srv.URL+`/metrics
    series: [surge_fleet_running_tasks]
  phases:
    - duration: 4
      arrivalRate: 250
    - pause: 6
scenarios:
  - flow:
      - get: {url: "/"}
`)
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "run", "-t", srv.URL, "--output", out, "--quiet", script)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	series := monitored(r, "surge_fleet_running_tasks")
	peak := monitoredMax(r, "surge_fleet_running_tasks")
	t.Logf("running tasks per second, as monitored: %v", series)
	if len(series) < 3 || peak < 3 {
		t.Fatalf("monitored running tasks %v: want a scale-out from 1 to at least 3 under 250 req/s at 100 per task", series)
	}
	// 60 s of real time is 5 virtual hours: far past any scale-in alarm.
	deadline := time.Now().Add(60 * time.Second)
	for fleetRunning(t, srv) >= int(peak) {
		if time.Now().After(deadline) {
			t.Fatalf("still %d running tasks 60 s after the load: want a scale-in below the peak of %v", fleetRunning(t, srv), peak)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fleetRunning reads the emulator's running task count.
func fleetRunning(t *testing.T, srv *httptest.Server) int {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/_surge/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st struct {
		Running int `json:"running_tasks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st.Running
}

// lambdaStatus reads the emulator's own counts.
func lambdaStatus(t *testing.T, srv *httptest.Server) lambda.State {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/_surge/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st lambda.State
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func writeScript(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func monitored(r *results.Results, name string) []float64 {
	var out []float64
	for _, iv := range r.Intervals {
		if v, ok := iv.Monitor[name]; ok {
			out = append(out, v)
		}
	}
	return out
}

func monitoredMax(r *results.Results, name string) float64 {
	var m float64
	for _, v := range monitored(r, name) {
		m = max(m, v)
	}
	return m
}
