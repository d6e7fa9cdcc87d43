package plan_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/scaling/lambda"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
	lambdatarget "github.com/surge-dev/surge/testbed/lambda"
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
// reports with the plan: 400 req/s of 200 ms need 80 environments, the
// rule allows 20 (its first step would come a minute after the first
// refusal, long after this 3 s run), so most of the spike is throttled.
// The steps themselves are held to the model over real HTTP by the
// scaling story's recorded run (report/testdata/story-lambda.json).
//
// The plan compared is that of the run as it happened: the arrivals the
// emulator received, per second of its clock, and the service times it
// took (surge plan's results-file path, measured at the server). That
// agrees within 1 % on a quiet machine (900 against 900 throttles, a peak
// of 20 both); the test allows realTolerance. A
// machine too busy to run the test at all (sends a quarter of the rate,
// 200 ms handlers taking 400) is another test: such an attempt is
// repeated, at most three times in all, and the test is skipped, saying
// so, if none ran as scripted.
func TestLambdaPlanAgreesWithRealEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 1,200 requests over loopback")
	}
	for attempt := 1; attempt <= 3; attempt++ {
		run := realSpike(t)
		if !run.asScripted() {
			t.Logf("attempt %d did not run as scripted (the machine is too busy): %v a second, served in %v",
				attempt, run.profile.Arrivals, run.served.HandlerDuration)
			continue
		}
		pl, err := plan.PlanLambda(run.profile, run.served)
		if err != nil {
			t.Fatal(err)
		}
		s, st := pl.Summary, run.status
		t.Logf("received %v a second, served in %v (+%v cold); throttles: planner %d, emulator %d; peak: planner %d, emulator %d",
			run.profile.Arrivals, run.served.HandlerDuration, run.served.InitDuration, s.Throttled, st.Throttles.Total(), s.PeakConcurrency, st.Max)
		if s.Throttled < 300 {
			t.Fatalf("the plan throttles %d: the profile does not exercise the legacy rule", s.Throttled)
		}
		for _, c := range []struct {
			what            string
			planned, actual float64
		}{
			{"throttles", float64(s.Throttled), float64(st.Throttles.Total())},
			{"peak concurrency", float64(s.PeakConcurrency), float64(st.Max)},
		} {
			if !plan.Within(c.planned, c.actual, realTolerance) {
				t.Errorf("%s: planner %v, emulator %v: more than %.0f%% apart", c.what, c.planned, c.actual, realTolerance*100)
			}
		}
		return
	}
	t.Skip("no attempt ran as scripted: the machine is too busy for a real-time comparison")
}

// realTolerance is the real-HTTP comparison's: twice the model-level 5 %,
// for the timers of a busy machine (seen: at most 4.4 % in twenty runs,
// three at a time under -race).
const realTolerance = 0.10

// spikeRun is one run of the real-HTTP spike.
type spikeRun struct {
	profile plan.Profile
	served  lambda.Config // the function as it ran
	status  emulatorStatus
}

const (
	spikeRate    = 400
	spikeHandler = 200 * time.Millisecond
)

// asScripted: every whole second received the scripted rate and the
// handler took its time, each within 10 %.
func (r spikeRun) asScripted() bool {
	full := r.profile.Arrivals[:min(3, len(r.profile.Arrivals))]
	for _, n := range full {
		if !plan.Within(float64(n), spikeRate, 0.10) {
			return false
		}
	}
	return len(full) == 3 && plan.Within(float64(r.served.HandlerDuration), float64(spikeHandler), 0.10)
}

func realSpike(t *testing.T) spikeRun {
	t.Helper()
	cfg := lambdatarget.DefaultConfig()
	cfg.HandlerDuration, cfg.InitDuration = spikeHandler, 50*time.Millisecond
	cfg.ScalingModel, cfg.Burst = lambda.Legacy, 20
	start := time.Now() // the emulator's clock starts within microseconds of it
	srv, err := lambdatarget.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rec := &arrivalRecorder{start: start}
	ts := httptest.NewServer(rec.wrap(srv))
	defer func() { srv.Close(); ts.Close() }()
	test, err := session.OneRequest(http.MethodGet, ts.URL+"/invoke", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	test.Phases = []schedule.Phase{plan.ConstantPhase(spikeRate, 3*time.Second)}
	if _, err := engine.Run(context.Background(), *test); err != nil {
		t.Fatal(err)
	}
	return spikeRun{profile: rec.profile(), served: rec.served(cfg.Config), status: readStatus(t, ts.URL)}
}

// arrivalRecorder counts the requests an emulator receives, per second of
// its clock, and times the Lambda invocations it serves (warm and cold
// apart, by the emulator's X-Surge-Cold-Start header).
type arrivalRecorder struct {
	start      time.Time
	mu         sync.Mutex
	per        []int64
	warm, cold []time.Duration
}

func (a *arrivalRecorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_surge/status" || r.URL.Path == "/metrics" {
			next.ServeHTTP(w, r)
			return
		}
		begin := time.Now()
		s := int(begin.Sub(a.start) / time.Second)
		next.ServeHTTP(w, r)
		took := time.Since(begin)
		a.mu.Lock()
		defer a.mu.Unlock()
		for len(a.per) <= s {
			a.per = append(a.per, 0)
		}
		a.per[s]++
		switch w.Header().Get("X-Surge-Cold-Start") {
		case "true":
			a.cold = append(a.cold, took)
		case "false":
			a.warm = append(a.warm, took)
		}
	})
}

func (a *arrivalRecorder) profile() plan.Profile {
	a.mu.Lock()
	defer a.mu.Unlock()
	return plan.Profile{Arrivals: slices.Clone(a.per)}
}

// served is the function as it ran: the mean warm invocation as the
// handler duration, the mean cold one's excess as the init.
func (a *arrivalRecorder) served(cfg lambda.Config) lambda.Config {
	a.mu.Lock()
	defer a.mu.Unlock()
	mean := func(ds []time.Duration) time.Duration {
		var sum time.Duration
		for _, d := range ds {
			sum += d
		}
		return sum / time.Duration(max(len(ds), 1))
	}
	if len(a.warm) > 0 {
		cfg.HandlerDuration = mean(a.warm)
	}
	if len(a.cold) > 0 {
		cfg.InitDuration = max(0, mean(a.cold)-cfg.HandlerDuration)
	}
	return cfg
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
