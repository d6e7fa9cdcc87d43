package capacity

import (
	"math"
	"slices"
	"testing"

	"github.com/surge-dev/surge/metrics"
)

// mixed is a second of ok requests that did not fail, each taking okMs,
// and failed ones, each taking failMs.
func mixed(ok int64, okMs float64, failed int64, failMs float64) Second {
	all, good := metrics.NewHistogram(), metrics.NewHistogram()
	if ok > 0 {
		_ = all.RecordValues(int64(okMs*1000), ok)
		_ = good.RecordValues(int64(okMs*1000), ok)
	}
	if failed > 0 {
		_ = all.RecordValues(int64(failMs*1000), failed)
	}
	return Second{Requests: ok + failed, Failures: failed, Latency: all, LatencyOK: good}
}

// seconds repeats a second n times (each its own histograms).
func seconds(n int, s func(i int) Second) []Second {
	out := make([]Second, n)
	for i := range out {
		out[i] = s(i)
	}
	return out
}

// overloaded: most requests fail in 2 ms (an instant 503), the rest
// succeed in 300 ms.
func overloaded(int) Second { return mixed(20, 300, 80, 2) }

// timingOut: successes are quick, the few failures wait a second.
func timingOut(int) Second { return mixed(95, 5, 5, 1000) }

// refusing: every request fails at once.
func refusing(int) Second { return mixed(0, 0, 100, 2) }

// unrecorded: a second whose source kept no latency of the requests that
// did not fail.
func unrecorded(int) Second { return second(100, 5) }

// fewSucceed: successes in the first two seconds of ten only.
func fewSucceed(i int) Second {
	if i < 2 {
		return mixed(50, 10, 50, 2)
	}
	return refusing(i)
}

// Each objective is judged on its own latencies: every request's, or
// those of the requests that did not fail. Fast failures pull p50 and
// avg down while the successes are slow; slow failures push p99 up while
// the successes are quick; a probe in which nothing succeeded has no
// success-only value and breaks the objective, saying so; one whose few
// successes fall in two seconds of ten is not shown to hold (most
// resamples of its seconds hold none).
func TestJudgeSuccessOnlyLatency(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name     string
		slo      string
		secs     func(int) Second
		verdicts []Verdict
		values   []float64 // ms, or a rate as a fraction; within 1 % (NaN: none)
		verdict  Verdict
		reasons  []Constraint
	}{
		{"fast failures, slow successes", "p50<100ms, ok_p50<100ms", overloaded,
			[]Verdict{Pass, Fail}, []float64{2, 300}, Fail, []Constraint{Latency}},
		{"the k6 form", "http_req_duration{expected_response:true}: p(95)<250", overloaded,
			[]Verdict{Fail}, []float64{300}, Fail, []Constraint{Latency}},
		{"avg and max", "avg<100ms, ok_avg<100ms, ok_max<=2s", overloaded,
			[]Verdict{Pass, Fail, Pass}, []float64{61.6, 300, 300}, Fail, []Constraint{Latency}},
		{"slow failures, quick successes", "p99<100ms, ok_p99<100ms, ok_p(99.9)<100ms", timingOut,
			[]Verdict{Fail, Pass, Pass}, []float64{1000, 5, 5}, Fail, []Constraint{Latency}},
		{"quick successes alone", "ok_p99<100ms, failure_rate<10%", timingOut,
			[]Verdict{Pass, Pass}, []float64{5, 0.05}, Pass, nil},
		{"nothing succeeded", "p99<100ms, ok_p99<100ms, ok_avg<100ms, ok_min<100ms, ok_max<100ms", refusing,
			[]Verdict{Pass, Fail, Fail, Fail, Fail}, []float64{2, nan, nan, nan, nan}, Fail, []Constraint{NoSuccess}},
		{"nothing succeeded, failures counted", "ok_p99<100ms, failure_rate<1%", refusing,
			[]Verdict{Fail, Fail}, []float64{nan, 1}, Fail, []Constraint{NoSuccess, Failures}},
		{"not recorded", "ok_p99<100ms", unrecorded,
			[]Verdict{Fail}, []float64{nan}, Fail, []Constraint{NoSuccess}},
		{"successes in two seconds of ten", "ok_p99<100ms, ok_avg<100ms", fewSucceed,
			[]Verdict{Unsure, Unsure}, []float64{10, 10}, Unsure, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			conf := config(t, c.slo).withDefaults()
			secs := seconds(10, c.secs)
			j := Judge(conf, 100, secs, nil, Generator{})
			for k, e := range j.Estimates {
				want := c.values[k]
				if e.Verdict != c.verdicts[k] || !near(e.Value, want) || e.NoSuccess != math.IsNaN(want) {
					t.Errorf("%s: %v at %g [%g, %g] (no success %v), want %v at %g",
						Name(e.Objective), e.Verdict, e.Value, e.Low, e.High, e.NoSuccess, c.verdicts[k], want)
				}
			}
			if j.Verdict != c.verdict || !slices.Equal(j.Reasons, c.reasons) {
				t.Errorf("judged %v %v, want %v %v", j.Verdict, j.Reasons, c.verdict, c.reasons)
			}
		})
	}
}

func near(got, want float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= 0.01*math.Abs(want)
}

// A load probed again is judged on every probe's seconds, the
// successes' histograms with them: an extension carries them.
func TestALevelReadsTheSuccessesOfEveryProbe(t *testing.T) {
	c := config(t, "ok_p50<100ms")
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	first := seconds(10, func(int) Second { return mixed(100, 50, 0, 0) })
	second := seconds(10, func(int) Second { return mixed(30, 400, 70, 2) })
	s.Add(Probe{Load: 100, Seconds: first})
	s.Add(Probe{Load: 100, Purpose: Extend, Seconds: second})
	lv := s.Levels()
	// 1,000 successes at 50 ms and 300 at 400 ms: the median is 50 ms,
	// the 90th percentile 400.
	if len(lv) != 1 || lv[0].Seconds != 20 || !near(lv[0].Estimates[0].Value, 50) {
		t.Fatalf("levels %+v, want one of 20 seconds whose successes' p50 is 50 ms", lv)
	}
	c.SLO[0].Stat.P = 90
	j := Judge(c.withDefaults(), 100, append(slices.Clone(first), second...), nil, Generator{})
	if !near(j.Estimates[0].Value, 400) {
		t.Errorf("the successes' p90 over both probes: %g, want 400", j.Estimates[0].Value)
	}
}

// The latency plotted against load is the SLO's highest percentile, of
// every request where both are asked at the same one.
func TestPlottedLatency(t *testing.T) {
	for in, want := range map[string]int{
		"p99<1s":                           0,
		"ok_p99<1s":                        0,
		"failure_rate<1%, ok_p95<1s":       1,
		"p50<1s, ok_p99<1s":                1,
		"ok_p99<1s, p99<1s":                1,
		"p99<1s, ok_p99<1s":                0,
		"avg<1s, ok_avg<1s, error_rate<1%": -1,
	} {
		slo, err := ParseSLO(in)
		if err != nil {
			t.Fatal(err)
		}
		if k, ok := PlottedLatency(slo); k != want || ok != (want >= 0) {
			t.Errorf("%q: %d %v, want %d", in, k, ok, want)
		}
	}
}

// Bootstrap draws in which no request succeeded are +Inf: quantiles
// among them are +Inf, not NaN.
func TestQuantileOfInfiniteDraws(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		vs   []float64
		q    float64
		want float64
	}{
		{[]float64{1, 2, inf, inf}, 0.95, inf},
		{[]float64{1, inf, inf}, 0.5, inf},
		{[]float64{1, 2, inf}, 0.5, 2},
		{[]float64{1, 2, inf}, 0.25, 1.5},
		{[]float64{inf}, 0.05, inf},
	} {
		if got := quantile(c.vs, c.q); got != c.want {
			t.Errorf("quantile(%v, %g) = %g, want %g", c.vs, c.q, got, c.want)
		}
	}
}
