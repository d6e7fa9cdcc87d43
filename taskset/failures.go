package taskset

import (
	"sync"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/metrics"
)

// maxFailureReasons bounds the named counters one test makes of the
// reasons tasks give to Response.Failure: reasons may carry values, and
// counters are few (metrics.MaxCounters in a process). Past it, failed
// responses are still counted as failed requests, not by reason.
const maxFailureReasons = 32

// failureCounters counts failed responses by request name and reason, as
// Locust's failures table does, under counters "failures.<name>:
// <reason>" in the results.
type failureCounters struct {
	mu  sync.Mutex
	ids map[string]metrics.Counter
}

func (f *failureCounters) count(vu *engine.VU, name, reason string) {
	key := "failures." + name + ": " + reason
	f.mu.Lock()
	id, ok := f.ids[key]
	if !ok && len(f.ids) < maxFailureReasons {
		if id, ok = metrics.RegisterCounter(key); ok {
			f.ids[key] = id
		}
	}
	f.mu.Unlock()
	if ok {
		vu.Count(id, 1)
	}
}
