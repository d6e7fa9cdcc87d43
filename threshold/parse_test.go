package threshold

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/alert"
	"github.com/surge-dev/surge/internal/decimal"
)

func TestParse(t *testing.T) {
	pct := func(q float64) alert.Statistic { return alert.Statistic{Kind: alert.Percentile, P: q} }
	avg := alert.Statistic{Kind: alert.Average}
	for _, c := range []struct {
		in        string
		metric    alert.Metric
		stat      alert.Statistic
		op        Op
		value     float64
		canonical string
	}{
		{"p(99)<300ms", alert.Metric{Name: alert.Latency}, pct(99), Less, 300, "p(99)<300ms"},
		{"p(99.9) <= 1.5s", alert.Metric{Name: alert.Latency}, pct(99.9), LessOrEqual, 1500, "p(99.9)<=1500ms"},
		{"p99<300ms", alert.Metric{Name: alert.Latency}, pct(99), Less, 300, "p(99)<300ms"}, // Artillery's spelling
		{"GET /a: ok_p99.9<1s", alert.Metric{Name: alert.LatencyOK, Endpoint: "GET /a"}, pct(99.9), Less, 1000, "GET /a: ok_p(99.9)<1000ms"},
		{"avg<200", alert.Metric{Name: alert.Latency}, avg, Less, 200, "avg<200ms"},
		{"med<100", alert.Metric{Name: alert.Latency}, pct(50), Less, 100, "p(50)<100ms"},
		{"max<2s", alert.Metric{Name: alert.Latency}, alert.Statistic{Kind: alert.Maximum}, Less, 2000, "max<2000ms"},
		{"rate<0.01", alert.Metric{Name: alert.FailureRate}, avg, Less, 0.01, "failure_rate<1%"},
		{"rate<1%", alert.Metric{Name: alert.FailureRate}, avg, Less, 0.01, "failure_rate<1%"},
		{"count>10", alert.Metric{Name: alert.Requests}, alert.Statistic{Kind: alert.Sum}, Greater, 10, "count>10"},
		{"failure_rate<1%", alert.Metric{Name: alert.FailureRate}, avg, Less, 0.01, "failure_rate<1%"},
		{"error_rate<0.5%", alert.Metric{Name: alert.ErrorRate}, avg, Less, 0.005, "error_rate<0.5%"},
		{"rps>=100", alert.Metric{Name: alert.RPS}, avg, GreaterOrEqual, 100, "rps>=100"},
		{"GET /items: p(95)<250ms", alert.Metric{Name: alert.Latency, Endpoint: "GET /items"}, pct(95), Less, 250, "GET /items: p(95)<250ms"},
		{"  login :failure_rate<2%", alert.Metric{Name: alert.FailureRate, Endpoint: "login"}, avg, Less, 0.02, "login: failure_rate<2%"},
		{"GET http://h:8080/x/{{ id }}: avg<5", alert.Metric{Name: alert.Latency, Endpoint: "GET http://h:8080/x/{{ id }}"}, avg, Less, 5, "GET http://h:8080/x/{{ id }}: avg<5ms"},
		{"http_req_duration: p(95)<500", alert.Metric{Name: alert.Latency}, pct(95), Less, 500, "p(95)<500ms"},
		{"http_req_duration{name:GET /items}: p(95)<250", alert.Metric{Name: alert.Latency, Endpoint: "GET /items"}, pct(95), Less, 250, "GET /items: p(95)<250ms"},
		{"http_req_failed: rate<0.01", alert.Metric{Name: alert.FailureRate}, avg, Less, 0.01, "failure_rate<1%"},
		{"http_reqs: rate>100", alert.Metric{Name: alert.RPS}, avg, Greater, 100, "rps>100"},
		{"http_reqs: count===5", alert.Metric{Name: alert.Requests}, alert.Statistic{Kind: alert.Sum}, Equal, 5, "count==5"},
		{"http_reqs{name:\"a b\"}: count!=0", alert.Metric{Name: alert.Requests, Endpoint: "a b"}, alert.Statistic{Kind: alert.Sum}, NotEqual, 0, "a b: count!=0"},
		{"GET /a}: avg<1", alert.Metric{Name: alert.Latency, Endpoint: "GET /a}"}, avg, Less, 1, `"GET /a}": avg<1ms`},
		{"http_reqs{name:vus}: count>1", alert.Metric{Name: alert.Requests, Endpoint: "vus"}, alert.Statistic{Kind: alert.Sum}, Greater, 1, `"vus": count>1`},
		{`"a{b:c": avg<1`, alert.Metric{Name: alert.Latency, Endpoint: "a{b:c"}, avg, Less, 1, `"a{b:c": avg<1ms`},
		{`" x\"y ": rps>1`, alert.Metric{Name: alert.RPS, Endpoint: ` x"y `}, avg, Greater, 1, `" x\"y ": rps>1`},
		{"vus: max<50", alert.Metric{Name: alert.VUs}, alert.Statistic{Kind: alert.Maximum}, Less, 50, "vus: max<50"},
	} {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if got.Metric != c.metric || got.Stat != c.stat || got.Op != c.op || math.Abs(got.Value-c.value) > 1e-12 || got.Source != c.in {
			t.Errorf("%q: got %+v", c.in, got)
		}
		if s := got.String(); s != c.canonical {
			t.Errorf("%q: written %q, want %q", c.in, s, c.canonical)
		}
	}
}

func TestParseOptions(t *testing.T) {
	got, err := Parse("failure_rate<10% over 30s abortOnFail delayAbortEval=1m")
	if err != nil {
		t.Fatal(err)
	}
	if got.Window != 30*time.Second || !got.AbortOnFail || got.DelayAbortEval != time.Minute {
		t.Errorf("got %+v", got)
	}
	if s := got.String(); s != "failure_rate<10% over 30s abortOnFail delayAbortEval=1m0s" {
		t.Errorf("written %q", s)
	}
}

func TestParseErrorsNameTheColumn(t *testing.T) {
	for _, c := range []struct {
		in  string
		col int
		msg string
	}{
		{"", 1, "expected an aggregation"},
		{"p(99)", 6, "expected an operator"},
		{"p(99)<", 7, "expected a value"},
		{"p(99)<300 ms", 11, `unexpected "ms"`},
		{"p(99)<3x0ms", 7, "not a latency"},
		{"p(101)<300", 1, "from 0 to 100"},
		{"p(99<300", 2, "closing parenthesis"},
		{"pct(99)<300", 1, "unknown aggregation"},
		{"p101<300", 1, "from 0 to 100"},
		{"failure_rate<1", 14, "percentage"},
		{"rate<2", 6, "fraction from 0 to 1"},
		{"count>1.5", 7, "whole number"},
		{"avg<-5", 5, "negative"},
		{"p(99)<300ms over 500ms", 18, "whole seconds"},
		{"p(99)<300ms over", 17, "whole seconds"},
		{"p(99)<300ms over 30s over 1m", 22, "each once"},
		{"p(99)<300ms delayAbortEval=10s", 31, "without abortOnFail"},
		{"p(99)<300ms abortOnFail delayAbortEval=x", 25, "positive duration"},
		{"p(99)<300ms over 0x1p3", 18, `such as 30s or 5m, got "0x1p3"`},
		{"p(99)<300ms over inf", 18, `got "inf"`},
		{"p(99)<300ms abortOnFail delayAbortEval=0x1p3", 25, "positive duration"},
		{"http_req_waiting: p(95)<1", 1, "no counterpart"},
		{"http_req_failed: p(95)<1", 18, "rate"},
		{"http_req_duration{status:200}: p(95)<1", 18, "by endpoint ({name:<endpoint>}) and by expected_response:true only"},
		{"vus{name:x}: max<1", 4, "not measured per endpoint"},
		{": avg<1", 1, "empty endpoint"},
		{"GET /é: avg<1x", 13, "not a latency"},
		{"a\x01b: avg<1", 1, "control character"},
		{`"abc: avg<1`, 1, "complete double-quoted string"},
		{`"": avg<1`, 1, "empty endpoint"},
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

// FuzzParse: no input panics, and whatever parses is written back as
// text that parses to the same threshold. A window or a delay that
// parsed was written in decimal seconds or as a Go duration.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"p(99)<300ms", "GET /items: p(95)<250ms over 30s abortOnFail delayAbortEval=10s",
		"http_req_duration{name:GET /x}: avg<=1.5s", "rate<0.01", "count>10", "vus: max<5", "error_rate<0.5%", "rps>1e3",
		"a{b:c}: p(0)<0", "x: failure_rate==100%", `"vus": count>1`, `" a{\"b:": rps>2`,
		"p(99)<1 over 0x1p3", "p(99)<1 over 0X1P4 abortOnFail delayAbortEval=0x1p1", "p(99)<1 over 1_0",
		"http_req_duration{name:GET /x,expected_response:true}: p(95)<1", "http_req_duration{expected_response:true}: count>1",
		"ok_p(99)<1s over 5s", "GET /x: ok_count>=1", "http_req_duration{name:a,b,expected_response:'true'}: ok_med<2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := Parse(s)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Col < 1 || pe.Col > len([]rune(s))+1 {
				t.Fatalf("%q: bad error %v", s, err)
			}
			return
		}
		if w := clause(s, "over"); th.Window > 0 && !decimalOrDuration(w) {
			t.Fatalf("%q: accepted the window %q", s, w)
		}
		if d := clause(s, "delayAbortEval="); th.DelayAbortEval > 0 && !decimalOrDuration(d) {
			t.Fatalf("%q: accepted the delay %q", s, d)
		}
		back, err := Parse(th.String())
		if err != nil {
			t.Fatalf("%q written as %q: %v", s, th.String(), err)
		}
		back.Source = th.Source
		if back.Metric != th.Metric || back.Stat != th.Stat || back.Op != th.Op || back.Window != th.Window ||
			back.AbortOnFail != th.AbortOnFail || back.DelayAbortEval != th.DelayAbortEval ||
			math.Abs(back.Value-th.Value) > 1e-12*math.Max(1, math.Abs(th.Value)) {
			t.Fatalf("%q written as %q reads back as %+v, was %+v", s, th.String(), back, th)
		}
	})
}

// clause is the text of the last clause of s that starts with key: the
// word after "over", or the rest of the word "delayAbortEval=…". The
// clauses come after the comparison, so the last such word is one.
func clause(s, key string) string {
	words := strings.Fields(s)
	for i := len(words) - 1; i >= 0; i-- {
		switch {
		case key == "over" && words[i] == key && i+1 < len(words):
			return words[i+1]
		case key != "over" && strings.HasPrefix(words[i], key):
			return strings.TrimPrefix(words[i], key)
		}
	}
	return ""
}

func decimalOrDuration(s string) bool {
	_, err := time.ParseDuration(s)
	return decimal.IsFloat(s) || err == nil
}
