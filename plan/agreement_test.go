package plan

import (
	"fmt"
	"testing"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
	"github.com/surge-dev/surge/schedule"
)

// agreement is the tolerance of the must-show: the planner agrees
// with the emulator within 5 %.
const agreement = 0.05

func constantPhase(rate float64, d time.Duration) schedule.Phase {
	return schedule.Phase{Kind: schedule.Constant, ArrivalRate: rate, Duration: d}
}

func rampPhase(from, to float64, d time.Duration) schedule.Phase {
	return schedule.Phase{Kind: schedule.Ramp, ArrivalRate: from, RampTo: to, Duration: d}
}

// agree reports a figure that differs by more than the tolerance; a
// figure expected to be 0 must be 0.
func agree(t *testing.T, what string, planned, emulated float64) {
	t.Helper()
	if !within(planned, emulated, agreement) {
		t.Errorf("%s: planner %v, emulator %v (more than %.0f%% apart)", what, planned, emulated, agreement*100)
	}
	t.Logf("%-22s planner %10v  emulator %10v", what, planned, emulated)
}

// TestLambdaPlanAgreesWithEmulator: steady load against a reservation,
// a ramp that outruns the current scaling rule, and the must-show spike
// from 0 to 3,000 req/s against the legacy rule with a burst of 500.
func TestLambdaPlanAgreesWithEmulator(t *testing.T) {
	tests := []struct {
		name   string
		phases []schedule.Phase
		edit   func(*lambda.Config)
	}{
		{"steady 400 req/s × 250 ms against reserved 80",
			[]schedule.Phase{constantPhase(400, time.Minute)},
			func(c *lambda.Config) {
				c.HandlerDuration, c.InitDuration, c.ReservedConcurrency = 250*time.Millisecond, 100*time.Millisecond, 80
			}},
		{"ramp 0 → 6,000 req/s × 1 s, current rule",
			[]schedule.Phase{rampPhase(0, 6000, 30*time.Second), constantPhase(6000, 40*time.Second)},
			func(c *lambda.Config) {
				c.HandlerDuration, c.InitDuration, c.AccountConcurrency = time.Second, 200*time.Millisecond, 10000
			}},
		{"cold starts: 1,000 req/s × 100 ms with a 1 s init",
			[]schedule.Phase{constantPhase(1000, 20*time.Second)},
			func(c *lambda.Config) { c.HandlerDuration, c.InitDuration = 100*time.Millisecond, time.Second }},
		{"spike 0 → 3,000 req/s × 0.9 s, legacy burst 500",
			[]schedule.Phase{constantPhase(3000, 6*time.Minute)},
			func(c *lambda.Config) {
				c.HandlerDuration, c.InitDuration, c.AccountConcurrency = 900*time.Millisecond, 200*time.Millisecond, 5000
				c.ScalingModel, c.Burst = lambda.Legacy, 500
			}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := lambda.DefaultConfig()
			tt.edit(&cfg)
			profile, err := FromPhases(tt.phases)
			if err != nil {
				t.Fatal(err)
			}
			pl, err := PlanLambda(profile, cfg)
			if err != nil {
				t.Fatal(err)
			}
			em := emulateLambda(t, cfg, arrivalTimes(t, tt.phases, uint64(i+1)))
			s := pl.Summary
			agree(t, "throttles", float64(s.Throttled), float64(em.state.Throttles.Total()))
			agree(t, "peak concurrency", float64(s.PeakConcurrency), float64(em.state.MaxConcurrentExecutions))
			agree(t, "cold starts", float64(s.ColdStarts), float64(em.state.ColdStarts))
			agree(t, "time to scale (s)", float64(s.Throttling.Seconds()), float64(em.throttling().Seconds()))
			if s.Throttled == 0 {
				t.Fatal("the profile throttles nothing: it does not exercise the scaling rules")
			}
		})
	}
}

// TestFleetPlanAgreesWithEmulator: a service at 20 req/s jumps to 300 and
// back; it scales out over a few minutes and in after a quarter hour.
func TestFleetPlanAgreesWithEmulator(t *testing.T) {
	phases := []schedule.Phase{
		constantPhase(20, 10*time.Minute), constantPhase(300, 15*time.Minute), constantPhase(20, 35*time.Minute),
	}
	cfg := fleet.DefaultConfig()
	cfg.Min, cfg.Max, cfg.Desired = 1, 8, 1
	profile, err := FromPhases(phases)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := PlanFleet(profile, cfg, DefaultQueueTimeout)
	if err != nil {
		t.Fatal(err)
	}
	secs, acts := emulateFleet(t, cfg, DefaultQueueTimeout, arrivalTimes(t, phases, 7), profile.Seconds())
	em := summarizeFleet(secs, acts, cfg, FleetOptions{})
	s := pl.Summary
	if !s.ScaleOut.Happened() || !s.ScaleIn.Happened() {
		t.Fatalf("the plan does not scale out and in: %+v", s)
	}
	agree(t, "peak desired tasks", float64(s.PeakDesired), float64(em.PeakDesired))
	agree(t, "scale-out time (s)", float64(s.ScaleOut.Seconds()), float64(em.ScaleOut.Seconds()))
	agree(t, "scale-in time (s)", float64(s.ScaleIn.Seconds()), float64(em.ScaleIn.Seconds()))
	agree(t, "rejected (503)", float64(s.Rejected), float64(em.Rejected))
	agree(t, "scaling activities", float64(len(s.Activities)), float64(len(em.Activities)))
	if fmt.Sprint(activityTimes(s.Activities)) != fmt.Sprint(activityTimes(em.Activities)) {
		t.Errorf("activities: planner %v, emulator %v", activityTimes(s.Activities), activityTimes(em.Activities))
	}
}

// activityTimes lists activities as "at: from→to".
func activityTimes(acts []fleet.Activity) []string {
	out := make([]string, len(acts))
	for i, a := range acts {
		out[i] = fmt.Sprintf("%v: %d→%d", a.At, a.From, a.To)
	}
	return out
}
