package fleet

import (
	"math"
	"testing"
	"time"
)

const minute = time.Minute

// testConfig starts from the defaults with instant task start, so that
// tests about the policy see the new count at once.
func testConfig(edit func(*Config)) Config {
	c := DefaultConfig()
	c.Max, c.Desired = 20, 2
	c.TaskStart, c.HealthCheckDelay, c.DeregistrationDelay = 0, 0, 0
	if edit != nil {
		edit(&c)
	}
	return c
}

func newModel(t *testing.T, cfg Config) *Model {
	t.Helper()
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// segment holds the policy metric at value until the given time: CPU
// percent of the running tasks, or requests per healthy task per minute.
type segment struct {
	until time.Duration
	value float64
}

// drive feeds the model one virtual second at a time and records the state
// after each second, keyed by time.
func drive(m *Model, segs []segment) map[time.Duration]State {
	seen := map[time.Duration]State{0: m.State()}
	cfg := m.Config()
	for _, seg := range segs {
		for now := m.State().Now; now < seg.until; now += time.Second {
			s := m.State()
			var requests, served float64
			if cfg.UsesRequests() {
				requests = seg.value / 60 * float64(max(s.Healthy, 1))
				served = requests
			} else {
				served = seg.value / 100 * cfg.TaskCapacity * float64(s.Running)
				requests = served
			}
			m.Observe(now+time.Second, requests, served)
			seen[now+time.Second] = m.State()
		}
	}
	return seen
}

// firstActivity finds the earliest scaling activity in a drive's record.
func firstActivity(seen map[time.Duration]State, end time.Duration) *Activity {
	for at := time.Duration(0); at <= end; at += time.Second {
		if a := seen[at].LastActivity; a != nil {
			return a
		}
	}
	return nil
}

// perMinute turns one value per minute into segments.
func perMinute(values ...float64) []segment {
	segs := make([]segment, len(values))
	for i, v := range values {
		segs[i] = segment{time.Duration(i+1) * minute, v}
	}
	return segs
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestFirstActivity checks when the policy first acts, and what it does.
func TestFirstActivity(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*Config)
		segs    []segment
		wantAt  time.Duration // 0: no activity
		wantDes int
	}{
		{"3 of 3 above the target: 2 × 100/50", nil, perMinute(repeat(100, 5)...), 3 * minute, 4},
		{"2 above then 1 below: no alarm", nil, perMinute(100, 100, 40, 40, 40), 0, 2},
		{"a dip restarts the count", nil, perMinute(100, 100, 40, 100, 100, 100), 6 * minute, 4},
		{"proportional: 3 × 80/50 = 4.8, rounded up", func(c *Config) { c.Desired = 3 }, perMinute(repeat(80, 3)...), 3 * minute, 5},
		{"at the target: nothing", nil, perMinute(repeat(50, 20)...), 0, 2},
		{"clamped to max", func(c *Config) { c.Max = 3 }, perMinute(repeat(100, 3)...), 3 * minute, 3},
		{"15 of 15 below: scale in", func(c *Config) { c.Desired = 4 }, perMinute(repeat(10, 16)...), 15 * minute, 1},
		{"14 below then one above: none", func(c *Config) { c.Desired = 4 }, perMinute(append(repeat(10, 14), 48, 10)...), 0, 4},
		{"below target but above 90% of it: none", func(c *Config) { c.Desired = 4 }, perMinute(repeat(46, 20)...), 0, 4},
		{"clamped to min", func(c *Config) { c.Desired, c.Min = 4, 3 }, perMinute(repeat(0, 15)...), 15 * minute, 3},
		{"scale-in disabled", func(c *Config) { c.Desired, c.DisableScaleIn = 4, true }, perMinute(repeat(0, 40)...), 0, 4},
		{"requests per target: 2 × 1500/600", func(c *Config) { c.TargetRequestsPerTask = 600 }, perMinute(repeat(1500, 3)...), 3 * minute, 5},
		{"woken from zero by requests", func(c *Config) { c.Min, c.Desired, c.TargetRequestsPerTask = 0, 0, 100 }, perMinute(repeat(300, 3)...), 3 * minute, 3},
		{"custom datapoints: 1 to scale out", func(c *Config) { c.ScaleOutDatapoints = 1 }, perMinute(100), minute, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := drive(newModel(t, testConfig(tt.edit)), tt.segs)
			a := firstActivity(seen, tt.segs[len(tt.segs)-1].until)
			switch {
			case tt.wantAt == 0 && a != nil:
				t.Fatalf("unexpected activity %+v", *a)
			case tt.wantAt != 0 && (a == nil || a.At != tt.wantAt || a.To != tt.wantDes):
				t.Fatalf("first activity %+v, want to %d at %v", a, tt.wantDes, tt.wantAt)
			}
		})
	}
}

func TestCooldowns(t *testing.T) {
	type check struct {
		at      time.Duration
		desired int
	}
	tests := []struct {
		name   string
		edit   func(*Config)
		segs   []segment
		checks []check
	}{
		{
			name: "scale-out cooldown blocks a scale-out that is not larger",
			edit: func(c *Config) { c.TaskStart = 2 * minute },
			segs: []segment{{3 * minute, 100}, {20 * minute, 60}},
			// 2→4 at 3m; the new tasks run from 5m. Until then 60% of the
			// 2 running asks for 3, not more than 4.
			checks: []check{{3 * minute, 4}, {4 * minute, 4}, {5*minute - time.Second, 4}},
		},
		{
			name: "target tracking scales out again inside the cooldown once the new tasks run",
			edit: func(c *Config) { c.TaskStart = 90 * time.Second },
			segs: []segment{{3 * minute, 100}, {20 * minute, 100}},
			// 2→4 at 3m, running from 4m30s; the minute to 5m still reads
			// 100%, so 4×2 = 8 at 5m, inside the 5-minute cooldown, not
			// at 8m: a saturated service is not held to doubling every
			// cooldown.
			checks: []check{{3 * minute, 4}, {5*minute - time.Second, 4}, {5 * minute, 8}},
		},
		{
			name: "a larger scale-out goes through inside the cooldown",
			edit: func(c *Config) { c.Desired, c.TargetRequestsPerTask = 1, 100 },
			segs: []segment{{3 * minute, 300}, {10 * minute, 500}},
			// 1→3 at 3m; then 500 per target over the 3 running: 3×5 = 15
			// > 3, at once.
			checks: []check{{3 * minute, 3}, {4*minute - time.Second, 3}, {4 * minute, 15}},
		},
		{
			name: "scale-in cooldown spaces scale-ins",
			edit: func(c *Config) { c.Desired, c.Min = 8, 1 },
			segs: []segment{{30 * minute, 20}},
			// 8×0.4 → 4 at 15m; 4×0.4 → 2 only at 20m; 2×0.4 → 1 at 25m.
			checks: []check{{15 * minute, 4}, {20*minute - time.Second, 4}, {20 * minute, 2}, {25 * minute, 1}},
		},
		{
			name:   "no cooldowns: every datapoint may act",
			edit:   func(c *Config) { c.Desired, c.ScaleInCooldown = 8, 0 },
			segs:   []segment{{18 * minute, 20}},
			checks: []check{{15 * minute, 4}, {16 * minute, 2}, {17 * minute, 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := drive(newModel(t, testConfig(tt.edit)), tt.segs)
			for _, c := range tt.checks {
				if got := seen[c.at].Desired; got != c.desired {
					t.Errorf("at %v: desired %d, want %d", c.at, got, c.desired)
				}
			}
		})
	}
}

// TestScaleOutCancelsScaleInCooldown: after a scale-in, a scale-out alarm
// acts at once and clears the scale-in cooldown.
func TestScaleOutCancelsScaleInCooldown(t *testing.T) {
	m := newModel(t, testConfig(func(c *Config) { c.Desired = 8 }))
	seen := drive(m, []segment{{15 * minute, 20}, {18 * minute, 100}})
	in, out := seen[15*minute], seen[18*minute]
	if in.Desired != 4 || in.ScaleInCooldownUntil != 20*minute {
		t.Fatalf("after scale-in: desired %d, cooldown until %v", in.Desired, in.ScaleInCooldownUntil)
	}
	if out.Desired != 8 || out.ScaleInCooldownUntil != 0 || out.ScaleOutCooldownUntil != 23*minute {
		t.Fatalf("after scale-out: %+v", out)
	}
}

func TestTaskLifecycle(t *testing.T) {
	cfg := testConfig(func(c *Config) {
		c.TaskStart, c.HealthCheckDelay, c.DeregistrationDelay = 90*time.Second, 30*time.Second, 300*time.Second
	})
	m := newModel(t, cfg)
	// Scale out 2→4 at 3m, then idle until the scale-in at 18m + 15m.
	seen := drive(m, []segment{{4 * minute, 100}, {40 * minute, 0}})
	tests := []struct {
		at                                        time.Duration
		desired, pending, running, healthy, drain int
	}{
		{3*minute - time.Second, 2, 0, 2, 2, 0},
		{3 * minute, 4, 2, 2, 2, 0},
		{4*minute + 29*time.Second, 4, 2, 2, 2, 0},
		{4*minute + 30*time.Second, 4, 0, 4, 2, 0}, // running after 90 s
		{5 * minute, 4, 0, 4, 4, 0},                // healthy 30 s later
		{19 * minute, 1, 0, 1, 1, 3},               // scale-in: 15 low minutes from 4m
		{24*minute - time.Second, 1, 0, 1, 1, 3},   // draining for 300 s
		{24 * minute, 1, 0, 1, 1, 0},
	}
	for _, tt := range tests {
		s := seen[tt.at]
		got := [5]int{s.Desired, s.Pending, s.Running, s.Healthy, s.Draining}
		if want := [5]int{tt.desired, tt.pending, tt.running, tt.healthy, tt.drain}; got != want {
			t.Errorf("at %v: desired/pending/running/healthy/draining = %v, want %v", tt.at, got, want)
		}
	}
}

// TestStepWorkedExample is AWS's step-scaling example: threshold 50,
// capacity 10, metric 60 → 11, 70 → 14, 40 → 13, 30 → 10.
func TestStepWorkedExample(t *testing.T) {
	m := newModel(t, testConfig(func(c *Config) {
		c.Policy, c.Desired, c.Max = StepScaling, 10, 100
		c.ScaleOutDatapoints, c.ScaleInDatapoints = 1, 1
		c.ScaleOutCooldown, c.ScaleInCooldown = 0, 0
	}))
	seen := drive(m, perMinute(60, 70, 40, 30))
	for i, want := range []int{11, 14, 13, 10} {
		if got := seen[time.Duration(i+1)*minute].Desired; got != want {
			t.Errorf("minute %d: desired %d, want %d", i+1, got, want)
		}
	}
}

// TestStepCooldown is AWS's example: +2 in progress, the alarm fires again
// asking for +3 inside the cooldown, and only 1 more is added.
func TestStepCooldown(t *testing.T) {
	inf := math.Inf(1)
	m := newModel(t, testConfig(func(c *Config) {
		c.Policy, c.Desired, c.ScaleOutDatapoints = StepScaling, 10, 1
		c.Step = StepConfig{AdjustmentType: ChangeInCapacity, Adjustments: []StepAdjustment{
			{-inf, 0, 0}, {0, 20, 2}, {20, inf, 3},
		}}
	}))
	seen := drive(m, perMinute(60, 75, 75))
	if a, b := seen[minute].Desired, seen[2*minute].Desired; a != 12 || b != 13 {
		t.Fatalf("desired %d then %d, want 12 then 13", a, b)
	}
}

func TestPercentRounding(t *testing.T) {
	tests := []struct {
		capacity int
		pct      float64
		minMag   int
		want     int
	}{
		{10, 10, 0, 1}, {11, 30, 0, 3}, {14, -10, 0, -1}, {13, -30, 0, -3},
		{2, 10, 0, 1}, {2, -10, 0, -1}, {20, 25, 0, 5}, {4, 50, 3, 3}, {4, -50, 3, -3}, {4, 0, 3, 0},
	}
	for _, tt := range tests {
		s := StepConfig{AdjustmentType: PercentChangeInCapacity, MinAdjustmentMagnitude: tt.minMag}
		if got := s.percent(tt.capacity, tt.pct); got != tt.want {
			t.Errorf("%d%% of %d (min %d) = %d, want %d", int(tt.pct), tt.capacity, tt.minMag, got, tt.want)
		}
	}
}

// TestObserveSplitsAcrossMinutes: traffic reported over an interval that
// spans a datapoint boundary is shared between the two datapoints.
func TestObserveSplitsAcrossMinutes(t *testing.T) {
	m := newModel(t, testConfig(func(c *Config) { c.Desired = 1 }))
	m.Observe(30*time.Second, 0, 0)
	m.Observe(90*time.Second, 120, 120) // 60 before the boundary
	if s := m.State(); s.RequestsPerTarget != 60 || s.Datapoints != 1 {
		t.Fatalf("first datapoint %v requests per target (%d datapoints), want 60", s.RequestsPerTarget, s.Datapoints)
	}
	m.Step(2 * minute)
	want := 100 * 60 / DefaultConfig().TaskCapacity / 60
	if s := m.State(); s.RequestsPerTarget != 60 || math.Abs(s.CPUUtilization-want) > 1e-9 {
		t.Fatalf("second datapoint: %v per target, %v%% CPU; want 60 and %v", s.RequestsPerTarget, s.CPUUtilization, want)
	}
}

func TestAlarmStates(t *testing.T) {
	m := newModel(t, testConfig(nil))
	if s := m.State(); s.AlarmHigh != InsufficientData || s.AlarmLow != InsufficientData {
		t.Fatalf("at start: %v/%v, want INSUFFICIENT_DATA", s.AlarmHigh, s.AlarmLow)
	}
	seen := drive(m, perMinute(repeat(50, 15)...))
	if s := seen[3*minute]; s.AlarmHigh != OK || s.AlarmLow != InsufficientData {
		t.Fatalf("after 3 minutes: %v/%v, want OK/INSUFFICIENT_DATA", s.AlarmHigh, s.AlarmLow)
	}
	if s := seen[15*minute]; s.AlarmLow != OK {
		t.Fatalf("after 15 minutes at the target: low alarm %v, want OK", s.AlarmLow)
	}
}
