package plan

import (
	"math"
	"testing"
	"time"

	"github.com/surge-dev/surge/scaling/lambda"
)

// TestLambdaTimeScale: with the model's clock 60 times as fast, the legacy
// rule's 500 more environments a minute come every profile second, so
// 1,500 needed is reached in 2 s rather than 2 min; and a scale the model
// cannot run on is refused.
func TestLambdaTimeScale(t *testing.T) {
	cfg := lambdaConfig(func(c *lambda.Config) {
		c.AccountConcurrency, c.HandlerDuration, c.ScalingModel, c.Burst = 10000, time.Second, lambda.Legacy, 500
	})
	pl, err := PlanLambdaScaled(constant(0, 10, 1500), cfg, 60)
	if err != nil {
		t.Fatal(err)
	}
	if d := pl.Summary.Throttling; abs(d.From) > 0 || abs(d.Until-2) > 1 {
		t.Errorf("throttling %+v, want about {0 2}", d)
	}
	if s := pl.Summary; s.Served+s.Throttled != s.Arrivals || s.PeakConcurrency != 1500 {
		t.Errorf("served %d + throttled %d of %d, peak %d", s.Served, s.Throttled, s.Arrivals, s.PeakConcurrency)
	}
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := PlanLambdaScaled(constant(0, 10, 1500), cfg, bad); err == nil {
			t.Errorf("time scale %v accepted", bad)
		}
	}
}

// TestLambdaCompleted: an invocation is answered a handler's duration
// after it was admitted, and one that times out is never answered.
func TestLambdaCompleted(t *testing.T) {
	pl, err := PlanLambda(constant(0, 5, 100), lambdaConfig(func(c *lambda.Config) { c.HandlerDuration = 2 * time.Second }))
	if err != nil {
		t.Fatal(err)
	}
	var completed int64
	for i, sec := range pl.Seconds {
		want := int64(0)
		if i >= 2 {
			want = pl.Seconds[i-2].Served
		}
		if sec.Completed != want {
			t.Errorf("second %d: %d completed, want %d (served 2 s before)", i, sec.Completed, want)
		}
		completed += sec.Completed
	}
	if completed != pl.Summary.Served || completed != 500 {
		t.Errorf("%d completed of %d served", completed, pl.Summary.Served)
	}
	pl, err = PlanLambda(constant(0, 5, 100), lambdaConfig(func(c *lambda.Config) { c.HandlerDuration, c.Timeout = 2*time.Second, time.Second }))
	if err != nil {
		t.Fatal(err)
	}
	for _, sec := range pl.Seconds {
		if sec.Completed != 0 {
			t.Errorf("second %d: %d completed though every invocation timed out", sec.T, sec.Completed)
		}
	}
}
