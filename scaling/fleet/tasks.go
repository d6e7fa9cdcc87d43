package fleet

import (
	"math"
	"time"
)

// TaskStatus is a task's ECS life-cycle status. Stopped tasks are dropped.
type TaskStatus string

// Task statuses. Draining is ECS RUNNING while the load balancer
// deregisters the task; it is reported apart because it takes no new
// requests and no longer counts toward the desired count.
const (
	Pending  TaskStatus = "PENDING"
	Running  TaskStatus = "RUNNING"
	Draining TaskStatus = "DRAINING"
)

// Task is one task of the service.
type Task struct {
	ID      int        `json:"id"`
	Status  TaskStatus `json:"status"`
	Healthy bool       `json:"healthy"` // registered and passed its first health check
	// RunningAt, HealthyAt and StopAt are when the task did or will change
	// status; StopAt is set once the task drains.
	RunningAt time.Duration `json:"running_at_ns"`
	HealthyAt time.Duration `json:"healthy_at_ns"`
	StopAt    time.Duration `json:"stop_at_ns,omitempty"`
}

// never is a time after any event.
const never = time.Duration(math.MaxInt64)

// next is when the task next changes, or never.
func (t Task) next() time.Duration {
	switch {
	case t.Status == Pending:
		return t.RunningAt
	case t.Status == Running && !t.Healthy:
		return t.HealthyAt
	case t.Status == Draining:
		return t.StopAt
	}
	return never
}

// transition applies every change due by now and reports whether the task
// still exists.
func (t *Task) transition(now time.Duration) bool {
	if t.Status == Pending && t.RunningAt <= now {
		t.Status = Running
	}
	if t.Status == Running && !t.Healthy && t.HealthyAt <= now {
		t.Healthy = true
	}
	return t.Status != Draining || t.StopAt > now
}

// launch adds n tasks at now.
func (m *Model) launch(now time.Duration, n int) {
	for range n {
		m.nextID++
		run := now + m.cfg.TaskStart
		m.tasks = append(m.tasks, Task{ID: m.nextID, Status: Pending, RunningAt: run, HealthyAt: run + m.cfg.HealthCheckDelay})
	}
}

// retire removes n tasks at now. It stops pending tasks first, as they
// serve nothing, then deregisters the newest running ones, which drain for
// the deregistration delay.
func (m *Model) retire(now time.Duration, n int) {
	for _, status := range []TaskStatus{Pending, Running} {
		for i := len(m.tasks) - 1; i >= 0 && n > 0; i-- {
			t := &m.tasks[i]
			if t.Status != status {
				continue
			}
			n--
			if status == Pending {
				m.tasks = append(m.tasks[:i], m.tasks[i+1:]...)
				continue
			}
			t.Status, t.Healthy, t.StopAt = Draining, false, now+m.cfg.DeregistrationDelay
		}
	}
}

// count tallies tasks by status.
func (m *Model) count() (pending, running, healthy, draining int) {
	for _, t := range m.tasks {
		switch t.Status {
		case Pending:
			pending++
		case Running:
			running++
			if t.Healthy {
				healthy++
			}
		case Draining:
			draining++
		}
	}
	return pending, running, healthy, draining
}

// nextTaskEvent is the earliest pending task change.
func (m *Model) nextTaskEvent() time.Duration {
	at := never
	for _, t := range m.tasks {
		at = min(at, t.next())
	}
	return at
}

// transitionTasks applies task changes due by now.
func (m *Model) transitionTasks(now time.Duration) {
	kept := m.tasks[:0]
	for _, t := range m.tasks {
		if t.transition(now) {
			kept = append(kept, t)
		}
	}
	m.tasks = kept
}
