package plan

import (
	"fmt"
	"math"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
)

// FleetTick is how often the planner reports traffic to the model and
// re-routes, as the fleet emulator does (every 100 ms).
const FleetTick = 100 * time.Millisecond

// DefaultQueueTimeout is the fleet emulator's default: the longest a
// request waits for a saturated task before it is refused.
const DefaultQueueTimeout = time.Second

// FleetSecond is one second of a fleet plan; task counts are at its end.
type FleetSecond struct {
	T           int     `json:"t"`
	Arrivals    int64   `json:"arrivals"`
	TasksNeeded int     `json:"tasks_needed"`
	Served      int64   `json:"served"`
	Rejected    int64   `json:"rejected"` // answered 503: no healthy task, or its queue full
	Desired     int     `json:"desired_tasks"`
	Pending     int     `json:"pending_tasks"`
	Running     int     `json:"running_tasks"`
	Healthy     int     `json:"healthy_tasks"`
	Draining    int     `json:"draining_tasks"`
	CPU         float64 `json:"cpu_utilization"` // the latest datapoint
}

// FleetSummary sums a fleet plan. Times are seconds from the start; -1
// when the event did not happen.
type FleetSummary struct {
	Arrivals        int64            `json:"arrivals"`
	Served          int64            `json:"served"`
	Rejected        int64            `json:"rejected"`
	PeakTasksNeeded int              `json:"peak_tasks_needed"`
	PeakDesired     int              `json:"peak_desired_tasks"`
	Activities      []fleet.Activity `json:"activities"`
	// ScaleOut runs from the first second the load needed more tasks
	// than were healthy to the first second enough were (at the target,
	// within min and max); Until is -1 if the load fell first.
	ScaleOut Span `json:"scale_out"`
	// ScaleIn runs from the first second after the scale-out in which the
	// load fell, to the last scale-in.
	ScaleIn Span `json:"scale_in"`
}

// MaxSettle bounds how long a fleet plan runs on without load after the
// profile, waiting for the service to scale in: the 15 low datapoints and
// a few scale-in cooldowns take well under an hour with AWS's defaults.
const MaxSettle = time.Hour

// settled: at the minimum, or scale-in disabled, and nothing starting or
// draining.
func settled(sec FleetSecond, cfg fleet.Config) bool {
	return (sec.Desired <= cfg.Min || cfg.DisableScaleIn) && sec.Pending == 0 && sec.Draining == 0
}

// FleetPlan is the prediction for one service under one profile.
type FleetPlan struct {
	// ProfileSeconds is the profile's length; the seconds after it ran
	// without load while the service settled.
	ProfileSeconds int          `json:"profile_seconds"`
	Config         fleet.Config `json:"-"`
	// Settings is Config as the JSON document shows it.
	Settings     FleetSettings `json:"config"`
	QueueTimeout time.Duration `json:"queue_timeout_ns"`
	Seconds      []FleetSecond `json:"seconds"`
	Summary      FleetSummary  `json:"summary"`
}

// FleetSettings are the settings a fleet plan ran with, named as in the
// rest of the document.
type FleetSettings struct {
	Min                   int           `json:"min_tasks"`
	Max                   int           `json:"max_tasks"`
	Desired               int           `json:"desired_tasks"`
	Policy                fleet.Policy  `json:"policy"`
	TargetCPU             float64       `json:"target_cpu"`
	TargetRequestsPerTask float64       `json:"target_requests_per_task"`
	ScaleInRatio          float64       `json:"scale_in_ratio"`
	TaskCapacity          float64       `json:"task_capacity"`
	ScaleOutDatapoints    int           `json:"scale_out_datapoints"`
	ScaleInDatapoints     int           `json:"scale_in_datapoints"`
	ScaleOutCooldown      time.Duration `json:"scale_out_cooldown_ns"`
	ScaleInCooldown       time.Duration `json:"scale_in_cooldown_ns"`
	TaskStart             time.Duration `json:"task_start_ns"`
	HealthCheckDelay      time.Duration `json:"health_check_delay_ns"`
	DeregistrationDelay   time.Duration `json:"deregistration_delay_ns"`
	DisableScaleIn        bool          `json:"disable_scale_in"`
	Period                time.Duration `json:"metric_period_ns"`
}

func settingsOf(c fleet.Config) FleetSettings {
	return FleetSettings{Min: c.Min, Max: c.Max, Desired: c.Desired, Policy: c.Policy, TargetCPU: c.TargetCPU,
		TargetRequestsPerTask: c.TargetRequestsPerTask, ScaleInRatio: c.ScaleInRatio, TaskCapacity: c.TaskCapacity,
		ScaleOutDatapoints: c.ScaleOutDatapoints, ScaleInDatapoints: c.ScaleInDatapoints,
		ScaleOutCooldown: c.ScaleOutCooldown, ScaleInCooldown: c.ScaleInCooldown, TaskStart: c.TaskStart,
		HealthCheckDelay: c.HealthCheckDelay, DeregistrationDelay: c.DeregistrationDelay,
		DisableScaleIn: c.DisableScaleIn, Period: c.DatapointPeriod()}
}

// PlanFleet runs the profile through the service's model, as the fleet
// emulator serves it: every FleetTick the traffic is reported and the
// healthy tasks re-read; each healthy task serves TaskCapacity requests a
// second and queues up to queueTimeout of work, refusing the rest.
func PlanFleet(p Profile, cfg fleet.Config, queueTimeout time.Duration) (*FleetPlan, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if queueTimeout < 0 {
		return nil, fmt.Errorf("queue timeout %v must not be negative", queueTimeout)
	}
	m, err := fleet.New(cfg)
	if err != nil {
		return nil, err
	}
	r := &fleetRun{m: m, cfg: cfg, queue: queueTimeout.Seconds()}
	out := &FleetPlan{Config: cfg, Settings: settingsOf(cfg), QueueTimeout: queueTimeout}
	for s, n := range p.Arrivals {
		out.Seconds = append(out.Seconds, r.second(s, n))
	}
	// Run on without load until the service has settled, so that a
	// profile that ends at its peak still shows the scale-in.
	for s := p.Seconds(); s < p.Seconds()+int(MaxSettle/time.Second) && !settled(out.Seconds[s-1], cfg); s++ {
		out.Seconds = append(out.Seconds, r.second(s, 0))
	}
	out.ProfileSeconds = p.Seconds()
	out.Summary = summarizeFleet(out.Seconds, r.activities, cfg)
	return out, nil
}

// fleetRun serves the profile as a fluid: per tick, the healthy tasks'
// capacity and the room left in their queues decide what is admitted.
type fleetRun struct {
	m          *fleet.Model
	cfg        fleet.Config
	queue      float64 // seconds of work a task may hold
	backlog    float64 // admitted requests not yet served
	activities []fleet.Activity
}

func (r *fleetRun) second(s int, n int64) FleetSecond {
	out := FleetSecond{T: s, Arrivals: n, TasksNeeded: r.cfg.TasksNeeded(float64(n))}
	ticks := int(time.Second / FleetTick)
	var served float64
	for j := range ticks {
		now := time.Duration(s)*time.Second + time.Duration(j+1)*FleetTick
		a := float64(n) / float64(ticks)
		admitted := r.admit(a)
		served += admitted
		r.m.Observe(now, a, admitted)
		r.noteActivity()
	}
	out.Served = int64(math.Round(served))
	out.Rejected = n - out.Served
	st := r.m.State()
	out.Desired, out.Pending, out.Running, out.Healthy, out.Draining = st.Desired, st.Pending, st.Running, st.Healthy, st.Draining
	out.CPU = st.CPUUtilization
	return out
}

// admit is what the healthy tasks accept of a arrivals in one tick.
func (r *fleetRun) admit(a float64) float64 {
	healthy := float64(r.m.State().Healthy)
	work := healthy * r.cfg.TaskCapacity * FleetTick.Seconds()
	room := healthy * r.cfg.TaskCapacity * r.queue
	r.backlog = min(r.backlog, room)
	admitted := min(a, max(0, room-r.backlog+work))
	r.backlog = max(0, r.backlog+admitted-work)
	return admitted
}

func (r *fleetRun) noteActivity() {
	a := r.m.State().LastActivity
	if a == nil {
		return
	}
	if n := len(r.activities); n == 0 || r.activities[n-1] != *a {
		r.activities = append(r.activities, *a)
	}
}

func summarizeFleet(secs []FleetSecond, acts []fleet.Activity, cfg fleet.Config) FleetSummary {
	s := FleetSummary{Activities: acts, ScaleOut: Never, ScaleIn: Never}
	for _, sec := range secs {
		s.Arrivals += sec.Arrivals
		s.Served += sec.Served
		s.Rejected += sec.Rejected
		s.PeakTasksNeeded = max(s.PeakTasksNeeded, sec.TasksNeeded)
		s.PeakDesired = max(s.PeakDesired, sec.Desired)
	}
	s.ScaleOut = scaleOutSpan(secs, cfg)
	s.ScaleIn = scaleInSpan(secs, acts, s.ScaleOut)
	return s
}

// scaleOutSpan: from the first second needing more tasks than were
// healthy to the first second with as many healthy tasks as the highest
// need since (within min and max). If the load falls before the tasks
// catch up, the span has begun but has no end (Until is -1).
func scaleOutSpan(secs []FleetSecond, cfg fleet.Config) Span {
	need := func(sec FleetSecond) int { return min(max(sec.TasksNeeded, cfg.Min), cfg.Max) }
	span, peak := Never, 0
	for i, sec := range secs {
		if span.From < 0 {
			prev := cfg.Desired
			if i > 0 {
				prev = secs[i-1].Healthy
			}
			if need(sec) > prev {
				span.From, peak = sec.T, need(sec)
			}
			continue
		}
		peak = max(peak, need(sec))
		if sec.Healthy >= peak {
			span.Until = sec.T + 1
			return span
		}
	}
	return span
}

// scaleInSpan: from the first drop in load after the scale-out to the
// last scale-in activity.
func scaleInSpan(secs []FleetSecond, acts []fleet.Activity, out Span) Span {
	span := Never
	if out.From < 0 {
		return span
	}
	from := out.Until
	if from < 0 { // the load fell before the scale-out caught up
		from = out.From + 1
	}
	for i := from; i < len(secs) && i > 0; i++ {
		if secs[i].TasksNeeded < secs[i-1].TasksNeeded {
			span.From = secs[i].T
			break
		}
	}
	for _, a := range acts {
		if a.Cause == "scale-in" && span.From >= 0 && a.At >= time.Duration(span.From)*time.Second {
			span.Until = int(math.Ceil(a.At.Seconds()))
		}
	}
	if span.Until < 0 {
		span.From = -1
	}
	return span
}
