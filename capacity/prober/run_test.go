package prober

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/session"
)

// workers is a loopback target of known capacity: c workers, each
// holding a request for service; arrivals beyond them queue. It serves
// at most c/service requests a second.
func workers(t *testing.T, c int, service time.Duration) *httptest.Server {
	slots := make(chan struct{}, c)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		time.Sleep(service)
		<-slots
	}))
	t.Cleanup(srv.Close)
	return srv
}

// getAndSLO is a test of one GET of url, and the objectives slo says.
func getAndSLO(t *testing.T, url, slo string) (*engine.Test, []capacity.Objective) {
	t.Helper()
	test, err := session.OneRequest("GET", url, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	objectives, err := capacity.ParseSLO(slo)
	if err != nil {
		t.Fatal(err)
	}
	return test, objectives
}

// selfWatchOff: these tests are about the search on a real target, not
// the generator's self-watch (tested in internal/cli), and must pass on a
// machine shared with a CPU hog, whose timers can run late.
var selfWatchOff = capacity.GeneratorLimits{MaxCPU: 100, MaxLagMs: 1e6}

// Against 4 workers of 100 ms (40 req/s at most), the search's answer
// lies below the capacity and within half of it, and what bound is
// named; the document round-trips through JSON. The SLO (p99 < 600 ms)
// leaves room for a busy machine's hiccups beside the 100 ms of service.
func TestRunFindsALoopbackTargetsCapacity(t *testing.T) {
	t.Parallel()
	test, slo := getAndSLO(t, workers(t, 4, 100*time.Millisecond).URL+"/", "p99<600ms")
	o := Options{Search: capacity.Config{SLO: slo, Start: 10, Precision: 0.3, Extensions: 1, Seed: 1, Generator: selfWatchOff},
		Probe: 2 * time.Second, Warmup: time.Second, Cooldown: 200 * time.Millisecond}
	var seen int
	o.OnProbe = func(capacity.Record) { seen++ }
	res, err := Run(context.Background(), test, o)
	if err != nil {
		t.Fatal(err)
	}
	a := res.Answer
	t.Logf("\n%s", Text(res))
	if raceOn {
		return
	}
	if a.Outcome != capacity.Found || a.Max > 40 || a.Max < 20 || a.Fail <= a.Max {
		t.Errorf("answer %+v: want found, between 20 and the capacity, 40", a)
	}
	if len(a.Binding) == 0 || seen != len(res.Records) {
		t.Errorf("binding %v, %d probes seen of %d", a.Binding, seen, len(res.Records))
	}
	b, err := NewDocument(res, o).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil || back.Schema != Schema || back.Answer.Max != a.Max || len(back.Probes) != len(res.Records) {
		t.Errorf("document: %v %+v", err, back.Answer)
	}
	var page strings.Builder
	if err := writePage(&page, res); err != nil || !strings.Contains(page.String(), "<svg") {
		t.Errorf("report: %v", err)
	}
}

// In the closed model the search varies users: with 4 workers of 100 ms,
// N looping users (N ≥ 4) take about N × 25 ms a request on average, so
// avg < 300 ms holds up to about 12 users.
func TestRunSearchesUsers(t *testing.T) {
	t.Parallel()
	srv := workers(t, 4, 100*time.Millisecond)
	test, slo := getAndSLO(t, srv.URL+"/", "avg<300ms")
	o := Options{Search: capacity.Config{Mode: capacity.Users, SLO: slo, Start: 4, Precision: 0.25, Extensions: 1, Seed: 1,
		Generator: selfWatchOff}, Probe: 2 * time.Second, Warmup: time.Second}
	res, err := Run(context.Background(), test, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", Text(res))
	for _, r := range res.Records {
		if r.Load != float64(int(r.Load)) || r.Judgement.Offered != 0 {
			t.Fatalf("probe at %g users offered %g: users are whole, and offer no rate", r.Load, r.Judgement.Offered)
		}
	}
	if raceOn {
		return
	}
	if a := res.Answer; a.Outcome != capacity.Found || a.Max < 8 || a.Max > 13 {
		t.Errorf("answer %+v, want about 12 users", a)
	}
}

// A search stopped by its context ends at once with what it has, marked
// interrupted.
func TestRunStopsWhenCancelled(t *testing.T) {
	srv := workers(t, 4, time.Millisecond)
	test, err := session.OneRequest("GET", srv.URL+"/", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	slo, _ := capacity.ParseSLO("p99<60ms")
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	o := Options{Search: capacity.Config{SLO: slo, Start: 20}, Probe: 2 * time.Second, Warmup: time.Second}
	res, err := Run(ctx, test, o)
	if err != nil || !res.Interrupted || res.Answer.Outcome != capacity.Searching || len(res.Records) != 0 {
		t.Errorf("err %v, interrupted %v, outcome %v, %d probes; want an interrupted search that judged nothing",
			err, res.Interrupted, res.Answer.Outcome, len(res.Records))
	}
}

// A target past its capacity holds every connection while its queue
// grows, so arrivals wait ever longer to be sent: the search must read
// that as the target's limit (the SLO fails on latency), not as a
// generator that could not drive the load, which would report no
// capacity at all. The generator's limits here are real ones, but with
// room for a machine shared with a CPU hog: its timers' lag stays far
// below 150 ms, while the wait for a connection at three times the
// capacity averages about 270 ms over the probe (4 workers of 100 ms
// serve 40 requests a second).
func TestRunReadsAFullTargetsQueueAsTheTargets(t *testing.T) {
	t.Parallel()
	test, slo := getAndSLO(t, workers(t, 4, 100*time.Millisecond).URL+"/", "p99<600ms")
	limits := capacity.GeneratorLimits{MaxCPU: 100, MaxLagMs: 150}
	o := Options{Search: capacity.Config{SLO: slo, Start: 30, Growth: 4, MaxProbes: 2, Seed: 1, Generator: limits},
		Probe: 3 * time.Second, Warmup: time.Second, Cooldown: 200 * time.Millisecond}
	res, err := Run(context.Background(), test, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", Text(res))
	if res.Answer.Outcome == capacity.GeneratorSaturated || len(res.Records) != 2 {
		t.Fatalf("the target's queue read as the generator's: %+v", res.Answer)
	}
	over := res.Records[1].Judgement
	if over.Verdict != capacity.Fail || !slices.Contains(over.Reasons, capacity.Latency) || slices.Contains(over.Reasons, capacity.Saturation) {
		t.Errorf("at %g req/s: %v %v, want a failure on latency and not the generator's", over.Load, over.Verdict, over.Reasons)
	}
}
