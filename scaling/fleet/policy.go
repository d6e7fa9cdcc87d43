package fleet

import (
	"math"
	"time"
)

// AlarmState is a CloudWatch alarm state.
type AlarmState string

// Alarm states.
const (
	OK               AlarmState = "OK"
	Alarm            AlarmState = "ALARM"
	InsufficientData AlarmState = "INSUFFICIENT_DATA"
)

// period collects one minute of observations.
type period struct {
	requests, served            float64
	taskSeconds, healthySeconds float64
}

// datapoint is the policy metric for one period; ok is false when
// CloudWatch would have had no value (no running task to average CPU over).
type datapoint struct {
	value float64
	ok    bool
}

// closePeriod turns the finished minute into datapoints, updates the
// alarms and lets the policy act.
func (m *Model) closePeriod(now time.Duration) {
	p := m.period
	m.period = period{}
	m.periodE += m.cfg.DatapointPeriod()
	cpu := datapoint{}
	if p.taskSeconds > 0 {
		// Each served request costs 1/TaskCapacity of a task-second.
		cpu = datapoint{math.Min(100, 100*p.served/m.cfg.TaskCapacity/p.taskSeconds), true}
		m.lastCPU = cpu.value
	}
	// ALBRequestCountPerTarget: requests over the average number of
	// healthy targets. With none, count every request against one target
	// so that a service scaled to zero can still be woken by traffic.
	m.lastRPT = p.requests / max(1, p.healthySeconds/m.cfg.DatapointPeriod().Seconds())
	dp := cpu
	if m.cfg.UsesRequests() {
		dp = datapoint{m.lastRPT, true}
	}
	keep := max(m.cfg.ScaleOutDatapoints, m.cfg.ScaleInDatapoints)
	m.history = append(m.history, dp)
	if len(m.history) > keep {
		m.history = m.history[len(m.history)-keep:]
	}
	m.evaluateAlarms()
	m.decide(now, dp)
}

// thresholds returns the alarm thresholds: target tracking scales in
// below a lower threshold; a step policy has one threshold for both.
func (m *Model) thresholds() (high, low float64) {
	t := m.cfg.Target()
	if m.cfg.Policy == StepScaling {
		return t, t
	}
	return t, t * m.cfg.ScaleInRatio
}

func (m *Model) evaluateAlarms() {
	high, low := m.thresholds()
	m.high = m.alarm(m.cfg.ScaleOutDatapoints, func(v float64) bool { return v > high })
	m.low = m.alarm(m.cfg.ScaleInDatapoints, func(v float64) bool { return v < low })
}

// alarm is ALARM when the last n datapoints all breach. A missing
// datapoint does not breach.
func (m *Model) alarm(n int, breaching func(float64) bool) AlarmState {
	if len(m.history) < n {
		return InsufficientData
	}
	for _, dp := range m.history[len(m.history)-n:] {
		if !dp.ok || !breaching(dp.value) {
			return OK
		}
	}
	return Alarm
}

// decide runs the policy. An alarm that stays in ALARM invokes it again
// at every datapoint, which is what makes scale-in repeat once per
// cooldown while the load stays low.
func (m *Model) decide(now time.Duration, dp datapoint) {
	switch {
	case m.high == Alarm:
		m.scaleOut(now, dp.value)
	case m.low == Alarm && !m.cfg.DisableScaleIn:
		m.scaleIn(now, dp.value)
	}
}

// scaleOut computes from the running count, as Application Auto Scaling
// does for ECS, and inside the scale-out cooldown acts only when it asks
// for more than the desired count already is: the capacity the last
// scale-out added counts toward the answer, and only a larger scale-out
// goes through. Target tracking's answer is a capacity, computed from the
// tasks running now: once the added tasks run and the metric still
// breaches, it asks for more at once (tasks still starting are not
// counted, so it does not ask twice for them). A step policy's answer is
// a change, so inside the cooldown it is applied to the count before the
// scale-out that started it: AWS's "+2 in progress, +3 asked, 1 added".
func (m *Model) scaleOut(now time.Duration, v float64) {
	_, running, _, _ := m.count()
	inCooldown := now < m.outUntil
	base := running
	if inCooldown && m.cfg.Policy == StepScaling {
		base = m.outBase
	}
	want := m.clamp(m.propose(base, v))
	if want <= m.desired {
		return
	}
	if !inCooldown {
		m.outBase = base
	}
	m.outUntil = now + m.cfg.ScaleOutCooldown
	m.inUntil = 0 // a scale-out cancels the scale-in cooldown
	m.outs++
	m.setDesired(now, want, "scale-out")
}

func (m *Model) scaleIn(now time.Duration, v float64) {
	if now < m.inUntil {
		return
	}
	_, running, _, _ := m.count()
	want := m.clamp(m.propose(running, v))
	if want >= m.desired {
		return
	}
	m.inUntil = now + m.cfg.ScaleInCooldown
	m.ins++
	m.setDesired(now, want, "scale-in")
}

func (m *Model) clamp(n int) int { return min(max(n, m.cfg.Min), m.cfg.Max) }

// propose is the capacity the policy asks for given capacity and metric.
func (m *Model) propose(capacity int, v float64) int {
	if m.cfg.Policy == StepScaling {
		return m.cfg.Step.apply(capacity, v-m.cfg.Target())
	}
	// Target tracking: proportional, rounded up so the service is never
	// left short. The epsilon keeps 2×75/50 = 3 from becoming 4.
	return int(math.Ceil(float64(max(capacity, 1))*v/m.cfg.Target() - 1e-9))
}

// apply picks the step for a breach of diff and applies it to capacity.
func (s StepConfig) apply(capacity int, diff float64) int {
	for _, st := range s.Adjustments {
		above := diff >= 0 && st.Lower <= diff && diff < st.Upper
		below := diff < 0 && st.Lower < diff && diff <= st.Upper
		if above || below {
			return s.adjust(capacity, st.Adjustment)
		}
	}
	return capacity
}

func (s StepConfig) adjust(capacity int, adj float64) int {
	switch s.AdjustmentType {
	case ExactCapacity:
		return int(adj)
	case PercentChangeInCapacity:
		return capacity + s.percent(capacity, adj)
	}
	return capacity + int(adj)
}

// percent rounds a percent change as Application Auto Scaling does:
// changes of more than one task round toward zero, fractions of one round
// away from zero, and MinAdjustmentMagnitude sets a floor.
func (s StepConfig) percent(capacity int, adj float64) int {
	d := float64(capacity) * adj / 100
	var n int
	switch {
	case d == 0:
		return 0
	case d > 0 && d < 1:
		n = 1
	case d < 0 && d > -1:
		n = -1
	default:
		n = int(d) // truncation is toward zero
	}
	if m := s.MinAdjustmentMagnitude; m > 0 && abs(n) < m {
		n = m * n / abs(n)
	}
	return n
}

func abs(n int) int { return max(n, -n) }
