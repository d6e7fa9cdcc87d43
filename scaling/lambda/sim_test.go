package lambda

import (
	"math"
	"testing"
	"time"
)

// steady drives the model with one arrival every 1/rps for span, each
// invocation running exactly d, and returns the final state. Completions
// due at the same instant as an arrival are released first, as they would
// be on AWS, where a finished environment is free for the next request.
func steady(m *Model, rps float64, d, span time.Duration) State {
	gap := time.Duration(float64(time.Second) / rps)
	type running struct {
		env *Env
		end time.Duration
	}
	var inFlight []running // ends in arrival order, since d is constant
	for now := time.Duration(0); now < span; now += gap {
		for len(inFlight) > 0 && inFlight[0].end <= now {
			m.Release(inFlight[0].end, inFlight[0].env)
			inFlight = inFlight[1:]
		}
		if env, _, thr := m.Acquire(now); thr == None {
			inFlight = append(inFlight, running{env, now + d})
		}
	}
	return m.Snapshot(span)
}

// TestPlanningFormula checks that AWS's sizing rule, concurrency = requests
// per second × duration, is what the model produces under steady load, and
// that the environments are created once and then reused.
func TestPlanningFormula(t *testing.T) {
	tests := []struct {
		name string
		rps  float64
		d    time.Duration
	}{
		{"AWS example: 100 req/s × 0.5 s", 100, 500 * time.Millisecond},
		{"S3 example: 10 events/s × 3 s", 10, 3 * time.Second},
		{"forum example: 400 req/s × 0.1 s", 400, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newModel(t, func(c *Config) { c.Timeout = 10 * time.Second })
			s := steady(m, tt.rps, tt.d, time.Minute)
			want := int(math.Round(tt.rps * tt.d.Seconds()))
			if s.MaxConcurrentExecutions != want || s.Environments != want || s.ColdStarts != uint64(want) {
				t.Fatalf("peak %d, environments %d, cold starts %d; want %d each",
					s.MaxConcurrentExecutions, s.Environments, s.ColdStarts, want)
			}
			if s.Throttles.Total() != 0 {
				t.Fatalf("throttles %+v under the limits", s.Throttles)
			}
		})
	}
}

// TestShortFunctionsHitTheRateLimit is the case the rate rule exists for:
// 2,000 req/s of 20 ms needs only 40 concurrent executions, but with 150
// reserved the function may start only 1,500 a second.
func TestShortFunctionsHitTheRateLimit(t *testing.T) {
	m := newModel(t, func(c *Config) { c.ReservedConcurrency = 150 })
	s := steady(m, 2000, 20*time.Millisecond, 10*time.Second)
	if s.MaxConcurrentExecutions > 41 {
		t.Fatalf("peak concurrency %d, want about 40", s.MaxConcurrentExecutions)
	}
	if s.Invocations != 15000 || s.Throttles.ReservedRate != 5000 {
		t.Fatalf("%d invocations, throttles %+v; want 15000 and 5000 rate throttles", s.Invocations, s.Throttles)
	}
}
