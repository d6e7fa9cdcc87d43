package fleet

import (
	"slices"
	"time"
)

// Activity is one change of the desired count.
type Activity struct {
	At    time.Duration `json:"at_ns"`
	From  int           `json:"from"`
	To    int           `json:"to"`
	Cause string        `json:"cause"`
}

// State is a snapshot of the service, in the terms ECS and CloudWatch use.
type State struct {
	Now      time.Duration `json:"now_ns"`
	Desired  int           `json:"desired_tasks"`
	Pending  int           `json:"pending_tasks"`
	Running  int           `json:"running_tasks"` // RUNNING and not draining
	Healthy  int           `json:"healthy_tasks"` // running and in the load balancer
	Draining int           `json:"draining_tasks"`
	// CPUUtilization and RequestsPerTarget are the latest datapoints:
	// average CPU percent, and requests per healthy task per minute.
	CPUUtilization    float64    `json:"cpu_utilization"`
	RequestsPerTarget float64    `json:"requests_per_target"`
	Datapoints        int        `json:"datapoints"`
	AlarmHigh         AlarmState `json:"alarm_high"`
	AlarmLow          AlarmState `json:"alarm_low"`
	// Cooldowns end at these times; zero when none is running.
	ScaleOutCooldownUntil time.Duration `json:"scale_out_cooldown_until_ns"`
	ScaleInCooldownUntil  time.Duration `json:"scale_in_cooldown_until_ns"`
	ScaleOuts             int           `json:"scale_outs"`
	ScaleIns              int           `json:"scale_ins"`
	LastActivity          *Activity     `json:"last_activity,omitempty"`
}

// traffic is what Observe reported, spread evenly over (from, to].
type traffic struct {
	from, to         time.Duration
	requests, served float64
}

// Model is one service. Build it with New.
type Model struct {
	cfg     Config
	now     time.Duration
	tasks   []Task
	nextID  int
	desired int

	period  period        // the datapoint being collected
	periodE time.Duration // when it closes
	history []datapoint   // closed datapoints, newest last
	lastRPT float64
	lastCPU float64
	high    AlarmState
	low     AlarmState
	load    *traffic

	outUntil, inUntil time.Duration
	outBase           int // running count before the scale-out that started the cooldown
	outs, ins         int
	activity          *Activity
}

// New validates cfg and returns a service at time 0 with Desired tasks
// already running and healthy.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, desired: cfg.Desired, periodE: cfg.DatapointPeriod(), high: InsufficientData, low: InsufficientData}
	for range cfg.Desired {
		m.nextID++
		m.tasks = append(m.tasks, Task{ID: m.nextID, Status: Running, Healthy: true})
	}
	return m, nil
}

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// Step advances virtual time to now, applying every task change, datapoint
// and scaling decision due on the way, in time order. Earlier times are
// ignored.
func (m *Model) Step(now time.Duration) {
	for {
		at := max(m.now, min(m.periodE, m.nextTaskEvent()))
		if at > now {
			break
		}
		m.integrate(at)
		m.transitionTasks(at)
		if at >= m.periodE {
			m.closePeriod(at)
		}
	}
	m.integrate(now)
	m.load = nil
}

// Observe reports the requests that reached the service since the previous
// call (Requests, which the load balancer counts) and how many of them the
// tasks served (which is what costs CPU), then steps to now. The traffic
// is taken as spread evenly over the interval, so a call spanning a minute
// boundary splits it between the two datapoints.
func (m *Model) Observe(now time.Duration, requests, served float64) {
	if now <= m.now {
		m.period.requests += requests
		m.period.served += served
		return
	}
	m.load = &traffic{from: m.now, to: now, requests: requests, served: served}
	m.Step(now)
}

// integrate accrues task time, and the share of observed traffic, up to t.
func (m *Model) integrate(t time.Duration) {
	if t <= m.now {
		return
	}
	dt := (t - m.now).Seconds()
	_, running, healthy, _ := m.count()
	m.period.taskSeconds += float64(running) * dt
	m.period.healthySeconds += float64(healthy) * dt
	if l := m.load; l != nil {
		share := float64(t-m.now) / float64(l.to-l.from)
		m.period.requests += l.requests * share
		m.period.served += l.served * share
	}
	m.now = t
}

// setDesired changes the desired count and launches or retires tasks.
func (m *Model) setDesired(now time.Duration, n int, cause string) {
	from := m.desired
	m.desired = n
	m.activity = &Activity{At: now, From: from, To: n, Cause: cause}
	if n > from {
		m.launch(now, n-from)
	} else {
		m.retire(now, from-n)
	}
	// Tasks that start with no delay are running at once.
	m.transitionTasks(now)
}

// State returns a snapshot at the model's current time. Call Step first to
// bring it up to date.
func (m *Model) State() State {
	pending, running, healthy, draining := m.count()
	s := State{
		Now: m.now, Desired: m.desired,
		Pending: pending, Running: running, Healthy: healthy, Draining: draining,
		CPUUtilization: m.lastCPU, RequestsPerTarget: m.lastRPT, Datapoints: len(m.history),
		AlarmHigh: m.high, AlarmLow: m.low,
		ScaleOutCooldownUntil: m.outUntil, ScaleInCooldownUntil: m.inUntil,
		ScaleOuts: m.outs, ScaleIns: m.ins,
	}
	if m.activity != nil {
		a := *m.activity
		s.LastActivity = &a
	}
	return s
}

// Tasks returns a copy of the service's tasks, oldest first.
func (m *Model) Tasks() []Task { return slices.Clone(m.tasks) }
