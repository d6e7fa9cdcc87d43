package engine

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
)

// slowHeader makes the test server take slowDelay over a request.
const (
	slowHeader = "X-Slow"
	slowDelay  = 25 * time.Millisecond
)

func slowableServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(slowHeader) != "" {
			time.Sleep(slowDelay)
		}
		w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// mixedTest sends three scenarios of one or two requests to url; slow
// marks its requests for the server to take its time.
func mixedTest(url string, slow bool) Test {
	get := func(vu *VU, endpoint int, path string) error {
		req, err := http.NewRequest(http.MethodGet, url+path, nil)
		if err != nil {
			return err
		}
		if slow {
			req.Header.Set(slowHeader, "1")
		}
		_, err = vu.Do(endpoint, req, false)
		return err
	}
	return Test{
		Seed: 11, Conns: Shared, Endpoints: []string{"GET /a", "GET /b", "GET /c"},
		Phases: []schedule.Phase{
			{Kind: schedule.Count, ArrivalCount: 240, Duration: 500 * time.Millisecond},
			{Kind: schedule.Ramp, ArrivalRate: 50, RampTo: 250, Duration: 2 * time.Second},
		},
		Scenarios: []Scenario{
			{Name: "a", Weight: 1, Run: func(_ context.Context, vu *VU) error { return get(vu, 0, "/a") }},
			{Name: "ab", Weight: 2, Run: func(_ context.Context, vu *VU) error {
				if err := get(vu, 0, "/a"); err != nil {
					return err
				}
				return get(vu, 1, "/b")
			}},
			{Name: "c", Weight: 3, Run: func(_ context.Context, vu *VU) error { return get(vu, 2, "/c") }},
		},
	}
}

// runToResults runs t and builds its results document, with its plan.
func runToResults(t *testing.T, test Test) *results.Results {
	b := results.Builder{Test: results.Test{Name: "split"}}
	test.OnSnapshot = b.Add
	if _, err := Run(context.Background(), test); err != nil {
		t.Error(err)
		return nil
	}
	r, err := b.Results()
	if err != nil {
		t.Error(err)
		return nil
	}
	plan, _ := schedule.New(test.Phases)
	seg := test.segment()
	r.Plan = &results.Plan{SHA256: test.PlanHash(), Arrivals: plan.Arrivals(), Sequence: seg.Sequence().String(),
		Segment: seg.String(), Seed: test.Seed}
	return r
}

// Eight shares run side by side against a loopback server and merged
// send exactly what one run of the plan sends, request for request and
// endpoint for endpoint; the merged percentiles are those of one
// histogram holding every latency the shares measured; and the average
// of the shares' p99s, with one share slow, is far below the true p99.
func TestEightSharesMergeIntoTheSingleRun(t *testing.T) {
	srv := slowableServer(t)
	single := runToResults(t, mixedTest(srv.URL, false))
	all := metrics.NewHistogram() // every latency the shares measure, one by one
	var mu sync.Mutex
	record := func(s metrics.Sample) {
		mu.Lock()
		defer mu.Unlock()
		all.RecordValue(min(max(s.Latency.Microseconds(), 1), int64(time.Hour/time.Microsecond)))
	}
	inputs := make([]results.Input, 8)
	var wg sync.WaitGroup
	for k := range inputs {
		seg, err := schedule.ParseSegment(fmt.Sprintf("%d/8", k), "")
		if err != nil {
			t.Fatal(err)
		}
		test := mixedTest(srv.URL, k == 7)
		test.Segment, test.sampled = seg, record
		wg.Go(func() { inputs[k] = results.Input{Source: seg.String(), Results: runToResults(t, test)} })
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	merged, err := results.Merge(inputs)
	if err != nil {
		t.Fatal(err)
	}
	checkCountsEqual(t, single, merged)
	checkExactPercentiles(t, merged, all)
	checkAveragedP99Misleads(t, inputs, merged)
}

func checkCountsEqual(t *testing.T, single, merged *results.Results) {
	t.Helper()
	s, m := single.Aggregate, merged.Aggregate
	if m.VUsers.Created != single.Plan.Arrivals || s.VUsers.Created != single.Plan.Arrivals || m.Dropped+s.Dropped != 0 {
		t.Errorf("VUs created: merged %d, single %d, plan %d arrivals (dropped %d, %d)",
			m.VUsers.Created, s.VUsers.Created, single.Plan.Arrivals, m.Dropped, s.Dropped)
	}
	if m.Requests != s.Requests || m.Codes["200"] != s.Requests {
		t.Errorf("requests: merged %d (codes %v), single run %d", m.Requests, m.Codes, s.Requests)
	}
	for i, e := range merged.Endpoints {
		if e.Name != single.Endpoints[i].Name || e.Requests != single.Endpoints[i].Requests {
			t.Errorf("endpoint %d: merged %s %d requests, single run %s %d", i, e.Name, e.Requests,
				single.Endpoints[i].Name, single.Endpoints[i].Requests)
		}
	}
	var perInterval int64
	for _, iv := range merged.Intervals {
		perInterval += iv.Requests
	}
	if perInterval != m.Requests {
		t.Errorf("the merged intervals hold %d requests, the aggregate %d", perInterval, m.Requests)
	}
	t.Logf("plan %d arrivals; single run and 8 shares merged: %d requests (%s %d, %s %d, %s %d)", single.Plan.Arrivals,
		m.Requests, merged.Endpoints[0].Name, merged.Endpoints[0].Requests, merged.Endpoints[1].Name,
		merged.Endpoints[1].Requests, merged.Endpoints[2].Name, merged.Endpoints[2].Requests)
}

func checkExactPercentiles(t *testing.T, merged *results.Results, all *hdr.PackedHistogram) {
	t.Helper()
	got, want := merged.Aggregate.Latency, results.Summarise(all)
	if got.P50 != want.P50 || got.P99 != want.P99 || got.P999 != want.P999 || got.Sample != want.Sample || got.Max != want.Max {
		t.Errorf("merged p50/p99/p99.9/max %v/%v/%v/%v over %d requests; one histogram of every latency %v/%v/%v/%v over %d",
			got.P50, got.P99, got.P999, got.Max, got.Sample, want.P50, want.P99, want.P999, want.Max, want.Sample)
	}
}

func checkAveragedP99Misleads(t *testing.T, inputs []results.Input, merged *results.Results) {
	t.Helper()
	var sum float64
	for _, in := range inputs {
		sum += in.Results.Aggregate.Latency.P99
	}
	avg, p99 := sum/float64(len(inputs)), merged.Aggregate.Latency.P99
	t.Logf("one slow share of 8 (+%v a request): merged p99 %.3f ms, average of the shares' p99s %.3f ms (%+.0f %%)",
		slowDelay, p99, avg, 100*(avg-p99)/p99)
	if p99 < float64(slowDelay.Milliseconds()) || avg >= p99 {
		t.Errorf("a slow share holding 1/8 of the requests: merged p99 %.3f ms (want at least %v), averaged %.3f ms (want below it)",
			p99, slowDelay, avg)
	}
}
