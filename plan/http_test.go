package plan

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scaling/lambda"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
	lambdatarget "github.com/surge-dev/surge/target/lambda"
)

// emulatorStatus is the part of the Lambda emulator's /_surge/status the
// comparison reads.
type emulatorStatus struct {
	Max       int                   `json:"max_concurrent_executions"`
	Throttles lambda.ThrottleCounts `json:"throttles"`
	Cold      uint64                `json:"cold_starts"`
}

// TestLambdaPlanAgreesWithRealEmulator sends a small spike over loopback
// HTTP, with Surge's own engine, to the Lambda emulator under the legacy
// rule (a burst of 20, then 500 a minute), and compares what the emulator
// reports with the plan of the same phases: 400 req/s of 200 ms need 80
// environments, the rule allows 20 plus 8 a second, so most of the spike
// is throttled. Real timers are late on a busy machine (handlers hold
// their environments longer, sends slip), so the tolerances are wider than
// the model-level agreement's 5 %: 15 % on throttles, 10 % on peak
// concurrency. (Measured: within 0.5 % on an idle machine, 4.5 % under
// -race on one CPU beside a loaded machine.)
func TestLambdaPlanAgreesWithRealEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 1,200 requests over loopback")
	}
	cfg := lambdatarget.DefaultConfig()
	cfg.HandlerDuration, cfg.InitDuration = 200*time.Millisecond, 50*time.Millisecond
	cfg.ScalingModel, cfg.Burst = lambda.Legacy, 20
	srv, err := lambdatarget.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	phases := []schedule.Phase{constantPhase(400, 3*time.Second)}

	profile, err := FromPhases(phases)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := PlanLambda(profile, cfg.Config)
	if err != nil {
		t.Fatal(err)
	}
	test, err := session.OneRequest(http.MethodGet, ts.URL+"/invoke", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	test.Phases = phases
	if _, err := engine.Run(context.Background(), *test); err != nil {
		t.Fatal(err)
	}
	st := readStatus(t, ts.URL)
	s := pl.Summary
	t.Logf("throttles: planner %d, emulator %d; peak: planner %d, emulator %d; cold: planner %d, emulator %d",
		s.Throttled, st.Throttles.Total(), s.PeakConcurrency, st.Max, s.ColdStarts, st.Cold)
	if s.Throttled < 500 {
		t.Fatalf("the plan throttles %d: the profile does not exercise the legacy rule", s.Throttled)
	}
	if !within(float64(st.Throttles.Total()), float64(s.Throttled), 0.15) {
		t.Errorf("emulator throttled %d, planner %d: more than 15%% apart", st.Throttles.Total(), s.Throttled)
	}
	if !within(float64(st.Max), float64(s.PeakConcurrency), 0.10) {
		t.Errorf("emulator peak concurrency %d, planner %d: more than 10%% apart", st.Max, s.PeakConcurrency)
	}
}

func readStatus(t *testing.T, base string) emulatorStatus {
	t.Helper()
	resp, err := http.Get(base + "/_surge/status")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st emulatorStatus
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}
