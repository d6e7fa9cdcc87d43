package cli

import (
	"context"
	"time"

	"github.com/surge-dev/surge/engine"
)

// spin makes every scenario run burn about d of CPU first (the hidden
// --test-generator-cost): a test's way to cap what the generator can
// drive, as an expensive script would. The burn is a fixed amount of
// work, not a wall-clock wait, so that runs in parallel share the cores
// and the cap is the cores divided by d.
func spin(t *engine.Test, d time.Duration) {
	if d <= 0 {
		return
	}
	rounds := calibrate(d)
	for i := range t.Scenarios {
		run := t.Scenarios[i].Run
		t.Scenarios[i].Run = func(ctx context.Context, vu *engine.VU) error {
			burn(rounds)
			return run(ctx, vu)
		}
	}
}

// sink keeps the compiler from removing the burn.
var sink uint64

func burn(rounds int) {
	x := sink
	for range rounds {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink = x
}

// calibrate finds how many rounds take d, from the fastest of a few
// trials (the least disturbed by whatever else the machine runs).
func calibrate(d time.Duration) int {
	const trial = 200_000
	best := time.Duration(1 << 62)
	for range 7 {
		start := time.Now()
		burn(trial)
		best = min(best, time.Since(start))
	}
	return int(float64(trial) * float64(d) / float64(max(best, 1)))
}
