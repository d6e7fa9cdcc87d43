package stresslab

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/surge-dev/surge/internal/surgeexe"
	"github.com/surge-dev/surge/results"
)

func TestMain(m *testing.M) { surgeexe.Main(m) }

const (
	minTasks = 1
	light    = "light: GET /api/items"
	heavy    = "heavy: GET /cpu?ms=48"
)

// The lab end to end, in its quick form: at --time-scale 300 a CloudWatch
// minute passes every 0.2 s, so the ramp and the spike (150/s, about 1.7
// tasks of CPU) breach the 50 % target for the 3 datapoints a scale-out
// needs, and the 8 s of quiet after them hold the 15 low datapoints a
// scale-in needs with room to spare.
func TestStressLabScalesOutAndIn(t *testing.T) {
	surgeexe.SkipUnderRace(t)
	out := t.TempDir()
	cmd := exec.Command("./run.sh", out)
	cmd.Env = append(surgeexe.PathWith(surgeexe.Install(t)), "ENV=quick", "TIME_SCALE=300", "MAX=8")
	log, err := cmd.CombinedOutput()
	t.Logf("run.sh:\n%s", log)
	if err != nil {
		t.Fatalf("run.sh: %v", err)
	}
	r, err := results.ReadFile(filepath.Join(out, "run.json"))
	if err != nil {
		t.Fatal(err)
	}
	checkScaling(t, r, readStatus(t, filepath.Join(out, "after.json")))
	checkPaths(t, r)
}

// fleetStatus is the part of the fleet's /_surge/status the test reads.
type fleetStatus struct {
	Desired  int `json:"desired_tasks"`
	Running  int `json:"running_tasks"`
	ScaleOut int `json:"scale_outs"`
	ScaleIn  int `json:"scale_ins"`
}

func readStatus(t *testing.T, path string) fleetStatus {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st fleetStatus
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatalf("%s: %v: %q", path, err, b)
	}
	return st
}

// checkScaling: Surge's monitor saw the tasks rise above the minimum during
// the load, and the service was back at its minimum after it. The quiet
// spell is 40 virtual minutes, far more than the scale-in needs, but a busy
// machine can stretch it; run.sh then waits for the scale-in, so the end
// state is read from its after.json, not required of the run's last second.
func checkScaling(t *testing.T, r *results.Results, after fleetStatus) {
	t.Helper()
	running := series(r, "surge_fleet_running_tasks")
	t.Logf("running tasks per second, as monitored: %v; after the run: %+v", running, after)
	if len(running) < len(r.Intervals)/2 {
		t.Fatalf("the tasks were scraped in %d of %d seconds", len(running), len(r.Intervals))
	}
	if peak := slicesMax(running); peak <= minTasks {
		t.Errorf("running tasks %v: want above %d under load", running, minTasks)
	}
	if after.Desired != minTasks || after.Running != minTasks || after.ScaleOut < 1 || after.ScaleIn < 1 {
		t.Errorf("after the run: %+v; want %d task, after at least one scale-out and one scale-in", after, minTasks)
	}
}

// checkPaths: the heavy path's latency exceeds the light one's, as Surge
// measured it and as the emulator timed it; the emulator charged each heavy
// request its 50 ms; and both sides counted the same requests per path.
func checkPaths(t *testing.T, r *results.Results) {
	t.Helper()
	ends := map[string]results.Endpoint{}
	for _, e := range r.Endpoints {
		ends[e.Name] = e
	}
	l, h := ends[light], ends[heavy]
	t.Logf("latency p50 / p99: light %.1f / %.1f ms, heavy %.1f / %.1f ms", l.Latency.P50, l.Latency.P99, h.Latency.P50, h.Latency.P99)
	if l.Requests == 0 || h.Requests == 0 || h.Latency.P50 <= l.Latency.P50 || h.Latency.Mean <= l.Latency.Mean {
		t.Errorf("light %+v\nheavy %+v\nwant both requested and the heavy path slower (p50 and mean)", l.Latency, h.Latency)
	}
	m := r.Intervals[len(r.Intervals)-1].Monitor
	served := func(path string) float64 {
		return m[`surge_fleet_path_requests_total{outcome="served",path="`+path+`"}`]
	}
	mean := func(path string) float64 {
		return m[`surge_fleet_path_duration_seconds_sum{path="`+path+`"}`] / m[`surge_fleet_path_duration_seconds_count{path="`+path+`"}`]
	}
	// The last scrape, up to a second before the last interval closed, may
	// miss the requests of the last two seconds.
	n := len(r.Intervals)
	slack := float64(r.Intervals[n-1].Requests + r.Intervals[n-2].Requests)
	for _, c := range []struct {
		path string
		sent int64
	}{{"/cpu", h.Requests}, {"GET /api/items", l.Requests}} {
		if missed := float64(c.sent) - served(c.path); missed < 0 || missed > slack {
			t.Errorf("the emulator served %v of %s, Surge sent %d (the last two seconds held %v)", served(c.path), c.path, c.sent, slack)
		}
	}
	if perRequest := m[`surge_fleet_path_cpu_seconds_total{path="/cpu"}`] / served("/cpu"); math.Abs(perRequest-0.050) > 1e-9 {
		t.Errorf("the heavy path cost %v s of task CPU a request, want 0.050 (2 ms base + 48 ms)", perRequest)
	}
	if mean("/cpu") <= mean("GET /api/items") {
		t.Errorf("the emulator's mean duration: heavy %v s, light %v s; want heavy slower", mean("/cpu"), mean("GET /api/items"))
	}
}

func series(r *results.Results, name string) []float64 {
	var out []float64
	for _, iv := range r.Intervals {
		if v, ok := iv.Monitor[name]; ok {
			out = append(out, v)
		}
	}
	return out
}

func slicesMax(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m
}
