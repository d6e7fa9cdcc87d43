//go:build linux

package engine

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/blackhole"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/transport"
)

// TestTimeoutBoundsDial sends requests to a server that never accepts,
// with a dial timeout far longer than the request timeout, on both paths:
// each must end at the request timeout, counted as ETIMEDOUT.
func TestTimeoutBoundsDial(t *testing.T) {
	const requests = 3
	u, _ := url.Parse("http://" + blackhole.Addr(t) + "/")
	p := Prepare("GET", u, http.Header{}, nil)
	for _, lean := range []bool{true, false} {
		start := time.Now()
		res, err := Run(context.Background(), Test{
			Phases:  []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: requests, Duration: time.Second}},
			Timeout: 200 * time.Millisecond,
			HTTP:    transport.Config{DialTimeout: time.Minute},
			Scenarios: []Scenario{{Name: "hang", Run: func(_ context.Context, vu *VU) error {
				if lean {
					return vu.Send(0, p)
				}
				_, err := vu.Do(0, p.request(), false)
				return err
			}}},
			Conns: Shared,
		})
		if err != nil {
			t.Fatal(err)
		}
		f := res.Final.Total
		// Loose on purpose: only a dial left to its own timeout takes
		// longer than half a minute.
		if f.Errors != requests || f.Kinds[metrics.ErrTimeout.String()] != requests || time.Since(start) > 30*time.Second {
			t.Errorf("lean %v: errors %d %v after %v; want %d ETIMEDOUT at the request timeout",
				lean, f.Errors, f.Kinds, time.Since(start), requests)
		}
	}
}
