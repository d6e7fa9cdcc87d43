package threshold

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/series"
)

// k6's http_req_duration{expected_response:true}, alone or with the name
// tag in either order, and Surge's ok_ before a latency aggregation, read
// as the latency of the requests that did not fail, written back as
// Surge spells it.
func TestParseLatencyOK(t *testing.T) {
	pct := func(q float64) alert.Statistic { return alert.Statistic{Kind: alert.Percentile, P: q} }
	ok := func(endpoint string) alert.Metric { return alert.Metric{Name: alert.LatencyOK, Endpoint: endpoint} }
	for _, c := range []struct {
		in        string
		metric    alert.Metric
		stat      alert.Statistic
		unit      alert.Unit
		value     float64
		canonical string
	}{
		{"http_req_duration{expected_response:true}: p(95)<500", ok(""), pct(95), alert.Millis, 500, "ok_p(95)<500ms"},
		{"http_req_duration{name:GET /items,expected_response:true}: p(95)<250", ok("GET /items"), pct(95), alert.Millis, 250, "GET /items: ok_p(95)<250ms"},
		{"http_req_duration{ expected_response : 'true' , name: \"GET /items\" }: avg<1s", ok("GET /items"), alert.Statistic{Kind: alert.Average}, alert.Millis, 1000, "GET /items: ok_avg<1000ms"},
		{"http_req_duration{expected_response:true}: med<100", ok(""), pct(50), alert.Millis, 100, "ok_p(50)<100ms"},
		{"http_req_duration{expected_response:true}: min>1", ok(""), alert.Statistic{Kind: alert.Minimum}, alert.Millis, 1, "ok_min>1ms"},
		{"http_req_duration{expected_response:true}: max<=2s", ok(""), alert.Statistic{Kind: alert.Maximum}, alert.Millis, 2000, "ok_max<=2000ms"},
		{"http_req_duration{expected_response:true}: count>10", ok(""), alert.Statistic{Kind: alert.SampleCount}, alert.Count, 10, "ok_count>10"},
		{"http_req_duration{expected_response:true,expected_response:true}: avg<1", ok(""), alert.Statistic{Kind: alert.Average}, alert.Millis, 1, "ok_avg<1ms"},
		{"ok_p(99.9)<300ms over 30s abortOnFail", ok(""), pct(99.9), alert.Millis, 300, "ok_p(99.9)<300ms over 30s abortOnFail"},
		{"GET /a: ok_count>=1", ok("GET /a"), alert.Statistic{Kind: alert.SampleCount}, alert.Count, 1, "GET /a: ok_count>=1"},
		{"http_req_duration: ok_med<5", ok(""), pct(50), alert.Millis, 5, "ok_p(50)<5ms"},
		// A comma that starts no tag is the name's, as before tags could be several.
		{"http_req_duration{name:GET /a?x=1,2}: p(95)<1", alert.Metric{Name: alert.Latency, Endpoint: "GET /a?x=1,2"}, pct(95), alert.Millis, 1, "GET /a?x=1,2: p(95)<1ms"},
	} {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got.Metric != c.metric || got.Stat != c.stat || got.Unit != c.unit || math.Abs(got.Value-c.value) > 1e-12 {
			t.Errorf("%q: got %+v", c.in, got)
		}
		if s := got.String(); s != c.canonical {
			t.Errorf("%q: written %q, want %q", c.in, s, c.canonical)
		}
	}
}

func TestParseLatencyOKErrors(t *testing.T) {
	for _, c := range []struct {
		in  string
		col int
		msg string
	}{
		{"http_req_duration{expected_response:false}: p(95)<1", 18, "not of the failed ones alone"},
		{"http_req_duration{name:a,expected_response:false}: p(95)<1", 18, "expected_response:false"},
		{"http_req_duration{expected_response:yes}: p(95)<1", 18, "k6's values are true and false"},
		{"http_req_failed{expected_response:true}: rate<0.01", 16, "filters http_req_duration only"},
		{"http_reqs{expected_response:true}: count>1", 10, "filters http_req_duration only"},
		{"vus{expected_response:true}: max<1", 4, "filters http_req_duration only"},
		{"http_req_duration{name:a,name:b}: avg<1", 18, `tag "name" given twice`},
		{"http_req_duration{name:a,status:200}: avg<1", 18, `tag "status"`},
		{"http_req_duration{}: avg<1", 18, "has no value"},
		{"http_req_duration{expected_response:true}: rate<1%", 44, "unknown aggregation"},
		{"ok_rate<1%", 1, "ok_ goes before p(N)"},
		{"ok_rps>1", 1, `unknown aggregation "ok_rps"`},
		{"ok_p(101)<1", 1, "from 0 to 100"},
		{"http_req_failed: ok_rate<1%", 18, "unknown aggregation"},
		{"ok_count>1.5", 10, "whole number"},
		{"http_req_duration{name:a\x01}: avg<1", 18, "control character"},
	} {
		_, err := Parse(c.in)
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("%q: %v, want a parse error", c.in, err)
			continue
		}
		if pe.Col != c.col || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: column %d %q, want column %d and %q", c.in, pe.Col, pe.Msg, c.col, c.msg)
		}
	}
}

// mixed is a second of ok requests that did not fail, each taking okMS,
// and failed ones that failed fast, each taking failedMS.
func mixed(i int, ok int64, okMS float64, failed int64, failedMS float64) series.Second {
	all, good := metrics.NewHistogram(), metrics.NewHistogram()
	record := func(h interface{ RecordValues(int64, int64) error }, n int64, ms float64) {
		if n > 0 {
			_ = h.RecordValues(int64(ms*1000), n)
		}
	}
	record(all, ok, okMS)
	record(all, failed, failedMS)
	record(good, ok, okMS)
	return series.Second{Index: i, Start: t0.Add(time.Duration(i) * time.Second), Duration: time.Second,
		Total: series.Sample{Requests: ok + failed, Failures: failed, Latency: all, LatencyOK: good}}
}

// An overload: five healthy seconds (50 ms), then seconds in which most
// requests fail in 2 ms and the rest succeed in 300 ms. Over every
// request the p90 stays at 50 ms and the plain threshold passes; over
// the requests that did not fail it is 300 ms and the k6 threshold on
// expected_response:true fails. Windowed with abortOnFail it stops the
// run at the first window whose successes are mostly slow; after a reset
// it counts its window and its delay from the reset.
func TestLatencyOKThresholdsSeeWhatFastFailuresHide(t *testing.T) {
	var secs []series.Second
	for i := range 12 {
		if i < 5 {
			secs = append(secs, mixed(i, 100, 50, 0, 0))
		} else {
			secs = append(secs, mixed(i, 100, 300, 900, 2))
		}
	}
	plain, err := Judge(mustParse(t, "http_req_duration: p(90)<100"), secs)
	if err != nil || !plain.Passed {
		t.Fatalf("every request's p(90): %+v, %v; want a pass", plain, err)
	}
	ok, err := Judge(mustParse(t, "http_req_duration{expected_response:true}: p(90)<100"), secs)
	if err != nil || ok.Passed || ok.Value < 299 || ok.Value > 301 {
		t.Fatalf("the p(90) of the requests that did not fail: %+v, %v; want a failure at 300 ms", ok, err)
	}
	if got := aborts(t, "ok_p(50)<100 over 2s abortOnFail", secs); fmt.Sprint(got) != "[6 7 8 9 10 11]" {
		t.Errorf("aborts at seconds %v, want from 6 on (the first window of two slow seconds)", got)
	}
	secs[8].Reset = true
	if got := aborts(t, "ok_p(50)<100 over 2s abortOnFail delayAbortEval=3s", secs); fmt.Sprint(got) != "[6 7 10 11]" {
		t.Errorf("with a reset at second 8, aborts at seconds %v, want 6, 7, then from 10 on (3 s after it)", got)
	}
}

// aborts lists the seconds after which the threshold asks to stop.
func aborts(t *testing.T, threshold string, secs []series.Second) []int {
	t.Helper()
	e := NewEvaluator(mustParse(t, threshold))
	var out []int
	for _, s := range secs {
		if _, _, err := e.Add(s); err != nil {
			t.Fatal(err)
		}
		if e.Abort() {
			out = append(out, s.Index)
		}
	}
	return out
}

// A run in which every request failed has no latency of the requests
// that did not fail: no data, not a pass at 0 ms. A source that did not
// record it (a results file of an earlier Surge) says so.
func TestLatencyOKWithoutData(t *testing.T) {
	v, err := Judge(mustParse(t, "ok_p(95)<100"), []series.Second{mixed(0, 0, 0, 50, 2), mixed(1, 0, 0, 50, 2)})
	if err != nil || !v.NoData || v.Passed {
		t.Errorf("every request failed: %+v, %v; want no data", v, err)
	}
	if _, err := Judge(mustParse(t, "ok_p(95)<100"), []series.Second{counts(0, 10, 2, 20)}); !errors.Is(err, series.ErrNoLatencyOK) {
		t.Errorf("a source without it: %v, want %v", err, series.ErrNoLatencyOK)
	}
}
