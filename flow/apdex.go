package flow

import (
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
)

// apdex counts each request's last response as Artillery's apdex plugin
// does: apdex.satisfied when its hop took at most the threshold,
// apdex.tolerated when at most four times it, apdex.frustrated beyond.
// A request that got no response is not counted.
type apdex struct {
	threshold                        time.Duration
	satisfied, tolerated, frustrated counter
}

// newApdex is nil unless the script enables the apdex plugin.
func newApdex(c scenario.Config) *apdex {
	if !c.Plugins.Apdex {
		return nil
	}
	return &apdex{threshold: c.Plugins.ApdexThreshold,
		satisfied: newCounter("apdex.satisfied"), tolerated: newCounter("apdex.tolerated"),
		frustrated: newCounter("apdex.frustrated")}
}

func (a *apdex) count(vu *engine.VU, took time.Duration) {
	switch {
	case a == nil:
	case took <= a.threshold:
		a.satisfied.add(vu, 1)
	case took <= 4*a.threshold:
		a.tolerated.add(vu, 1)
	default:
		a.frustrated.add(vu, 1)
	}
}
