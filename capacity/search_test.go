package capacity

import (
	"slices"
	"testing"

	"github.com/surge-dev/surge/metrics"
)

// second is n requests all taking ms.
func second(n int64, ms float64) Second {
	h := metrics.NewHistogram()
	_ = h.RecordValues(int64(ms*1000), n)
	return Second{Requests: n, Latency: h}
}

// steady is secs seconds at load with every request taking ms.
func steady(load float64, ms float64, secs int) ([]Second, []float64) {
	out, offered := make([]Second, secs), make([]float64, secs)
	for i := range out {
		out[i], offered[i] = second(int64(load), ms), load
	}
	return out, offered
}

type target func(load float64, probe int) ([]Second, []float64, Generator)

// drive runs a search against a scripted target.
func drive(t *testing.T, c Config, tg target) (Answer, []Record) {
	t.Helper()
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		step := s.Next()
		if step.Done {
			return step.Answer, s.Records()
		}
		if i > 60 {
			t.Fatal("the search does not end")
		}
		secs, offered, gen := tg(step.Next.Load, i)
		s.Add(Probe{Load: step.Next.Load, Purpose: step.Next.Purpose, Seconds: secs, Offered: offered, Generator: gen})
	}
}

func config(t *testing.T, slo string) Config {
	objectives, err := ParseSLO(slo)
	if err != nil {
		t.Fatal(err)
	}
	return Config{SLO: objectives, Start: 100, Precision: 0.05, Resamples: 200}
}

// breaksAbove is a target whose latency jumps from 5 to 50 ms above limit.
func breaksAbove(limit float64) target {
	return func(load float64, _ int) ([]Second, []float64, Generator) {
		ms := 5.0
		if load > limit {
			ms = 50
		}
		secs, offered := steady(load, ms, 10)
		return secs, offered, Generator{}
	}
}

func loads(recs []Record) []float64 {
	var out []float64
	for _, r := range recs {
		out = append(out, r.Load)
	}
	return out
}

func TestSearchGrowsBisectsAndConfirms(t *testing.T) {
	a, recs := drive(t, config(t, "p99<20ms"), breaksAbove(700))
	want := []float64{100, 200, 400, 800, 600, 700, 750, 725, 700}
	if !slices.Equal(loads(recs), want) {
		t.Errorf("probed %v, want %v", loads(recs), want)
	}
	if a.Outcome != Found || a.Max != 700 || a.Fail != 725 || !slices.Equal(a.Binding, []Constraint{Latency}) {
		t.Errorf("answer %+v, want found 700 (fail 725, latency)", a)
	}
	if last := recs[len(recs)-1]; last.Purpose != Confirm || a.Recommended != 560 {
		t.Errorf("last probe %v, recommended %g; want a confirmation at 700 and 80%% of it", last.Purpose, a.Recommended)
	}
	if a.Precision > 0.05 {
		t.Errorf("precision %g above the 5%% asked", a.Precision)
	}
}

// straddling is a probe whose p99 sits on the limit: one second in
// twenty has a fifth of its requests slow, 1 % of all.
func straddling(load float64) ([]Second, []float64) {
	secs, offered := steady(load, 5, 20)
	slow := int64(load) / 5
	secs[7].Latency.Reset()
	_ = secs[7].Latency.RecordValues(5_000, int64(load)-slow)
	_ = secs[7].Latency.RecordValues(50_000, slow)
	return secs, offered
}

func TestAnUnsureProbeIsExtendedNotTrusted(t *testing.T) {
	unsureOnce := func(load float64, probe int) ([]Second, []float64, Generator) {
		if load == 400 && probe == 2 {
			secs, offered := straddling(load)
			return secs, offered, Generator{}
		}
		return breaksAbove(700)(load, probe)
	}
	_, recs := drive(t, config(t, "p99<20ms"), unsureOnce)
	if recs[2].Judgement.Verdict != Unsure || recs[3].Load != 400 || recs[3].Purpose != Extend {
		t.Fatalf("probe 3 %v at %g, probe 4 %v at %g; want UNSURE at 400, then an extension at 400",
			recs[2].Judgement.Verdict, recs[2].Load, recs[3].Purpose, recs[3].Load)
	}
}

func TestAnUnsureLoadIsNotShownToHold(t *testing.T) {
	alwaysUnsureAbove := func(load float64, probe int) ([]Second, []float64, Generator) {
		if load >= 400 {
			secs, offered := straddling(load)
			return secs, offered, Generator{}
		}
		return breaksAbove(1e9)(load, probe)
	}
	a, recs := drive(t, config(t, "p99<20ms"), alwaysUnsureAbove)
	if a.Fail != 400 || a.Max < 200 || !slices.Equal(a.Binding, []Constraint{NotShown}) {
		t.Errorf("answer %+v, want the bracket to end at 400, not shown to hold", a)
	}
	at400 := 0
	for _, r := range recs {
		if r.Load == 400 {
			at400++
		}
	}
	if at400 != 3 {
		t.Errorf("%d probes at 400, want 3 (the first and two extensions)", at400)
	}
}

func TestSearchEnds(t *testing.T) {
	saturated := func(load float64, probe int) ([]Second, []float64, Generator) {
		secs, offered, _ := breaksAbove(300)(load, probe)
		return secs, offered, Generator{CPU: 0.97}
	}
	c := config(t, "p99<20ms")
	for name, tc := range map[string]struct {
		c       Config
		tg      target
		outcome Outcome
		max     float64
	}{
		"below start":         {c, breaksAbove(50), BelowStart, 0},
		"above max":           {Config{SLO: c.SLO, Start: 100, Max: 1000, Resamples: 100}, breaksAbove(1e9), AboveMax, 1000},
		"generator saturated": {c, saturated, GeneratorSaturated, 0},
	} {
		a, _ := drive(t, tc.c, tc.tg)
		if a.Outcome != tc.outcome || a.Max != tc.max {
			t.Errorf("%s: answer %+v, want %v with max %g", name, a, tc.outcome, tc.max)
		}
		if tc.outcome == GeneratorSaturated && a.Generator.CPU != 0.97 {
			t.Errorf("%s: the answer does not carry the generator's readings: %+v", name, a.Generator)
		}
	}
}

func TestUsersAreWhole(t *testing.T) {
	c := config(t, "p99<20ms")
	c.Mode, c.Start = Users, 1
	a, recs := drive(t, c, breaksAbove(13))
	for _, l := range loads(recs) {
		if l != float64(int(l)) {
			t.Fatalf("probed %g users", l)
		}
	}
	if a.Outcome != Found || a.Max != 13 || a.Fail != 14 {
		t.Errorf("answer %+v, want 13 users (14 fails)", a)
	}
}

func TestConfigRefused(t *testing.T) {
	c := config(t, "p99<20ms")
	for name, mutate := range map[string]func(*Config){
		"no SLO":      func(c *Config) { c.SLO = nil },
		"no start":    func(c *Config) { c.Start = 0 },
		"max < start": func(c *Config) { c.Max = 50 },
		"precision":   func(c *Config) { c.Precision = 1.5 },
		"growth":      func(c *Config) { c.Growth = 1 },
		"headroom":    func(c *Config) { c.Headroom = 2 },
		"half a user": func(c *Config) { c.Mode, c.Start = Users, 1.5 },
	} {
		bad := c
		mutate(&bad)
		if _, err := New(bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A bracket that ends at a load only not shown to hold names what broke
// above it too: the constraint the target ran into.
func TestBindingLooksPastANotShownLoad(t *testing.T) {
	unsureAt700 := func(load float64, probe int) ([]Second, []float64, Generator) {
		if load == 700 {
			secs, offered := straddling(load)
			return secs, offered, Generator{}
		}
		return breaksAbove(700)(load, probe)
	}
	a, _ := drive(t, config(t, "p99<20ms"), unsureAt700)
	if a.Fail != 700 || !slices.Equal(a.Binding, []Constraint{NotShown, Latency}) {
		t.Errorf("answer %+v, want the bracket to end at 700 (not shown), latency broken above", a)
	}
}
