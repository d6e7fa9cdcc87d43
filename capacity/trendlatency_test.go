package capacity

import (
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// The queue check reads the latency the SLO's latency objectives judge:
// the successes' when every one is on them, both when some are, every
// request's otherwise (rates alone judge no latency; every request's is
// the one a queue shows in when failures are not set apart).
func TestTrendReads(t *testing.T) {
	for _, c := range []struct {
		slo       string
		every, ok bool
	}{
		{"p99<300ms", true, false},
		{"p99<300ms, failure_rate<1%", true, false},
		{"failure_rate<1%", true, false},
		{"error_rate<1%, failure_rate<1%", true, false},
		{"ok_p99<300ms", false, true},
		{"ok_p99<300ms, failure_rate<1%", false, true},
		{"ok_avg<100ms, ok_p(99.9)<1s, error_rate<1%", false, true},
		{"http_req_duration{expected_response:true}: p(95)<250", false, true},
		{"p99<1s, ok_p99<300ms", true, true},
		{"ok_p50<100ms, max<2s", true, true},
	} {
		slo, err := ParseSLO(c.slo)
		if err != nil {
			t.Fatal(err)
		}
		if every, ok := TrendReads(slo); every != c.every || ok != c.ok {
			t.Errorf("%q: every request %v, successes %v; want %v, %v", c.slo, every, ok, c.every, c.ok)
		}
	}
}

// shedding: a load-shedding target's second i: 199 instant 503s and one
// success that takes longer each second (its queue grows). Every
// request's p50 and p99 are the failures', flat.
func shedding(i int) Second { return mixed(1, 100+50*float64(i), 199, 2) }

// lateStart: no success in the first six seconds (the target was
// refusing everything), then steady successes at 300 ms.
func lateStart(i int) Second {
	if i < 6 {
		return refusing(i)
	}
	return mixed(20, 300, 80, 2)
}

// sparse: successes, slower each time, in three seconds of twelve.
func sparse(i int) Second {
	if i%4 != 0 {
		return refusing(i)
	}
	return mixed(10, 100+100*float64(i), 90, 2)
}

// Each case judges twelve seconds. A queue growing in the successes of a
// shedding target fails an SLO on the successes (queue growing, read from
// them), and not one on every request, whose latency it does not move; an
// SLO on both reads both. Seconds without a success are skipped, not read
// as 0 ms (which would make the late start a steep rise); with fewer than
// MinTrendSeconds left the trend is not tested, and says so.
func TestTheTrendReadsTheLatencyTheSLOJudges(t *testing.T) {
	for _, c := range []struct {
		name, slo string
		secs      func(int) Second
		ok        []bool // each reading's latency: the successes'?
		up        []bool
		tested    []bool
		queueing  bool
	}{
		{"shedding, SLO on the successes", "ok_p99<5s", shedding, []bool{true}, []bool{true}, []bool{true}, true},
		{"shedding, SLO on every request", "p99<5s", shedding, []bool{false}, []bool{false}, []bool{true}, false},
		{"shedding, SLO on both", "p99<5s, ok_p99<5s", shedding, []bool{false, true}, []bool{false, true}, []bool{true, true}, true},
		{"successes from the seventh second", "ok_p99<5s", lateStart, []bool{true}, []bool{false}, []bool{true}, false},
		{"successes in three seconds", "ok_p99<5s", sparse, []bool{true}, []bool{false}, []bool{false}, false},
	} {
		j := Judge(config(t, c.slo).withDefaults(), 100, seconds(12, c.secs), nil, Generator{})
		var ok, up, tested []bool
		for _, r := range j.Trends {
			ok, up, tested = append(ok, r.OK), append(up, r.Up()), append(tested, r.Tested())
		}
		if !slices.Equal(ok, c.ok) || !slices.Equal(up, c.up) || !slices.Equal(tested, c.tested) {
			t.Errorf("%s: readings of the successes %v, up %v, tested %v; want %v, %v, %v (%+v)",
				c.name, ok, up, tested, c.ok, c.up, c.tested, j.Trends)
		}
		if got := slices.Contains(j.Reasons, Queueing); got != c.queueing {
			t.Errorf("%s: %v %v, want queue growing: %v", c.name, j.Verdict, j.Reasons, c.queueing)
		}
	}
}

// Mann-Kendall cannot reach p < 0.01 on five seconds, however steep the
// rise, and can on six: MinTrendSeconds is the fewest worth testing.
func TestMinTrendSeconds(t *testing.T) {
	rising := func(n int) []float64 {
		out := make([]float64, n)
		for i := range out {
			out[i] = float64(100 * (i + 1))
		}
		return out
	}
	five, six := trendOf(rising(MinTrendSeconds-1)), trendOf(rising(MinTrendSeconds))
	if five.Up || five.Seconds != MinTrendSeconds-1 || !six.Up || six.Seconds != MinTrendSeconds {
		t.Errorf("five rising seconds %+v, six %+v: want the six alone up", five, six)
	}
	// the test trendOf would run on five, each above the last (S at its
	// highest), if it ran it
	ys := rising(MinTrendSeconds - 1)
	z := float64(kendallS(ys)-1) / math.Sqrt(kendallVariance(ys))
	if p := 1 - distuv.UnitNormal.CDF(z); p < trendAlpha {
		t.Errorf("five rising seconds reach p %g: MinTrendSeconds could be lower", p)
	}
}
