package story

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
)

// The fleet emulator's series (testbed/fleet).
const (
	fleetDesired  = "surge_fleet_desired_tasks"
	fleetRunning  = "surge_fleet_running_tasks"
	fleetHealthy  = "surge_fleet_healthy_tasks"
	fleetCPU      = "surge_fleet_cpu_utilization"
	fleetRequests = "surge_fleet_requests_total"
	fleetPathCPU  = "surge_fleet_path_cpu_seconds_total"
	fleetVirtual  = "surge_fleet_virtual_time_seconds"
	fleetSettings = "surge_fleet_settings"
)

// fleetSetup is the service as its settings series describes it.
type fleetSetup struct {
	cfg   fleet.Config
	scale float64
}

// fleetRun is what the fleet story reads from a run.
type fleetRun struct {
	*run
	desired, running, cpu Series
	refused               map[string]Series // by cause
	setup                 fleetSetup
	haveSetup             bool
	cost                  float64 // task-seconds a request costs on average; 0: unknown
}

func fleetStory(rn *run, opts Options) *Story {
	rn.alignMonitor([]string{fleetRequests + `{outcome="overloaded"}`, fleetRequests + `{outcome="no_target"}`})
	f := &fleetRun{run: rn, desired: rn.gauge(fleetDesired), running: rn.gauge(fleetRunning), cpu: rn.gauge(fleetCPU),
		refused: fleetRefusals(rn)}
	st := &Story{Kind: Fleet, Title: "ECS/Fargate service: load, tasks, refusals, CPU", T: rn.t}
	setup, err := readFleetSetup(rn.labels(fleetSettings))
	f.setup, f.haveSetup = setup, err == nil
	if err != nil {
		st.Notes = append(st.Notes, "No prediction: "+err.Error()+".")
	}
	f.cost = f.requestCost()
	var pred *fleetPrediction
	if f.haveSetup && !opts.NoPrediction {
		pred = predictFleet(setup, rn, f.cost, f.startOffset())
		st.Predicted = pred != nil
	}
	f.charts(st, pred)
	st.Events = append(st.Events, f.events()...)
	explainFleet(st, f, pred)
	return st
}

func (f *fleetRun) charts(st *Story, pred *fleetPrediction) {
	var pRunning, pCPU Series
	if pred != nil {
		pRunning, pCPU = pred.running, pred.cpu
	}
	st.addChart(chart("load", "Offered and served load (requests/s)", "/s",
		Line{"offered", Observed, f.offered}, Line{"served (2xx/3xx)", Observed, f.served},
		Line{"capacity of the running tasks at 100 % CPU", Limit, f.capacity()}))
	st.addChart(chart("tasks", "Tasks against the limits", "",
		Line{"desired", Observed, f.desired}, Line{"running", Observed, f.running},
		Line{"healthy (in the load balancer)", Observed, f.gauge(fleetHealthy)},
		Line{"maximum tasks", Limit, f.constant(float64(f.setup.cfg.Max))},
		Line{"running, predicted", Predicted, pRunning}))
	// Causes that refused nothing are left out, but one line stays: a
	// flat zero says the service kept up.
	var lines []Line
	for _, cause := range []string{"overloaded", "no_target", "refused"} {
		if s, ok := f.refused[cause]; ok && (s.sum() > 0 || len(lines) == 0) {
			lines = append(lines, Line{refusalLabel(cause), Observed, s})
		}
	}
	if len(lines) > 1 && !(lines[0].Values.sum() > 0) {
		lines = lines[1:]
	}
	st.addChart(chart("refused", "Refused requests per second (503), by cause", "/s", lines...))
	high, low := f.thresholds()
	st.addChart(chart("cpu", "CPU utilisation against the scaling target (one-minute datapoints)", "%",
		Line{"CPU", Observed, f.cpu}, Line{"scale-out above", Limit, f.constant(high)},
		Line{"scale-in below", Limit, f.constant(low)}, Line{"CPU, predicted", Predicted, pCPU}))
}

func refusalLabel(cause string) string {
	switch cause {
	case "overloaded":
		return "task overloaded (queue wait over the limit)"
	case "no_target":
		return "no healthy task"
	}
	return "refused"
}

// fleetRefusals reads the emulator's refusal counters by cause.
func fleetRefusals(rn *run) map[string]Series {
	out := map[string]Series{}
	for _, cause := range []string{"overloaded", "no_target"} {
		key := fleetRequests + `{outcome="` + cause + `"}`
		if rn.has(key) {
			out[cause] = rn.rate(key)
		}
	}
	if len(out) == 0 {
		out["refused"] = rn.refused // seen from the client: 429 and 5xx
	}
	return out
}

// constant is v at every second, or nothing when the settings are unknown.
func (f *fleetRun) constant(v float64) Series {
	if !f.haveSetup || v <= 0 {
		return nil
	}
	out := make(Series, f.len())
	for i := range out {
		out[i] = v
	}
	return out
}

// thresholds are the CPU alarm thresholds, or 0 when unknown (or when
// the policy tracks requests per task).
func (f *fleetRun) thresholds() (high, low float64) {
	c := f.setup.cfg
	if !f.haveSetup || c.UsesRequests() {
		return 0, 0
	}
	if c.Policy == fleet.StepScaling {
		return c.TargetCPU, c.TargetCPU
	}
	return c.TargetCPU, c.TargetCPU * c.ScaleInRatio
}

// requestCost is the task-seconds a request cost on average: the tasks'
// CPU over the requests they served, from the emulator's last scrape;
// 1/TaskCapacity (a plain request) when the run did not monitor them.
func (f *fleetRun) requestCost() float64 {
	served := fleetRequests + `{outcome="served"}`
	cpuKeys := f.keys(fleetPathCPU)
	for i := f.len() - 1; i >= 0 && len(cpuKeys) > 0; i-- {
		n, ok := f.mon[i][served]
		if !ok || n <= 0 {
			continue
		}
		var cpu float64
		for _, k := range cpuKeys {
			cpu += f.mon[i][k]
		}
		return cpu / n
	}
	if f.haveSetup {
		return 1 / f.setup.cfg.TaskCapacity
	}
	return 0
}

// capacity is what the running tasks could serve at 100 % CPU.
func (f *fleetRun) capacity() Series {
	if !(f.cost > 0) {
		return nil
	}
	out := nans(f.len())
	for i, n := range f.running {
		out[i] = n / f.cost
	}
	return out
}

// startOffset is the model time when the run's first second began, read
// from the emulator's clock, so that the replay's datapoints close when
// the emulator's did.
func (f *fleetRun) startOffset() time.Duration {
	vt := f.gauge(fleetVirtual)
	for i, v := range vt {
		if !math.IsNaN(v) {
			start := v - (f.t[i]+f.dur[i]-f.t[0])*f.setup.scale
			return time.Duration(math.Max(0, start) * float64(time.Second))
		}
	}
	return 0
}

// events are the changes of the desired count.
func (f *fleetRun) events() []Event {
	var out []Event
	prev := math.NaN()
	for i, v := range f.desired {
		if math.IsNaN(v) {
			continue
		}
		if !math.IsNaN(prev) && v != prev {
			out = append(out, scaleEvent(f.t[i], int(prev), int(v)))
		}
		prev = v
	}
	return out
}

func scaleEvent(t float64, from, to int) Event {
	kind := "scale-out"
	if to < from {
		kind = "scale-in"
	}
	return Event{T: t, Kind: kind, Label: fmt.Sprintf("%s %d→%d", kind, from, to)}
}

// readFleetSetup reads the settings series' labels.
func readFleetSetup(l map[string]string) (fleetSetup, error) {
	if l == nil {
		return fleetSetup{}, fmt.Errorf("the run did not monitor %s, the service's settings", fleetSettings)
	}
	p := labelParser{labels: l}
	cfg := fleet.DefaultConfig() // the step policy's adjustments are not in the labels
	cfg.Min, cfg.Max, cfg.Desired = p.int("min_tasks"), p.int("max_tasks"), p.int("desired_tasks")
	cfg.Policy = fleet.Policy(l["policy"])
	cfg.TargetCPU, cfg.TargetRequestsPerTask = p.float("target_cpu"), p.float("target_requests_per_task")
	cfg.ScaleInRatio, cfg.TaskCapacity = p.float("scale_in_ratio"), p.float("task_capacity")
	cfg.ScaleOutDatapoints, cfg.ScaleInDatapoints = p.int("scale_out_datapoints"), p.int("scale_in_datapoints")
	cfg.ScaleOutCooldown, cfg.ScaleInCooldown = p.seconds("scale_out_cooldown_seconds"), p.seconds("scale_in_cooldown_seconds")
	cfg.TaskStart, cfg.HealthCheckDelay = p.seconds("task_start_seconds"), p.seconds("health_check_delay_seconds")
	cfg.DeregistrationDelay = p.seconds("deregistration_delay_seconds")
	cfg.DisableScaleIn, _ = strconv.ParseBool(l["disable_scale_in"])
	s := fleetSetup{cfg: cfg, scale: p.float("time_scale")}
	if p.err != nil {
		return fleetSetup{}, p.err
	}
	if !(s.scale > 0) {
		return fleetSetup{}, fmt.Errorf("%s has time scale %v", fleetSettings, s.scale)
	}
	if err := cfg.Validate(); err != nil {
		return fleetSetup{}, err
	}
	return s, nil
}
