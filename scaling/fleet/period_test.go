package fleet

import (
	"testing"
	"time"
)

// TestDatapointPeriod: with 10 s datapoints, 3 of 3 above the target scale
// out after 30 s instead of 3 minutes, and requests per target count per
// datapoint.
func TestDatapointPeriod(t *testing.T) {
	m := newModel(t, testConfig(func(c *Config) { c.Period = 10 * time.Second }))
	seen := drive(m, []segment{{time.Minute, 100}})
	if a := firstActivity(seen, time.Minute); a == nil || a.At != 30*time.Second || a.To != 4 {
		t.Fatalf("first activity %+v, want 2→4 at 30s", a)
	}
	c := testConfig(func(c *Config) { c.Period, c.TargetRequestsPerTask = 10*time.Second, 100 })
	if n := c.TasksNeeded(50); n != 5 { // 10 requests per task per second at the target
		t.Fatalf("tasks needed for 50 req/s at 100 per task per 10 s: %d, want 5", n)
	}
	if err := testConfig(func(c *Config) { c.Period = -time.Second }).Validate(); err == nil {
		t.Fatal("a negative period was accepted")
	}
}
