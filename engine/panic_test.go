package engine

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// A panic in a scenario's own code (a Go user's failed type assertion) fails that VU,
// counted by reason with where it happened, and the test goes on to its
// end and its results; it used to kill the process, results and all.
func TestAPanickingScenarioFailsItsVUNotTheTest(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Add(1) }))
	t.Cleanup(srv.Close)
	get := getScenario(srv.URL)
	test := Test{
		Phases: []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 20, Duration: 200 * time.Millisecond}},
		Scenarios: []Scenario{{Name: "panics", Run: func(ctx context.Context, vu *VU) error {
			if err := get.Run(ctx, vu); err != nil || vu.Iteration%2 == 1 {
				return err
			}
			_ = vu.Vars["token"].(string) // no token: the type assertion panics
			return nil
		}}},
	}
	res, err := Run(context.Background(), test)
	if err != nil {
		t.Fatal(err)
	}
	if served.Load() != 20 || res.Final.Total.Requests != 20 || res.Final.VUs.Created != 20 {
		t.Fatalf("served %d, recorded %d requests from %d VUs; want every arrival to run", served.Load(),
			res.Final.Total.Requests, res.Final.VUs.Created)
	}
	f := res.Final.Failures
	if res.Final.VUs.Failed != 10 || len(f) != 1 || f[0].Reason != "panic" || f[0].Count != 10 ||
		!strings.Contains(f[0].First, "interface conversion") || !strings.Contains(f[0].First, "panic_test.go:") {
		t.Fatalf("failed %d, by reason %+v: want the 10 panics, with what and where", res.Final.VUs.Failed, f)
	}
}
