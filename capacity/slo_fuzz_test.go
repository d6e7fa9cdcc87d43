package capacity

import (
	"math"
	"strings"
	"testing"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/threshold"
)

// FuzzParseSLO: no input panics; every accepted objective is one a probe
// can be judged by (an upper bound on a latency statistic or a failure or
// error rate, over all endpoints, without window or abort; the latency
// of every request or of those that did not fail), none of the list's
// items is empty, each keeps its text as written, and the
// objectives written by String, comma-separated, read back as the same.
func FuzzParseSLO(f *testing.F) {
	for _, s := range []string{"p99<300ms, failure_rate<0.5%, p(95)<250, rate<0.01, avg<=80ms, p99.9<1s", "med<1s", "max<=2s",
		"error_rate<1%", "p0<1", "p100<=1", "", ",", "p99>300ms", "rps<100", "count<10", "GET /a: p99<300ms",
		"p99<300ms over 10s", "p99<300ms, failure_rate<", "p99<300ms abortOnFail", "p999<1s", "p99.<1", "vus: max<5",
		"http_req_duration: p99<1s", "p(99)<1e-7ms", "p1e2<1",
		"p99<1s,,error_rate<1%", "p99<1s,", " , p99<1s", "ok_p99<300ms, failure_rate<1%", "ok_p(99.9)<1s", "ok_avg<1s",
		"ok_count<10", "http_req_duration{expected_response:true}: p(95)<250", "ok_p99>1s", "xok_p99<1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slo, err := ParseSLO(s)
		if err != nil {
			if slo != nil {
				t.Fatalf("%q: objectives %v with the error %v", s, slo, err)
			}
			return
		}
		if len(slo) == 0 {
			t.Fatalf("%q: accepted no objective", s)
		}
		for part := range strings.SplitSeq(s, ",") {
			if strings.TrimSpace(part) == "" {
				t.Fatalf("%q: accepted with an empty objective", s)
			}
		}
		texts := make([]string, len(slo))
		for i, o := range slo {
			latency := (o.Metric.Name == alert.Latency || o.Metric.Name == alert.LatencyOK) && o.Stat.Kind != alert.SampleCount
			rate := o.Metric.Name == alert.FailureRate || o.Metric.Name == alert.ErrorRate
			if (!latency && !rate) || o.Metric.Endpoint != "" || o.Metric.Series || o.Window != 0 || o.AbortOnFail ||
				o.DelayAbortEval != 0 || (o.Op != threshold.Less && o.Op != threshold.LessOrEqual) {
				t.Fatalf("%q: accepted objective %d %q: %+v", s, i, o, o)
			}
			texts[i] = o.String()
		}
		for i, part := range strings.Split(s, ",") {
			if i < len(slo) && Name(slo[i]) != strings.TrimSpace(part) {
				t.Fatalf("%q: objective %d named %q, written %q", s, i, Name(slo[i]), strings.TrimSpace(part))
			}
		}
		line := strings.Join(texts, ", ")
		back, err := ParseSLO(line)
		if err != nil || len(back) != len(slo) {
			t.Fatalf("%q written as %q reads back as %v, %v", s, line, back, err)
		}
		for i, o := range slo {
			b := back[i]
			if b.Metric != o.Metric || b.Stat != o.Stat || b.Op != o.Op || b.Unit != o.Unit ||
				math.Abs(b.Value-o.Value) > 1e-12*math.Max(1, math.Abs(o.Value)) {
				t.Fatalf("%q written as %q: objective %d %+v reads back as %+v", s, line, i, o, b)
			}
		}
	})
}
