package ensure

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
)

// sample is a run of 10 VUs (one failed) whose requests took 1..100 ms.
func sample(t *testing.T) *results.Results {
	h := metrics.NewHistogram()
	for ms := 1; ms <= 100; ms++ {
		h.RecordValue(int64(ms * 1000))
	}
	enc, err := metrics.EncodeHistogram(h)
	if err != nil {
		t.Fatal(err)
	}
	r := &results.Results{Counters: map[string]int64{
		"http.requests": 100, "http.codes.200": 98, "http.codes.500": 2, "vusers.created": 10,
		"vusers.completed": 9, "vusers.failed": 1, "errors.Failed capture or match": 1,
	}}
	r.Aggregate.RPS = 49.6
	r.Aggregate.Latency = results.Summarise(h)
	r.Aggregate.Hist.Latency = enc
	r.Endpoints = []results.Endpoint{{Name: "GET /items?x=1", Stats: results.Stats{Codes: map[string]int64{"200": 98},
		Latency: r.Aggregate.Latency, Hist: results.Histograms{Latency: enc}}}}
	return r
}

func TestChecks(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want []string
		fail bool
	}{
		{"legacy limits", Spec{Legacy: []Legacy{{"p95", 200}, {"max", 50}, {"median", 60}}},
			[]string{"ok: p95 < 200", "ok: median < 60", "fail: max < 50"}, true},
		{"thresholds", Spec{Thresholds: []Threshold{{"http.response_time.p99", "150"}, {"http.codes.500", "1"}, {"vusers.session_length.p95", "10"}}},
			[]string{"ok: http.response_time.p99 < 150", "fail: http.codes.500 < 1", "fail: vusers.session_length.p95 < 10"}, true},
		{"conditions, strict and not", Spec{Conditions: []Condition{
			{"http.requests == 100 and errors.Failed capture or match < 2", true},
			{"http.request_rate >= 50", true},
			{"vusers.failed == 0", false},
			{"plugins.metrics-by-endpoint.response_time./items.p50 < 60", true},
		}}, []string{"ok: http.requests == 100 and errors.Failed capture or match < 2", "ok: http.request_rate >= 50",
			"ok: plugins.metrics-by-endpoint.response_time./items.p50 < 60", "fail: vusers.failed == 0 (optional)"}, false},
		{"max error rate", Spec{MaxErrorRate: 10, HasMaxErrorRate: true}, []string{"ok: maxErrorRate < 10"}, false},
		{"max error rate exceeded", Spec{MaxErrorRate: 5, HasMaxErrorRate: true}, []string{"fail: maxErrorRate < 5"}, true},
		{"broken expression fails", Spec{Conditions: []Condition{{"http.requests ==", true}}}, []string{"fail: http.requests =="}, true},
	}
	r := sample(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs := Check(r, tt.spec)
			if diff := cmp.Diff(tt.want, Lines(vs)); diff != "" {
				t.Errorf("lines (-want +got):\n%s", diff)
			}
			if Failed(vs) != tt.fail || (ExitCode(vs) == 1) != tt.fail {
				t.Errorf("failed = %v, want %v", Failed(vs), tt.fail)
			}
		})
	}
}

func TestVerdictCarriesTheMeasuredValue(t *testing.T) {
	vs := Check(sample(t), Spec{Thresholds: []Threshold{{"http.response_time.p95", "200"}}, MaxErrorRate: 0, HasMaxErrorRate: true})
	want := []Verdict{
		{Name: "http.response_time.p95 < 200", Threshold: "200", Actual: "95", Pass: true, Strict: true},
		{Name: "maxErrorRate < 0", Threshold: "0", Actual: "10%", Pass: false, Strict: true},
	}
	if diff := cmp.Diff(want, vs); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// A failed condition says what it measured, as a threshold does: the
// value of each metric it names, in the order it names them (the JUnit
// report's message and the job summary's "measured" column).
func TestConditionCarriesTheMeasuredValues(t *testing.T) {
	vs := Check(sample(t), Spec{Conditions: []Condition{
		{"http.codes.500 < 1 and http.requests > 10", true},
		{"errors.Failed capture or match == 0", true},
		{"1 < 2", true},
	}})
	got := []string{vs[0].Actual, vs[1].Actual, vs[2].Actual}
	want := []string{"http.codes.500=2, http.requests=100", "errors.Failed capture or match=1", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

func TestFromScript(t *testing.T) {
	s := FromScript(&scenario.Ensure{Legacy: []scenario.LegacyCheck{{Key: "p99", Limit: 5}},
		Thresholds: []scenario.Threshold{{Metric: "m", Limit: "1"}}, Conditions: []scenario.Condition{{Expression: "x", Strict: true}},
		MaxErrorRate: 2, HasMaxErrorRate: true})
	want := Spec{Thresholds: []Threshold{{"m", "1"}}, Conditions: []Condition{{"x", true}}, Legacy: []Legacy{{"p99", 5}}, MaxErrorRate: 2, HasMaxErrorRate: true}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Fatal(diff)
	}
	if got := FromScript(nil); len(got.checks()) != 0 {
		t.Fatal("nil ensure has checks")
	}
}

func TestMetricsNames(t *testing.T) {
	m := Metrics(sample(t))
	for _, k := range []string{"http.response_time.p75", "http.response_time.median", "http.response_time.count",
		"plugins.metrics-by-endpoint.response_time./items.p99", "plugins.metrics-by-endpoint./items.codes.200", "http.request_rate"} {
		if _, ok := m[k]; !ok {
			t.Errorf("metric %s missing", k)
		}
	}
	if m["http.request_rate"] != 50 || m["http.response_time.count"] != 100 {
		t.Fatalf("rate %v count %v", m["http.request_rate"], m["http.response_time.count"])
	}
}

// TestFailureMetrics: 429s are failures but not errors; checks on the
// failure rate see them, Artillery's counters are unchanged.
func TestFailureMetrics(t *testing.T) {
	r := sample(t)
	r.Aggregate.Requests, r.Aggregate.Errors, r.Aggregate.Failures = 2000, 0, 1021
	r.Counters["http.codes.429"] = 1021
	vs := Check(r, Spec{
		Thresholds: []Threshold{{"http.failure_rate_pct", "1"}, {"http.error_rate_pct", "1"}},
		Conditions: []Condition{{"http.failures < 10", true}, {"http.errors == 0 and http.codes.429 > 1000", true}},
	})
	want := []string{"ok: http.error_rate_pct < 1", "ok: http.errors == 0 and http.codes.429 > 1000",
		"fail: http.failure_rate_pct < 1", "fail: http.failures < 10"}
	if diff := cmp.Diff(want, Lines(vs)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if vs[0].Actual != "51.05" {
		t.Errorf("failure rate shown as %q, want 51.05 (percent)", vs[0].Actual)
	}
	m := Metrics(r)
	if m["vusers.failed"] != 1 || m["http.codes.500"] != 2 {
		t.Errorf("Artillery counters changed: %v", m)
	}
}

func TestFailureRateIsMissingWithoutRequests(t *testing.T) {
	vs := Check(&results.Results{}, Spec{Thresholds: []Threshold{{"http.failure_rate_pct", "1"}}})
	if vs[0].Pass || vs[0].Actual != "missing" {
		t.Fatalf("verdict %+v: no requests must not pass a failure-rate check", vs[0])
	}
}

// CheckCondition finds, before the load, a condition that cannot compile,
// with the offset in the expression as written, and passes every form
// Check evaluates.
func TestCheckCondition(t *testing.T) {
	for _, ok := range []string{"http.codes.200 > 0", "http.codes.200 > 0 and vusers.failed == 0",
		"(vusers.created - vusers.completed) / vusers.created * 100 <= 1", "http.response_time.p99 < 300"} {
		if err := CheckCondition(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	err := CheckCondition("http.codes.200 >")
	if err == nil || !strings.Contains(err.Error(), "offset 16") {
		t.Errorf("a condition cut short: %v, want an error at offset 16", err)
	}
	if err := CheckCondition("http.codes.200 > > 1"); err == nil {
		t.Error("two operators in a row compiled")
	}
}

// endpoint is an endpoint of n requests of 1..n ms, all 200.
func endpoint(t *testing.T, name string, n int) results.Endpoint {
	h := metrics.NewHistogram()
	for ms := 1; ms <= n; ms++ {
		h.RecordValue(int64(ms * 1000))
	}
	enc, err := metrics.EncodeHistogram(h)
	if err != nil {
		t.Fatal(err)
	}
	return results.Endpoint{Name: name, Stats: results.Stats{Codes: map[string]int64{"200": int64(n)},
		Latency: results.Summarise(h), Hist: results.Histograms{Latency: enc}}}
}

// TestEndpointMetricsByScript: the script's requests key the endpoints
// as Artillery's metrics-by-endpoint plugin does: a named request under
// "<url> (<name>)", the URL as written (not rendered), a URL's methods
// together; the checks below all passed in Artillery 2.0.34.
func TestEndpointMetricsByScript(t *testing.T) {
	s, err := scenario.Parse("a.yml", []byte(`config:
  target: http://h
  plugins: {ensure: {}, metrics-by-endpoint: {}}
  ensure:
    thresholds:
      - "plugins.metrics-by-endpoint.response_time./items (list).p95": 1000
      - "plugins.metrics-by-endpoint.response_time./users/{{ id }}.p95": 1000
      - "plugins.metrics-by-endpoint.response_time./users/{{ id }}.count": 31
      - "plugins.metrics-by-endpoint./users/{{ id }}.codes.200": 31
      - "plugins.metrics-by-endpoint.response_time./users/{{ id }}.max": 20.1
  variables: {id: 7}
scenarios:
  - flow:
      - get: {url: /items, name: list}
      - get: {url: "/users/{{ id }}"}
      - put: {url: "/users/{{ id }}"}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := &results.Results{Test: results.Test{Target: "http://h"}, Endpoints: []results.Endpoint{
		endpoint(t, "list", 5), endpoint(t, "GET /users/{{ id }}", 20), endpoint(t, "PUT /users/{{ id }}", 10)}}
	want := []string{
		"ok: plugins.metrics-by-endpoint.response_time./items (list).p95 < 1000",
		"ok: plugins.metrics-by-endpoint.response_time./users/{{ id }}.p95 < 1000",
		"ok: plugins.metrics-by-endpoint.response_time./users/{{ id }}.count < 31",
		"ok: plugins.metrics-by-endpoint./users/{{ id }}.codes.200 < 31",
		"ok: plugins.metrics-by-endpoint.response_time./users/{{ id }}.max < 20.1",
	}
	vs := Check(r, ForScript(s))
	if diff := cmp.Diff(want, Lines(vs)); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	m := metricsOf(r, ptr(s.EndpointKeys("http://h")))
	if m["plugins.metrics-by-endpoint.response_time./users/{{ id }}.count"] != 30 ||
		m["plugins.metrics-by-endpoint.response_time./users/{{ id }}.p50"] != 8 { // 1..20 and 1..10
		t.Errorf("the two methods of /users/{{ id }} not added up: %v", m)
	}
	if _, ok := m["plugins.metrics-by-endpoint.response_time.list.p95"]; ok {
		t.Error("a named request keyed by its name alone")
	}
}

// TestEndpointMetricsNamespace: metricsNamespace and useOnlyRequestNames
// rename the metrics; ignoreUnnamedRequests drops the unnamed.
func TestEndpointMetricsNamespace(t *testing.T) {
	s, err := scenario.Parse("a.yml", []byte(`config:
  plugins: {metrics-by-endpoint: {metricsNamespace: mbe, useOnlyRequestNames: true, ignoreUnnamedRequests: true}}
scenarios:
  - flow:
      - get: {url: /items, name: list}
      - get: {url: /other}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := &results.Results{Endpoints: []results.Endpoint{endpoint(t, "list", 5), endpoint(t, "GET /other", 3)}}
	m := metricsOf(r, ptr(s.EndpointKeys("")))
	if m["mbe.response_time.list.count"] != 5 || m["mbe.list.codes.200"] != 5 {
		t.Errorf("list: %v", m)
	}
	for k := range m {
		if strings.Contains(k, "other") || strings.HasPrefix(k, "plugins.metrics-by-endpoint") {
			t.Errorf("metric %s", k)
		}
	}
}

func ptr[T any](v T) *T { return &v }
