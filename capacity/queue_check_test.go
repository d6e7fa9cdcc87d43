package capacity

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The simulated queue agrees with its closed form: what the search is
// measured against must itself be right.
func TestQueueMatchesErlangC(t *testing.T) {
	q := queue{c: 8, mu: 100}
	rate := 600.0
	rng := rand.New(rand.NewPCG(7, 7))
	secs, _ := q.probe(rate, 5, 200, rng)
	limit := 0.060
	var total int64
	for _, s := range secs {
		total += s.Latency.TotalCount()
	}
	var above int64
	mergedLatency(secs, everyRequest).ForEachBucket(func(v, n int64) bool {
		if float64(v) > limit*1e6 {
			above += n
		}
		return true
	})
	got, want := float64(above)/float64(total), q.respTail(rate, limit)
	if math.Abs(got-want) > 0.1*want {
		t.Errorf("P(T > 60ms) at %g/s: simulated %.4f, closed form %.4f", rate, got, want)
	}
	t.Logf("P(T>60ms) simulated %.4f closed form %.4f; p99 boundary %.1f/s", got, want, q.boundary(99, limit))
}
