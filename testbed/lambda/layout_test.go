package lambdatarget

import (
	"testing"
	"time"
)

// An invocation holds its environment exactly as long as the model says
// (lambda.Config.Hold, which the planner replays), with the handler's CPU
// burn counted in the handler: the init's wait first when cold, then the
// handler's wait and its burn, cut where the hold ends.
func TestInvocationHoldsWhatTheModelSays(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		name               string
		handler, cpu, init time.Duration
		timeout            time.Duration
		cold               bool
		wantWait, wantBurn time.Duration
		wantInit           time.Duration
		wantTimedOut       bool
	}{
		{"warm, in time", 100 * ms, 50 * ms, 200 * ms, time.Second, false, 100 * ms, 50 * ms, 0, false},
		{"cold: the init is outside the timeout", 100 * ms, 50 * ms, 200 * ms, 160 * ms, true, 300 * ms, 50 * ms, 200 * ms, false},
		{"the burn is cut at the timeout", 100 * ms, 50 * ms, 0, 120 * ms, false, 100 * ms, 20 * ms, 0, true},
		{"the wait is cut at the timeout", 100 * ms, 50 * ms, 300 * ms, 80 * ms, true, 380 * ms, 0, 300 * ms, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.HandlerDuration, c.HandlerCPU, c.InitDuration, c.Timeout = tt.handler, tt.cpu, tt.init, tt.timeout
			ps, init, timedOut := c.layout(tt.cold)
			hold, modelTimedOut := c.invocationModel().Hold(tt.cold)
			var wait, burn time.Duration
			for _, p := range ps {
				if p.cpu {
					burn += p.d
				} else {
					wait += p.d
				}
			}
			if total(ps) != hold || timedOut != modelTimedOut {
				t.Errorf("runs %v (timed out %v); the model holds %v (timed out %v)", total(ps), timedOut, hold, modelTimedOut)
			}
			if wait != tt.wantWait || burn != tt.wantBurn || init != tt.wantInit || timedOut != tt.wantTimedOut {
				t.Errorf("wait %v, burn %v, init %v, timed out %v; want %v, %v, %v, %v",
					wait, burn, init, timedOut, tt.wantWait, tt.wantBurn, tt.wantInit, tt.wantTimedOut)
			}
		})
	}
}
