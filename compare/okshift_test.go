package compare

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/session"
)

// shiftOf finds a Mann-Whitney test of the report.
func (r *Report) shiftOf(scope, which string) (Shift, bool) {
	for _, s := range r.Shifts {
		if s.Scope == scope && s.Latency == which {
			return s, true
		}
	}
	return Shift{}, false
}

// checkShiftsOfFewerFastFailures: in the serverless lab's case the
// Mann-Whitney test of every request says the head is slower (its
// fast 503s are fewer) and that of the successes says it is faster,
// each with the design effect of its own series, and the text tells the
// two lines apart.
func checkShiftsOfFewerFastFailures(t *testing.T, rep *Report, base, head *Run) {
	t.Helper()
	all, _ := rep.shiftOf(AllEndpoints, LatencyAll)
	ok, found := rep.shiftOf(AllEndpoints, LatencyOK)
	if all.Superiority < 0.6 || all.P > 0.01 {
		t.Errorf("every request: %+v; want the head slower", all)
	}
	if !found || ok.Superiority > 0.4 || ok.P > 0.01 {
		t.Errorf("the requests that did not fail: %+v (found %v); want the head faster", ok, found)
	}
	for _, tt := range []struct {
		s      Shift
		median Metric
	}{{all, P50}, {ok, OKP50}} {
		if want := wantDesignEffect(rep, tt.median, base, head); math.Abs(tt.s.DesignEffect-want) > 1e-9*want {
			t.Errorf("%s shift: design effect %.4f, want %.4f (from the %s and %s rows' own series)",
				tt.s.Latency, tt.s.DesignEffect, want, tt.median, tt.median-P50+Mean)
		}
	}
	var text bytes.Buffer
	if err := WriteText(&text, rep); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nlatency distribution of all requests, all: P(head slower) = ",
		"\nlatency distribution of the requests that did not fail, all: P(head slower) = "} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks %q", want)
		}
	}
}

// wantDesignEffect is what a shift of the all scope should be inflated
// by, worked out from the rows rather than the code under test: per run,
// the larger of the bootstrap variances of log median and log mean (the
// rows' standard deviations) over those of independent requests in the
// run's merged histogram, at least 1; then averaged over the runs.
func wantDesignEffect(rep *Report, median Metric, base, head *Run) float64 {
	mean := median - P50 + Mean
	p50, avg := rep.row(AllEndpoints, median), rep.row(AllEndpoints, mean)
	var sum float64
	for i, run := range []*Run{base, head} {
		h := mergedOf(run, median.IsOK())
		sds := [2]float64{p50.BaseSD, avg.BaseSD}
		if i == 1 {
			sds = [2]float64{p50.HeadSD, avg.HeadSD}
		}
		worst := 1.0
		for j, m := range []Metric{median, mean} {
			worst = math.Max(worst, math.Pow(sds[j]/math.Max(iidSD(h, m), resolution), 2))
		}
		sum += worst
	}
	return sum / 2
}

func mergedOf(run *Run, ok bool) *hdr.PackedHistogram {
	h := metrics.NewHistogram()
	for _, iv := range run.Intervals {
		if ok {
			h.Merge(iv.LatencyOK)
		} else {
			h.Merge(iv.Latency)
		}
	}
	return h
}

// Two endpoints in real runs: GET /fn throttled as in the serverless lab
// (fewer fast 503s and faster successes in the head), GET /gone
// answering in 5 ms in the base and failing every request in the head.
// /fn gets the test of its successes, saying faster where the test of
// every request says slower; /gone, with no success in the head, gets
// none, and the JSON holds no null where a number was due.
func TestSecondOpinionOnTheSuccessesPerEndpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("two 11 s runs")
	}
	gone := []http.HandlerFunc{throttled(0, 5*time.Millisecond), throttled(10, 0)}
	fn := []http.HandlerFunc{throttled(7, 160*time.Millisecond), throttled(1, 40*time.Millisecond)}
	paths := runBoth(t, func(i int, path string) error {
		mux := http.NewServeMux()
		mux.Handle("/fn", fn[i])
		mux.Handle("/gone", gone[i])
		srv := httptest.NewServer(mux)
		defer srv.Close()
		test, err := session.RoundRobin([]session.Request{{URL: srv.URL + "/fn"}, {URL: srv.URL + "/gone"}})
		if err != nil {
			return err
		}
		return runTest(test, path)
	})
	rep := mustCompare(t, readRun(t, paths[0], nil), readRun(t, paths[1], nil), fast)
	var text bytes.Buffer
	if err := WriteText(&text, rep); err != nil {
		t.Fatal(err)
	}
	t.Logf("compare:\n%s", text.String())
	all, _ := rep.shiftOf("GET /fn", LatencyAll)
	ok, found := rep.shiftOf("GET /fn", LatencyOK)
	if all.Superiority < 0.6 || all.P > 0.01 || !found || ok.Superiority > 0.4 || ok.P > 0.01 {
		t.Errorf("GET /fn: every request %+v, the successes %+v (found %v); want slower, then faster", all, ok, found)
	}
	if s, found := rep.shiftOf("GET /gone", LatencyOK); found {
		t.Errorf("GET /gone: a test of the successes of a run without any: %+v", s)
	}
	if r := rep.row("GET /gone", OKP50); r.Note != "no request succeeded in after.json" || !math.IsNaN(r.Head) || !(r.Base > 0) {
		t.Errorf("GET /gone ok_p50: note %q, base %v, head %v (want a value, then none)", r.Note, r.Base, r.Head)
	}
	if !regexp.MustCompile(`(?m)^  ok_p50 +[0-9.]+ms +– +– `).MatchString(text.String()) {
		t.Error("the text does not show GET /gone's ok_p50 in the head as –")
	}
	checkShiftJSON(t, rep, map[string]int{"all all": 1, "GET /fn all": 1, "GET /gone all": 1, "all ok": 1, "GET /fn ok": 1})
	if !strings.Contains(text.String(), "\nlatency distribution of the requests that did not fail, GET /fn: ") {
		t.Error("the text lacks the test of GET /fn's successes")
	}
}

// checkShiftJSON: latency_shift holds the shifts want counts (by scope
// and latency), every number of each a number.
func checkShiftJSON(t *testing.T, rep *Report, want map[string]int) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, []*Report{rep}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Comparisons []struct {
			Shifts []map[string]any `json:"latency_shift"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range doc.Comparisons[0].Shifts {
		got[s["scope"].(string)+" "+s["latency"].(string)]++
		for _, k := range []string{"p_head_slower", "z", "p", "p_independent", "design_effect"} {
			if _, isNumber := s[k].(float64); !isNumber {
				t.Errorf("shift %v: %s is %v", s, k, s[k])
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("latency_shift %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("latency_shift %v, want %v", got, want)
			break
		}
	}
}
