package distributed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/threshold"
)

// slowServer answers /slow/N after N ms and anything else at once.
func slowServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ms, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/slow/")); err == nil {
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// testOf compiles a script of phases against target: two scenarios, one
// of them slow.
func testOf(t *testing.T, target, phases string) *engine.Test {
	t.Helper()
	path := filepath.Join(t.TempDir(), "load.yml")
	script := fmt.Sprintf(`config:
  target: %s
  phases: [%s]
scenarios:
  - {name: fast, weight: 3, flow: [{get: {url: /fast}}]}
  - {name: slow, weight: 1, flow: [{get: {url: /slow/15}}]}
`, target, phases)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	test, err := flow.Compile(s, flow.Options{Target: target})
	if err != nil {
		t.Fatal(err)
	}
	return test
}

// cluster runs a coordinator with its own share and n-1 workers, each
// writing its share's results file into dir, and returns the outcome.
type cluster struct {
	t       *testing.T
	target  string
	phases  string
	n       int
	dir     string
	options session.Options // the coordinator's outputs
	// skews sets worker k's clock that far off this machine's.
	skews map[int]time.Duration
}

func (c cluster) run(ctx context.Context) (*Outcome, []string, []error) {
	seq, err := schedule.EqualSequence(c.n)
	if err != nil {
		c.t.Fatal(err)
	}
	addr := freeaddr.Loopback(c.t)
	files := make([]string, c.n)
	for k := range files {
		files[k] = filepath.Join(c.dir, fmt.Sprintf("share%d.json", k))
	}
	errs := make([]error, c.n)
	var wg sync.WaitGroup
	for k := 1; k < c.n; k++ {
		wg.Go(func() {
			w := Worker{Addr: addr, Wait: 20 * time.Second, Segment: seq.Share(k), Sequence: seq.String()}
			if d, ok := c.skews[k]; ok {
				w.now = func() time.Time { return time.Now().Round(0).Add(d) }
			}
			_, _, errs[k] = Work(ctx, w, testOf(c.t, c.target, c.phases), results.Test{}, session.Options{ResultsFile: files[k]})
		})
	}
	own := &Own{Test: testOf(c.t, c.target, c.phases), Options: session.Options{ResultsFile: files[0]}}
	cfg := Config{Listen: addr, Wait: 20 * time.Second, Sequence: seq}
	out, err := Coordinate(ctx, cfg, own.Test.Phases, results.Test{}, c.options, own)
	errs[0] = err
	if out != nil {
		out.Release(Verdict{})
	}
	wg.Wait()
	return out, files, errs
}

// Eight shares: one histogram into which every latency they recorded is put one
// by one (each share's aggregate histogram read bucket by bucket) has the
// percentiles of the coordinator's merged results.
func TestMergedPercentilesEqualOneHistogramOfEverySample(t *testing.T) {
	srv := slowServer(t)
	dir := t.TempDir()
	merged := filepath.Join(dir, "merged.json")
	c := cluster{t: t, target: srv.URL, phases: "{duration: 1.5, arrivalRate: 80}", n: 8, dir: dir,
		options: session.Options{ResultsFile: merged}}
	out, files, errs := c.run(context.Background())
	for k, err := range errs {
		if err != nil {
			t.Fatalf("share %d: %v", k, err)
		}
	}
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	one := metrics.NewHistogram()
	var inputs []results.Input
	for _, f := range files {
		share, err := results.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, results.Input{Source: f, Results: share})
		h, err := metrics.DecodeHistogram(share.Aggregate.Hist.Latency)
		if err != nil {
			t.Fatal(err)
		}
		h.ForEachBucket(func(v, n int64) bool {
			for range n {
				one.RecordValue(v)
			}
			return true
		})
	}
	want := results.Summarise(one)
	got := r.Aggregate.Latency
	if got.P50 != want.P50 || got.P99 != want.P99 || got.P999 != want.P999 || got.Sample != want.Sample || got.Sample != 120 {
		t.Fatalf("merged p50/p99/p99.9 %v/%v/%v of %d, one histogram %v/%v/%v of %d (120 arrivals)",
			got.P50, got.P99, got.P999, got.Sample, want.P50, want.P99, want.P999, want.Sample)
	}
	byMerge, err := results.Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	if byMerge.Aggregate.Latency != got || out.Results.Aggregate.Requests != byMerge.Aggregate.Requests {
		t.Fatalf("the coordinator's merge %+v differs from surge merge's %+v", got, byMerge.Aggregate.Latency)
	}
	t.Logf("8 shares, %d requests: merged p50 %v p99 %v p99.9 %v; one histogram %v %v %v; start skew %.3f ms", got.Sample, got.P50, got.P99, got.P999, want.P50, want.P99, want.P999, *r.Plan.StartSkewMS)
	if len(r.Plan.Clocks) != 8 || r.Plan.StartSkewMS == nil {
		t.Fatalf("clocks %+v, skew %v", r.Plan.Clocks, r.Plan.StartSkewMS)
	}
}

// A threshold with abortOnFail judged on the merged seconds stops every
// share: the test of 30 seconds ends within a few, stopped by the rule.
func TestARuleOnTheMergedSecondsStopsEveryShare(t *testing.T) {
	srv := slowServer(t)
	th, err := threshold.Parse("http_req_duration: p(99)<1 abortOnFail")
	if err != nil {
		t.Fatal(err)
	}
	c := cluster{t: t, target: srv.URL, phases: "{duration: 30, arrivalRate: 40}", n: 3, dir: t.TempDir(),
		options: session.Options{Thresholds: []threshold.Threshold{th}}}
	began := time.Now()
	out, files, errs := c.run(context.Background())
	for k, err := range errs {
		if err != nil {
			t.Fatalf("share %d: %v", k, err)
		}
	}
	if out.Rules.Abort == nil || out.Results.Test.AbortedBy == "" {
		t.Fatalf("not stopped by the rule: %+v", out.Rules)
	}
	if took := time.Since(began); took > 20*time.Second {
		t.Fatalf("a test stopped by a rule took %s of its 30", took)
	}
	for _, f := range files {
		share, err := results.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !share.Test.Interrupted || share.Test.DurationS > 20 {
			t.Fatalf("%s: ran %.1fs, interrupted %v: not stopped", f, share.Test.DurationS, share.Test.Interrupted)
		}
	}
}

// Workers whose clocks are off (one 300 ms ahead, one 200 ms behind) are
// measured so, and each is sent the start on its own clock: the shares
// start together, where one instant sent alike to all would have started
// them 500 ms apart.
func TestClockOffsetsAreMeasuredAndTheStartAdjusted(t *testing.T) {
	srv := slowServer(t)
	skews := map[int]time.Duration{1: 300 * time.Millisecond, 2: -200 * time.Millisecond}
	merged := filepath.Join(t.TempDir(), "merged.json")
	c := cluster{t: t, target: srv.URL, phases: "{duration: 1, arrivalRate: 30}", n: 3, dir: t.TempDir(),
		options: session.Options{ResultsFile: merged}, skews: skews}
	_, _, errs := c.run(context.Background())
	for k, err := range errs {
		if err != nil {
			t.Fatalf("share %d: %v", k, err)
		}
	}
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	for k, clk := range r.Plan.Clocks {
		off := time.Duration(clk.OffsetMS * float64(time.Millisecond))
		rtt := time.Duration(clk.RTTMS * float64(time.Millisecond))
		if d := off - skews[k]; d.Abs() > rtt/2+time.Millisecond {
			t.Errorf("share %d: offset %v, the clock is %v off (rtt %v)", k, off, skews[k], rtt)
		}
	}
	if skew := *r.Plan.StartSkewMS; skew > 150 {
		t.Fatalf("start skew %.1f ms with clocks 500 ms apart: the start was not adjusted per worker (clocks %+v)", skew, r.Plan.Clocks)
	}
	t.Logf("clocks 500 ms apart: start skew %.3f ms", *r.Plan.StartSkewMS)
}

// A worker without the coordinator's token is refused and the barrier
// keeps waiting: the worker with the token joins and the test runs.
func TestAWorkerWithoutTheTokenIsRefused(t *testing.T) {
	srv := slowServer(t)
	const token = "0123456789abcdef-token"
	seq, err := schedule.EqualSequence(2)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeaddr.Loopback(t)
	phases := "{duration: 0.5, arrivalRate: 20}"
	type outcome struct {
		out *Outcome
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		own := &Own{Test: testOf(t, srv.URL, phases)}
		out, err := Coordinate(context.Background(), Config{Listen: addr, Token: token, Wait: 20 * time.Second, Sequence: seq},
			own.Test.Phases, results.Test{}, session.Options{}, own)
		if out != nil {
			out.Release(Verdict{})
		}
		done <- outcome{out, err}
	}()
	_, _, err = Work(context.Background(), Worker{Addr: addr, Token: "wrong-token-of-16+", Wait: 20 * time.Second},
		testOf(t, srv.URL, phases), results.Test{}, session.Options{})
	if _, ok := err.(*LostError); !ok || !strings.Contains(err.Error(), "token") {
		t.Fatalf("a worker with the wrong token: %v", err)
	}
	_, v, err := Work(context.Background(), Worker{Addr: addr, Token: token, Wait: 20 * time.Second},
		testOf(t, srv.URL, phases), results.Test{}, session.Options{})
	o := <-done
	if err != nil || o.err != nil || v.Code != 0 || o.out.Results.Aggregate.Requests != 10 {
		t.Fatalf("worker %v (verdict %+v), coordinator %v", err, v, o.err)
	}
}
