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
		"":               "no objective",
		"p99>300ms":      "upper bound",
		"rps<100":        "cannot bound",
		"count<10":       "cannot bound",
		"ok_p(99)<300ms": "not yet judged on the latency of the requests that did not fail",
		"http_req_duration{expected_response:true}: p(95)<250": "not yet judged",
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
