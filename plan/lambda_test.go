package plan

import (
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/scaling/fleet"
	"github.com/surge-dev/surge/scaling/lambda"
)

// constant is a profile of rate requests a second for secs seconds,
// after idle seconds of nothing.
func constant(idle, secs int, rate int64) Profile {
	p := Profile{Arrivals: make([]int64, idle+secs)}
	for i := idle; i < idle+secs; i++ {
		p.Arrivals[i] = rate
	}
	return p
}

func lambdaConfig(edit func(*lambda.Config)) lambda.Config {
	c := lambda.DefaultConfig()
	c.InitDuration = 0
	c.Timeout = 10 * time.Second
	if edit != nil {
		edit(&c)
	}
	return c
}

func within(got, want, tol float64) bool {
	if want == 0 {
		return math.Abs(got) <= tol
	}
	return math.Abs(got-want)/math.Abs(want) <= tol
}

// TestLambdaGoldenFigures checks the plan against the formulas of
// docs/scaling.md, worked out by hand: concurrency = rps × duration; the
// current rule reaches C in (C − 1,000)/100 s; the legacy rule in
// (C − burst)/500 minutes, throttling what lies above the staircase.
func TestLambdaGoldenFigures(t *testing.T) {
	tests := []struct {
		name          string
		profile       Profile
		edit          func(*lambda.Config)
		wantPeak      int
		wantThrottled float64 // within 1 %
		wantSpan      Span    // within 1 s
	}{
		{"AWS example: 100 req/s × 0.5 s = 50", constant(0, 60, 100),
			func(c *lambda.Config) { c.HandlerDuration = 500 * time.Millisecond }, 50, 0, Never},
		{"current rule: 3,000 needed takes 20 s", constant(0, 30, 3000),
			func(c *lambda.Config) { c.AccountConcurrency, c.HandlerDuration = 10000, time.Second }, 3000,
			// served in second t: the 1,000 + 100 t environments there
			// at its start, reused, plus the 100 made during it
			3000*20 - (1000*20 + 100*20*21/2), Span{0, 20}},
		{"legacy burst 500: 1,500 needed takes 2 min", constant(0, 150, 1500),
			func(c *lambda.Config) {
				c.AccountConcurrency, c.HandlerDuration, c.ScalingModel, c.Burst = 10000, time.Second, lambda.Legacy, 500
			}, 1500,
			// the requests above the staircase: 500 for the first
			// minute, 1,000 for the second, 1,500 from then on
			1500*120 - (500*60 + 1000*60), Span{0, 120}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, err := PlanLambda(tt.profile, lambdaConfig(tt.edit))
			if err != nil {
				t.Fatal(err)
			}
			s := pl.Summary
			if s.PeakConcurrency != tt.wantPeak {
				t.Errorf("peak concurrency %d, want %d", s.PeakConcurrency, tt.wantPeak)
			}
			if !within(float64(s.Throttled), tt.wantThrottled, 0.01) {
				t.Errorf("throttled %d, want %.0f", s.Throttled, tt.wantThrottled)
			}
			if d := s.Throttling; abs(d.From-tt.wantSpan.From) > 1 || abs(d.Until-tt.wantSpan.Until) > 1 {
				t.Errorf("throttling %+v, want %+v", d, tt.wantSpan)
			}
			if s.Served+s.Throttled != s.Arrivals || s.Arrivals != tt.profile.Total() {
				t.Errorf("served %d + throttled %d != arrivals %d", s.Served, s.Throttled, s.Arrivals)
			}
		})
	}
}

func abs(n int) int { return max(n, -n) }

func fleetConfig() fleet.Config {
	c := fleet.DefaultConfig()
	c.Min, c.Max, c.Desired = 1, 8, 1
	return c
}
