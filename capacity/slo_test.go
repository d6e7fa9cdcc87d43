package capacity

import (
	"strings"
	"testing"

	"github.com/surge-dev/surge/alert"
)

func TestParseSLO(t *testing.T) {
	slo, err := ParseSLO("p99<300ms, failure_rate<0.5%, p(95)<250, rate<0.01, avg<=80ms, p99.9<1s")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		metric string
		p      float64
		value  float64
	}{{alert.Latency, 99, 300}, {alert.FailureRate, 0, 0.005}, {alert.Latency, 95, 250},
		{alert.FailureRate, 0, 0.01}, {alert.Latency, 0, 80}, {alert.Latency, 99.9, 1000}}
	if len(slo) != len(want) {
		t.Fatalf("%d objectives, want %d", len(slo), len(want))
	}
	for i, w := range want {
		if slo[i].Metric.Name != w.metric || slo[i].Stat.P != w.p || slo[i].Value != w.value {
			t.Errorf("objective %d = %s (%+v), want %s p%g %g", i, slo[i], slo[i].Stat, w.metric, w.p, w.value)
		}
	}
}

func TestParseSLORefuses(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "no objective",
		"p99>300ms":             "upper bound",
		"rps<100":               "cannot bound",
		"count<10":              "cannot bound",
		"ok_count<10":           "cannot bound",
		"ok_p99>300ms":          "upper bound",
		"ok_rate<1%":            "ok_ goes before p(N)",
		"GET /a: ok_p99<300ms":  "all endpoints together",
		"ok_p99<300ms over 10s": "each probe is judged as a whole",
		"http_req_duration{expected_response:true}: count<5": "cannot bound",
		"GET /a: p99<300ms":        "all endpoints together",
		"p99<300ms over 10s":       "each probe is judged as a whole",
		"p99<300ms, failure_rate<": "column",
		"p99<300ms,,error_rate<1%": `"p99<300ms,,error_rate<1%": objective 2 is empty`,
		"p99<300ms,":               `"p99<300ms,": objective 2 is empty`,
		",":                        `",": objective 1 is empty`,
	} {
		_, err := ParseSLO(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseSLO(%q) = %v, want an error with %q", in, err, want)
		}
	}
}

// k6's own form, a metric with its thresholds, reads the same.
func TestParseSLOReadsK6Metrics(t *testing.T) {
	slo, err := ParseSLO("http_req_duration: p(95)<250, http_req_failed: rate<0.01, http_req_duration: med<=100")
	if err != nil {
		t.Fatal(err)
	}
	if len(slo) != 3 || slo[0].Stat.P != 95 || slo[1].Metric.Name != alert.FailureRate || slo[2].Stat.P != 50 {
		t.Errorf("read %v", slo)
	}
}

// Every latency statistic that can bound a load reads the same over the
// requests that did not fail, in Surge's ok_ form (p99 written short as
// for every request) and in k6's expected_response:true; each keeps the
// text it was written in.
func TestParseSLOReadsSuccessOnlyLatency(t *testing.T) {
	pct := func(p float64) alert.Statistic { return alert.Statistic{Kind: alert.Percentile, P: p} }
	for _, c := range []struct {
		in    string
		stat  alert.Statistic
		value float64
	}{
		{"ok_p(99)<300ms", pct(99), 300},
		{"ok_p99<300ms", pct(99), 300},
		{"ok_p99.9<=1s", pct(99.9), 1000},
		{"ok_avg<80ms", alert.Statistic{Kind: alert.Average}, 80},
		{"ok_med<50ms", pct(50), 50},
		{"ok_max<2s", alert.Statistic{Kind: alert.Maximum}, 2000},
		{"ok_min<5ms", alert.Statistic{Kind: alert.Minimum}, 5},
		{"http_req_duration{expected_response:true}: p(95)<250", pct(95), 250},
		{"http_req_duration{expected_response:true}: avg<100", alert.Statistic{Kind: alert.Average}, 100},
		{"http_req_duration: ok_p95<250", pct(95), 250},
	} {
		slo, err := ParseSLO("  " + c.in + " ")
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		o := slo[0]
		if o.Metric.Name != alert.LatencyOK || !SuccessOnly(o) || o.Stat != c.stat || o.Value != c.value || Name(o) != c.in {
			t.Errorf("%q: %s (%+v, named %q), want latency_ok %v %g", c.in, o, o.Stat, Name(o), c.stat, c.value)
		}
	}
	slo, err := ParseSLO("p99<300ms, ok_p99<300ms")
	if err != nil || SuccessOnly(slo[0]) || !SuccessOnly(slo[1]) || Name(slo[0]) != "p99<300ms" {
		t.Errorf("every request's beside the successes': %v, %v", slo, err)
	}
}

// An objective on the requests that did not fail says nothing of the
// others: without failure_rate beside it, a probe failing 99 % fast with
// a few quick successes would pass, and the search warns. error_rate
// does not bound a 503 (a response): it is not enough.
func TestWarningsOnSuccessOnlyLatencyWithoutFailureRate(t *testing.T) {
	for in, want := range map[string]string{
		"ok_p99<300ms":                  "ok_p99<300ms judges only the requests that did not fail",
		"ok_p99<300ms, ok_avg<100ms":    "ok_p99<300ms, ok_avg<100ms judges only",
		"ok_p99<300ms, error_rate<1%":   "error_rate does not",
		"ok_p99<300ms, failure_rate<1%": "",
		"ok_p99<300ms, rate<0.01":       "",
		"http_req_failed: rate<0.01, http_req_duration{expected_response:true}: p(95)<250": "",
		"http_req_duration{expected_response:true}: p(95)<250":                             "http_req_duration{expected_response:true}: p(95)<250 judges only",
		"p99<300ms":                "",
		"p99<300ms, error_rate<1%": "",
	} {
		slo, err := ParseSLO(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		ws := Warnings(slo)
		switch {
		case want == "" && len(ws) != 0:
			t.Errorf("%q: warned %q", in, ws)
		case want != "" && (len(ws) != 1 || !strings.Contains(ws[0], want) || !strings.Contains(ws[0], "failure_rate")):
			t.Errorf("%q: warnings %q, want one with %q that names failure_rate", in, ws, want)
		}
	}
}
