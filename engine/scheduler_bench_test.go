package engine

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// lagScenario records how late each VU started against its intended time.
func lagScenario(mu *sync.Mutex, lags *[]time.Duration) Scenario {
	return Scenario{Name: "noop", Run: func(ctx context.Context, vu *VU) error {
		lag := time.Since(vu.next)
		mu.Lock()
		*lags = append(*lags, lag)
		mu.Unlock()
		return nil
	}}
}

// BenchmarkOpenModel100k runs one second of 100,000 arrivals/s with a
// no-op scenario and reports the achieved rate and the start lag, which
// is what the scheduler alone can sustain.
func BenchmarkOpenModel100k(b *testing.B) {
	for b.Loop() {
		var mu sync.Mutex
		lags := make([]time.Duration, 0, 100_000)
		begin := time.Now()
		res, err := Run(context.Background(), Test{
			Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 100_000, Duration: time.Second}},
			Scenarios: []Scenario{lagScenario(&mu, &lags)},
			Conns:     Shared,
		})
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(begin)
		sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
		b.ReportMetric(float64(res.Final.VUs.Created)/elapsed.Seconds(), "arrivals/s")
		b.ReportMetric(float64(lags[len(lags)/2])/1e6, "lag-p50-ms")
		b.ReportMetric(float64(lags[len(lags)*99/100])/1e6, "lag-p99-ms")
	}
}

func TestOpenModelFiresEveryArrivalAtHighRate(t *testing.T) {
	var mu sync.Mutex
	var lags []time.Duration
	res, err := Run(context.Background(), Test{
		Phases:    []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 20_000, Duration: 500 * time.Millisecond}},
		Scenarios: []Scenario{lagScenario(&mu, &lags)},
		Conns:     Shared,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Final.VUs.Created != 10_000 || len(lags) != 10_000 || res.Final.VUs.Completed != 10_000 {
		t.Fatalf("created %d, ran %d: every arrival must fire", res.Final.VUs.Created, len(lags))
	}
}
