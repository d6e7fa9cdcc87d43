package prober

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/capacity"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/testbed"
)

// shedding is the heavy target overloaded the way servers shed load: it
// holds each request for hold, at most two at a time, and answers the
// rest 503 at once (surge target --max-concurrency 2 --latency hold).
func shedding(t *testing.T, hold time.Duration) *httptest.Server {
	tb, err := testbed.New(testbed.Config{MaxConcurrency: 2, Latency: hold})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tb)
	t.Cleanup(srv.Close)
	return srv
}

// probeOnce runs a search of one load (start and max at it) against url.
func probeOnce(t *testing.T, url, slo string, load float64) Result {
	t.Helper()
	test, objectives := getAndSLO(t, url, slo)
	o := Options{Search: capacity.Config{SLO: objectives, Start: load, Max: load, Extensions: -1, Seed: 1,
		Generator: selfWatchOff}, Probe: 2 * time.Second, Warmup: time.Second}
	res, err := Run(context.Background(), test, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) == 0 {
		t.Fatalf("no probe ran:\n%s", Text(res))
	}
	t.Logf("\n%s", Text(res))
	return res
}

// At 40 req/s against two slots of 300 ms, about 7 requests a second
// succeed, each in 300 ms or more, and the other 33 get a 503 at once: the
// median of every request is a fast failure's and meets p50<150ms; the
// median of the requests that did not fail is 300 ms and breaks
// ok_p50<150ms, which is the probe's verdict, named as written, its value
// shown in the table, the JSON and the report. The machine's load only
// slows the failures a little and cannot make a success take less than
// the 300 ms it is held.
func TestRunJudgesTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	t.Parallel()
	srv := shedding(t, 300*time.Millisecond)
	res := probeOnce(t, srv.URL+"/", "p50<150ms, ok_p50<150ms, http_req_duration{expected_response:true}: avg<150", 40)
	j := res.Records[0].Judgement
	all, ok, avg := j.Estimates[0], j.Estimates[1], j.Estimates[2]
	if ok.Verdict != capacity.Fail || ok.Value < 290 || avg.Verdict != capacity.Fail || avg.Value < 290 {
		t.Errorf("the successes' p50 %v at %g ms, avg %v at %g ms: want both FAIL at 300 ms or more",
			ok.Verdict, ok.Value, avg.Verdict, avg.Value)
	}
	if j.Verdict != capacity.Fail || !slices.Contains(j.Reasons, capacity.Latency) || res.Answer.Outcome != capacity.BelowStart {
		t.Errorf("probe %v %v, search %v: want FAIL (latency), below start", j.Verdict, j.Reasons, res.Answer.Outcome)
	}
	if j.Failures < j.Requests*6/10 {
		t.Fatalf("%d of %d requests failed: the target did not shed most of the load", j.Failures, j.Requests)
	}
	if all.Value > ok.Value/2 || (!raceOn && all.Verdict != capacity.Pass) {
		t.Errorf("every request's p50: %v at %g ms, want a PASS well below the successes' %g ms", all.Verdict, all.Value, ok.Value)
	}
	text := Text(res)
	for _, want := range []string{"ok_p(50) [90% CI]", "p50<150ms, ok_p50<150ms, http_req_duration{expected_response:true}: avg<150\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q", want)
		}
	}
	doc := NewDocument(res, Options{})
	if d := doc.Probes[0].Objectives[1]; d.Objective != "ok_p50<150ms" || d.Value == nil || *d.Value != ok.Value || d.Verdict != "FAIL" {
		t.Errorf("document: %+v", d)
	}
	if doc.SLO[2] != "http_req_duration{expected_response:true}: avg<150" {
		t.Errorf("document's SLO %q", doc.SLO)
	}
}

// A probe in which every request failed has no latency of the requests
// that did not fail: the objective on it fails, saying no request
// succeeded, where every request's p99 (instant 503s) passes.
func TestRunFailsASuccessOnlyObjectiveWhenNothingSucceeded(t *testing.T) {
	t.Parallel()
	srv := shedding(t, 0)
	res := probeOnce(t, srv.URL+"/status/503", "p99<300ms, ok_p99<300ms", 20)
	j := res.Records[0].Judgement
	if e := j.Estimates[1]; !e.NoSuccess || e.Verdict != capacity.Fail {
		t.Errorf("ok_p99: %+v, want FAIL with no success", e)
	}
	if j.Verdict != capacity.Fail || !slices.Equal(j.Reasons, []capacity.Constraint{capacity.NoSuccess}) ||
		!slices.Equal(res.Answer.Binding, []capacity.Constraint{capacity.NoSuccess}) {
		t.Errorf("probe %v %v, bound by %v: want FAIL (no request succeeded)", j.Verdict, j.Reasons, res.Answer.Binding)
	}
	if text := Text(res); !strings.Contains(text, "none succeeded") || !strings.Contains(text, "FAIL (no request succeeded)") {
		t.Errorf("the text does not say no request succeeded")
	}
	b, err := NewDocument(res, Options{}).JSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc Document
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if d := doc.Probes[0].Objectives[1]; !d.NoSuccess || d.Value != nil || d.Verdict != "FAIL" {
		t.Errorf("document: %+v", d)
	}
	var page strings.Builder
	if err := writePage(&page, res); err != nil || !strings.Contains(page.String(), "<svg") || strings.Contains(page.String(), "NaN") {
		t.Errorf("report: %v", err)
	}
}

// An interval's histogram of the requests that did not fail must count
// them; one the SLO needs and the run did not record is an error, not a
// probe in which nothing succeeded.
func TestSecondTakesTheSuccessesHistogram(t *testing.T) {
	iv := results.Interval{Requests: 10, Failures: 4}
	needs, _ := capacity.ParseSLO("ok_p99<1s")
	plain, _ := capacity.ParseSLO("p99<1s")
	if _, err := (Options{Search: capacity.Config{SLO: needs}}).second(iv); err == nil || !strings.Contains(err.Error(), "not recorded") {
		t.Errorf("missing and needed: %v", err)
	}
	if s, err := (Options{Search: capacity.Config{SLO: plain}}).second(iv); err != nil || s.LatencyOK != nil {
		t.Errorf("missing, not needed: %v", err)
	}
	encode := func(n int64) string {
		h := metrics.NewHistogram()
		_ = h.RecordValues(2_000, n)
		text, err := metrics.EncodeHistogram(h)
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	iv.Hist = results.Histograms{Latency: encode(10), LatencyOK: encode(6)}
	if s, err := (Options{}).second(iv); err != nil || s.LatencyOK.TotalCount() != 6 || s.Latency.TotalCount() != 10 {
		t.Errorf("recorded: %v", err)
	}
	iv.Hist.LatencyOK = iv.Hist.Latency // every request's, failures too
	if _, err := (Options{}).second(iv); err == nil || !strings.Contains(err.Error(), "requests less failures") {
		t.Errorf("a histogram of other requests: %v", err)
	}
}
