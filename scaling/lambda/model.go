package lambda

import "time"

// Env is one execution environment. It serves one invocation at a time.
type Env struct {
	id          int
	provisioned bool
	busy        bool
	needsInit   bool // reset after a timeout: the next invocation is cold
	idleSince   time.Duration
	owner       *Model
}

// ID numbers environments from 1 in creation order.
func (e *Env) ID() int { return e.id }

// Provisioned reports whether the environment is provisioned concurrency.
func (e *Env) Provisioned() bool { return e.provisioned }

// State is a snapshot of the function, in the terms CloudWatch uses.
type State struct {
	Now                     time.Duration  `json:"now_ns"`
	ConcurrentExecutions    int            `json:"concurrent_executions"`     // busy environments
	MaxConcurrentExecutions int            `json:"max_concurrent_executions"` // highest ever seen
	Environments            int            `json:"environments"`              // busy + idle
	Idle                    int            `json:"idle"`
	Provisioned             int            `json:"provisioned"`
	Invocations             uint64         `json:"invocations"` // admitted; throttles excluded, as on AWS
	ColdStarts              uint64         `json:"cold_starts"`
	InitDuration            time.Duration  `json:"init_duration_ns"` // sum over cold starts
	Spillover               uint64         `json:"provisioned_spillover_invocations"`
	Throttles               ThrottleCounts `json:"throttles"`
	ConcurrencyLimit        int            `json:"concurrency_limit"`
	RateLimit               int            `json:"rate_limit"` // per RateWindow; 0 = none
	// ScalingHeadroom is how many new environments may be created now.
	ScalingHeadroom int `json:"scaling_headroom"`
	// ScalingLimit is the most environments the function could have right
	// now: what exists plus the headroom, capped by the concurrency limit.
	ScalingLimit int `json:"scaling_limit"`
}

// Model is one function's environments and limits. Build it with New.
type Model struct {
	cfg    Config
	now    time.Duration
	scale  scaler
	rate   rateWindow
	idle   envQueue // on-demand environments, oldest idle first
	warm   []*Env   // idle provisioned environments (never expire)
	busy   int
	nextID int
	st     State
}

// New validates cfg and returns a model at time 0 with its provisioned
// environments already initialised.
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, rate: newRateWindow(cfg.RateWindow)}
	if cfg.ScalingModel == Legacy {
		m.scale = newLegacyLimit(cfg.Burst, LegacyScaleStep, LegacyScaleWindow)
	} else {
		b := newBucket(CurrentScaleStep, CurrentScaleStep, CurrentScaleWindow)
		m.scale = &b
	}
	for range cfg.ProvisionedConcurrency {
		m.warm = append(m.warm, m.newEnv(true))
	}
	return m, nil
}

// Config returns the configuration the model was built with.
func (m *Model) Config() Config { return m.cfg }

// Acquire asks for an environment for one invocation arriving at now. It
// returns the environment, whether this invocation pays a cold start, and
// None; or nil and the reason the invocation is throttled. The checks run
// in the order Lambda's limits nest: invocation rate, then concurrency,
// then the rate at which new environments may be created.
func (m *Model) Acquire(now time.Duration) (env *Env, cold bool, t Throttle) {
	m.advance(now)
	if t = m.limitCheck(); t != None {
		m.st.Throttles.add(t)
		return nil, false, t
	}
	env, cold = m.pick()
	if env == nil {
		m.scale.refused(m.now)
		m.st.Throttles.add(ScalingRate)
		return nil, false, ScalingRate
	}
	m.admit(env, cold)
	return env, cold, None
}

// limitCheck applies the rate and concurrency limits.
func (m *Model) limitCheck() Throttle {
	reserved := m.cfg.ReservedConcurrency > 0
	if lim := m.cfg.RateLimit(); lim > 0 && m.rate.sum >= lim {
		if reserved {
			return ReservedRate
		}
		return AccountRate
	}
	if m.busy >= m.cfg.ConcurrencyLimit() {
		if reserved {
			return ReservedConcurrency
		}
		return AccountConcurrency
	}
	return None
}

// pick prefers provisioned environments (Lambda routes to them first and
// counts the rest as spillover), then the most recently used on-demand
// one, and only then creates an environment if the scaling rate allows.
func (m *Model) pick() (*Env, bool) {
	if n := len(m.warm); n > 0 {
		e := m.warm[n-1]
		m.warm = m.warm[:n-1]
		return e, e.needsInit
	}
	if e := m.idle.popNewest(); e != nil {
		return e, e.needsInit
	}
	if !m.scale.take(m.onDemand()) {
		return nil, false
	}
	return m.newEnv(false), true
}

// onDemand counts the on-demand environments, busy and idle.
func (m *Model) onDemand() int {
	busyProvisioned := m.cfg.ProvisionedConcurrency - len(m.warm)
	return m.busy - busyProvisioned + m.idle.len()
}

func (m *Model) newEnv(provisioned bool) *Env {
	m.nextID++
	return &Env{id: m.nextID, provisioned: provisioned, owner: m}
}

func (m *Model) admit(e *Env, cold bool) {
	e.busy, e.needsInit = true, false
	m.busy++
	m.st.MaxConcurrentExecutions = max(m.st.MaxConcurrentExecutions, m.busy)
	m.rate.add()
	m.st.Invocations++
	if !e.provisioned && m.cfg.ProvisionedConcurrency > 0 {
		m.st.Spillover++
	}
	if cold {
		m.st.ColdStarts++
		m.st.InitDuration += m.cfg.InitDuration
	}
}

// Release returns env after its invocation finished at now; it stays warm
// for the next one. Releasing an environment twice, or one from another
// model, does nothing.
func (m *Model) Release(now time.Duration, env *Env) {
	m.release(now, env, false)
}

// Reset returns env after its invocation failed at now (for example it
// timed out). Lambda restarts the runtime in that environment, so the next
// invocation it serves is a cold start again.
func (m *Model) Reset(now time.Duration, env *Env) {
	m.release(now, env, true)
}

func (m *Model) release(now time.Duration, env *Env, reset bool) {
	if env == nil || env.owner != m || !env.busy {
		return
	}
	m.advance(now)
	env.busy, env.needsInit, env.idleSince = false, reset, m.now
	m.busy--
	if env.provisioned {
		m.warm = append(m.warm, env)
		return
	}
	m.idle.push(env)
}

// Snapshot returns the state at now.
func (m *Model) Snapshot(now time.Duration) State {
	m.advance(now)
	s := m.st
	s.Now = m.now
	s.ConcurrentExecutions = m.busy
	s.Idle = m.idle.len() + len(m.warm)
	s.Environments = m.busy + s.Idle
	s.Provisioned = m.cfg.ProvisionedConcurrency
	s.ConcurrencyLimit = m.cfg.ConcurrencyLimit()
	s.RateLimit = m.cfg.RateLimit()
	s.ScalingHeadroom = m.scale.headroom(m.onDemand())
	s.ScalingLimit = min(s.ConcurrencyLimit, s.Environments+s.ScalingHeadroom)
	return s
}

// advance moves the model's time forward: scaling headroom refills, the
// rate window slides and environments idle for IdleExpiry are reclaimed.
func (m *Model) advance(now time.Duration) {
	if now < m.now {
		now = m.now
	}
	m.now = now
	m.scale.advance(now)
	m.rate.advance(now)
	for e := m.idle.oldest(); e != nil && now-e.idleSince >= m.cfg.IdleExpiry; e = m.idle.oldest() {
		m.idle.popOldest()
		e.owner = nil
		m.scale.reclaimed(m.onDemand())
	}
}
