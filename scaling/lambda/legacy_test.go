package lambda

import (
	"testing"
	"time"
)

// spread sends n invocations evenly over span, each holding its
// environment for hold, and counts per minute those served and those
// throttled by the scaling rule (other throttles fail the test).
func spread(t *testing.T, m *Model, n int, span, hold time.Duration) (served, throttled []int) {
	t.Helper()
	type running struct {
		env *Env
		end time.Duration
	}
	var inFlight []running // ends in arrival order: hold is constant
	minutes := int((span + time.Minute - 1) / time.Minute)
	served, throttled = make([]int, minutes), make([]int, minutes)
	for i := range n {
		now := time.Duration(int64(span) * int64(i) / int64(n))
		for len(inFlight) > 0 && inFlight[0].end <= now {
			m.Release(inFlight[0].end, inFlight[0].env)
			inFlight = inFlight[1:]
		}
		minute := int(now / time.Minute)
		env, _, thr := m.Acquire(now)
		switch thr {
		case None:
			served[minute]++
			inFlight = append(inFlight, running{env, now + hold})
		case ScalingRate:
			throttled[minute]++
		default:
			t.Fatalf("at %v: throttled by %v", now, thr)
		}
	}
	return served, throttled
}

// TestLegacyWorkedExamples is AWS's operator-guide example of the legacy
// rule: 10,000 requests arriving over one, two, three or four minutes,
// each holding its environment for a minute; account limit 10,000, burst
// 3,000. Over one minute 3,000 are served and 7,000 throttled; over two,
// the first minute serves 3,000 and throttles 2,000, the second reuses
// those 3,000 environments, adds 500 and throttles 1,500; over three, the
// first minute throttles 333 and the others serve all; over four, 2,500
// environments serve every minute.
func TestLegacyWorkedExamples(t *testing.T) {
	tests := []struct {
		span                time.Duration
		served, throttled   []int
		environmentsCreated int
	}{
		{time.Minute, []int{3000}, []int{7000}, 3000},
		{2 * time.Minute, []int{3000, 3500}, []int{2000, 1500}, 3500},
		{3 * time.Minute, []int{3000, 3333, 3333}, []int{334, 0, 0}, 3334},
		{4 * time.Minute, []int{2500, 2500, 2500, 2500}, []int{0, 0, 0, 0}, 2500},
	}
	for _, tt := range tests {
		t.Run(tt.span.String(), func(t *testing.T) {
			m := newModel(t, func(c *Config) { c.AccountConcurrency = 10000; c.ScalingModel = Legacy; c.Timeout = 2 * time.Minute })
			served, throttled := spread(t, m, 10000, tt.span, time.Minute)
			if !equalInts(served, tt.served) || !equalInts(throttled, tt.throttled) {
				t.Errorf("served %v, throttled %v a minute; want %v and %v", served, throttled, tt.served, tt.throttled)
			}
			if got := m.Snapshot(tt.span).ColdStarts; got != uint64(tt.environmentsCreated) {
				t.Errorf("%d environments created, want %d", got, tt.environmentsCreated)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLegacyLimitGrowsOnlyWhileRequestsAreRefused: 3,000 busy for ten
// minutes (all served, the burst) leave no credit behind; 3,000 more at
// once are refused, and the limit grows 500 a minute from there, reaching
// 6,000 six minutes later. The legacy rule limits how many environments
// exist, not how many are created in a window.
func TestLegacyLimitGrowsOnlyWhileRequestsAreRefused(t *testing.T) {
	m := newModel(t, func(c *Config) { c.AccountConcurrency = 10000; c.ScalingModel = Legacy; c.Timeout = 900 * time.Second })
	if envs, _ := burst(m, 0, 3000); len(envs) != 3000 {
		t.Fatalf("the burst gave %d, want 3000", len(envs))
	}
	busy := 3000
	for minute := 10; minute <= 16; minute++ {
		envs, thr := burst(m, time.Duration(minute)*time.Minute, 6000-busy)
		busy += len(envs)
		want := 3000 + 500*(minute-10)
		if busy != want || thr.ScalingRate != uint64(6000-busy) {
			t.Fatalf("minute %d: %d busy, throttles %+v; want %d busy and the rest refused by the scaling rule", minute, busy, thr, want)
		}
	}
	if s := m.Snapshot(16 * time.Minute); s.ScalingHeadroom != 0 || s.ScalingLimit != 6000 {
		t.Fatalf("headroom %d, scaling limit %d; want 0 and 6000", s.ScalingHeadroom, s.ScalingLimit)
	}
}

// TestLegacyLimitFallsBackWhenEnvironmentsAreReclaimed: once the grown
// environments are reclaimed, the limit is the burst again, so a new
// spike gets the burst at once and no more.
func TestLegacyLimitFallsBackWhenEnvironmentsAreReclaimed(t *testing.T) {
	m := newModel(t, func(c *Config) { c.AccountConcurrency = 10000; c.ScalingModel = Legacy; c.Burst = 500 })
	var all []*Env
	for minute := range 3 { // 500, then 1,000, then 1,500
		envs, _ := burst(m, time.Duration(minute)*time.Minute, 1500-len(all))
		all = append(all, envs...)
	}
	if len(all) != 1500 {
		t.Fatalf("%d environments after two steps, want 1500", len(all))
	}
	end := 3 * time.Minute
	for _, e := range all {
		m.Release(end, e)
	}
	later := end + m.Config().IdleExpiry
	envs, thr := burst(m, later, 2000)
	if len(envs) != 500 || thr.ScalingRate != 1500 {
		t.Fatalf("after the environments were reclaimed: %d served, throttles %+v; want the burst of 500", len(envs), thr)
	}
}
