package lambda

import (
	"testing"
	"time"
)

func newModel(t testing.TB, edit func(*Config)) *Model {
	t.Helper()
	cfg := DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// burst sends n invocations at the same instant and keeps every admitted one
// running. It returns the environments it got and the throttles by cause.
func burst(m *Model, now time.Duration, n int) (envs []*Env, throttled ThrottleCounts) {
	for range n {
		env, _, thr := m.Acquire(now)
		if thr != None {
			throttled.add(thr)
			continue
		}
		envs = append(envs, env)
	}
	return envs, throttled
}

// TestScalingRate holds demand at a fixed number of concurrent executions
// and checks how many environments exist at each step, and that exactly the
// requests above what scaling allows were throttled, with the right cause.
func TestScalingRate(t *testing.T) {
	type step struct {
		at       time.Duration
		wantBusy int
	}
	tests := []struct {
		name   string
		edit   func(*Config)
		demand int
		cause  Throttle
		steps  []step
	}{
		{
			name:   "current: 1,000 at once, then 1,000 per 10 s",
			edit:   func(c *Config) { c.AccountConcurrency = 5000 },
			demand: 3000, cause: ScalingRate,
			steps: []step{{0, 1000}, {10 * time.Second, 2000}, {20 * time.Second, 3000}, {30 * time.Second, 3000}},
		},
		{
			name:   "current: refill is continuous",
			edit:   func(c *Config) { c.AccountConcurrency = 5000 },
			demand: 3000, cause: ScalingRate,
			steps: []step{{0, 1000}, {2500 * time.Millisecond, 1250}, {5 * time.Second, 1500}, {10 * time.Second, 2000}},
		},
		{
			name:   "legacy: burst of 3,000, then 500 a minute while requests are refused",
			edit:   func(c *Config) { c.AccountConcurrency = 10000; c.ScalingModel = Legacy },
			demand: 5000, cause: ScalingRate,
			steps: []step{{0, 3000}, {30 * time.Second, 3000}, {time.Minute, 3500}, {2 * time.Minute, 4000}, {3 * time.Minute, 4500}},
		},
		{
			name:   "legacy: burst of 500",
			edit:   func(c *Config) { c.AccountConcurrency = 10000; c.ScalingModel = Legacy; c.Burst = 500 },
			demand: 2000, cause: ScalingRate,
			steps: []step{{0, 500}, {time.Minute, 1000}, {2 * time.Minute, 1500}},
		},
		{
			name:   "legacy: burst capped by the account limit",
			edit:   func(c *Config) { c.ScalingModel = Legacy },
			demand: 3000, cause: AccountConcurrency,
			steps: []step{{0, 1000}, {time.Minute, 1000}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, tt.edit)
			var busy int
			for _, s := range tt.steps {
				envs, thr := burst(m, s.at, tt.demand-busy)
				busy += len(envs)
				if busy != s.wantBusy {
					t.Fatalf("at %v: %d busy, want %d", s.at, busy, s.wantBusy)
				}
				if got, want := thr.Of(tt.cause), uint64(tt.demand-busy); got != want || thr.Total() != want {
					t.Fatalf("at %v: throttles %+v, want %d of %v", s.at, thr, want, tt.cause)
				}
			}
		})
	}
}

// TestScalingHeadroomDoesNotAccrue checks AWS's "unused scaling rate does
// not accrue": a function idle for a minute still gets only 1,000 at once.
func TestScalingHeadroomDoesNotAccrue(t *testing.T) {
	m := newModel(t, func(c *Config) { c.AccountConcurrency = 5000 })
	envs, _ := burst(m, time.Minute, 3000)
	if len(envs) != CurrentScaleStep {
		t.Fatalf("got %d environments after a quiet minute, want %d", len(envs), CurrentScaleStep)
	}
	s := m.Snapshot(time.Minute)
	if s.ScalingHeadroom != 0 || s.ScalingLimit != 1000 {
		t.Fatalf("headroom %d, scaling limit %d; want 0 and 1000", s.ScalingHeadroom, s.ScalingLimit)
	}
	if s = m.Snapshot(time.Minute + 4*time.Second); s.ScalingHeadroom != 400 || s.ScalingLimit != 1400 {
		t.Fatalf("4 s later: headroom %d, scaling limit %d; want 400 and 1400", s.ScalingHeadroom, s.ScalingLimit)
	}
}

// TestLegacyWorkedExample is AWS's operator-guide example: 10,000 requests
// all at once, account limit 10,000, burst 3,000.
func TestLegacyWorkedExample(t *testing.T) {
	m := newModel(t, func(c *Config) { c.AccountConcurrency = 10000; c.ScalingModel = Legacy })
	envs, thr := burst(m, 0, 10000)
	if len(envs) != 3000 || thr.ScalingRate != 7000 {
		t.Fatalf("served %d, throttled %+v; want 3000 served and 7000 throttled", len(envs), thr)
	}
}

func TestConcurrencyLimits(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*Config)
		requests int
		wantBusy int
		cause    Throttle
	}{
		{"account limit", nil, 1200, 1000, AccountConcurrency},
		{"reserved caps the function", func(c *Config) { c.ReservedConcurrency = 50 }, 80, 50, ReservedConcurrency},
		{"provisioned counts against reserved", func(c *Config) {
			c.ReservedConcurrency, c.ProvisionedConcurrency = 120, 100
		}, 150, 120, ReservedConcurrency},
		{"small account", func(c *Config) { c.AccountConcurrency = 20 }, 30, 20, AccountConcurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, tt.edit)
			envs, thr := burst(m, 0, tt.requests)
			if len(envs) != tt.wantBusy {
				t.Fatalf("%d admitted, want %d", len(envs), tt.wantBusy)
			}
			want := uint64(tt.requests - tt.wantBusy)
			if thr.Of(tt.cause) != want || thr.Total() != want {
				t.Fatalf("throttles %+v, want %d of %v", thr, want, tt.cause)
			}
			s := m.Snapshot(0)
			if s.Throttles != thr || s.Invocations != uint64(tt.wantBusy) || s.ConcurrentExecutions != tt.wantBusy {
				t.Fatalf("snapshot %+v disagrees with %d admitted and throttles %+v", s, tt.wantBusy, thr)
			}
		})
	}
}

func TestProvisionedConcurrency(t *testing.T) {
	m := newModel(t, func(c *Config) { c.AccountConcurrency, c.ProvisionedConcurrency = 2000, 500 })
	if s := m.Snapshot(0); s.Environments != 500 || s.Provisioned != 500 || s.Idle != 500 {
		t.Fatalf("before traffic: %+v, want 500 idle provisioned environments", s)
	}
	var warm, cold int
	for range 1500 {
		env, isCold, thr := m.Acquire(0)
		if thr != None {
			t.Fatalf("throttled (%v) below the account limit", thr)
		}
		if isCold == env.Provisioned() {
			t.Fatalf("environment %d: provisioned=%v but cold=%v", env.ID(), env.Provisioned(), isCold)
		}
		if isCold {
			cold++
		} else {
			warm++
		}
	}
	// The provisioned 500 take no scaling headroom: the 1,000 new ones fit.
	s := m.Snapshot(0)
	if warm != 500 || cold != 1000 || s.ColdStarts != 1000 || s.Spillover != 1000 {
		t.Fatalf("warm %d cold %d, snapshot %+v; want 500 warm, 1000 cold and spillover", warm, cold, s)
	}
	if want := 1000 * DefaultConfig().InitDuration; s.InitDuration != want {
		t.Fatalf("init duration sum %v, want %v", s.InitDuration, want)
	}
}

func TestIdleExpiry(t *testing.T) {
	m := newModel(t, func(c *Config) { c.IdleExpiry = 5 * time.Minute; c.ProvisionedConcurrency = 2 })
	envs, _ := burst(m, 0, 12) // 2 provisioned + 10 on demand
	for i, e := range envs {
		m.Release(time.Minute+time.Duration(i/7)*2*time.Minute, e) // 7 at 1m, 5 at 3m
	}
	tests := []struct {
		at   time.Duration
		want int
	}{
		{6*time.Minute - 1, 12},
		{6 * time.Minute, 7}, // 5 on-demand idle since 1m are gone
		{8 * time.Minute, 2}, // only provisioned remain
		{time.Hour, 2},
	}
	for _, tt := range tests {
		if got := m.Snapshot(tt.at).Environments; got != tt.want {
			t.Fatalf("at %v: %d environments, want %d", tt.at, got, tt.want)
		}
	}
	_, _ = burst(m, time.Hour, 2) // take the warm provisioned pair
	if _, cold, _ := m.Acquire(time.Hour); !cold {
		t.Fatal("invocation after expiry was warm, want a cold start")
	}
}

func TestReuseIsWarmAndResetIsCold(t *testing.T) {
	m := newModel(t, nil)
	env, cold, _ := m.Acquire(0)
	if !cold {
		t.Fatal("first invocation was warm")
	}
	m.Release(time.Second, env)
	m.Release(time.Second, env) // double release must not corrupt counts
	env2, cold, _ := m.Acquire(2 * time.Second)
	if cold || env2 != env {
		t.Fatalf("second invocation: cold=%v same env=%v, want warm reuse", cold, env2 == env)
	}
	m.Reset(3*time.Second, env2)
	env3, cold, _ := m.Acquire(4 * time.Second)
	s := m.Snapshot(4 * time.Second)
	if !cold || env3 != env || s.ColdStarts != 2 || s.Environments != 1 {
		t.Fatalf("after reset: cold=%v same=%v %+v; want a cold start on the same environment", cold, env3 == env, s)
	}
}

// TestRateLimit checks the 10 requests per second per environment rule with
// instantaneous invocations, where concurrency never binds.
func TestRateLimit(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(*Config)
		perSecond int
		wantOK    int // per second
		cause     Throttle
	}{
		{"reserved 5: 50/s", func(c *Config) { c.ReservedConcurrency = 5 }, 100, 50, ReservedRate},
		{"account 20: 200/s", func(c *Config) { c.AccountConcurrency = 20 }, 300, 200, AccountRate},
		{"limit off", func(c *Config) { c.AccountConcurrency = 20; c.RequestsPerEnvironment = 0 }, 300, 300, None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, tt.edit)
			gap := time.Second / time.Duration(tt.perSecond)
			for sec := range 3 {
				ok, thr := 0, ThrottleCounts{}
				for i := range tt.perSecond {
					now := time.Duration(sec)*time.Second + time.Duration(i)*gap
					env, _, why := m.Acquire(now)
					if why != None {
						thr.add(why)
						continue
					}
					ok++
					m.Release(now, env)
				}
				if ok != tt.wantOK || thr.Of(tt.cause) != thr.Total() {
					t.Fatalf("second %d: %d served, throttles %+v; want %d served, rest %v", sec, ok, thr, tt.wantOK, tt.cause)
				}
			}
		})
	}
}
