package capacity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// simSLO is the objective of the simulated searches: p99 < 60 ms.
func simSLO(t testing.TB) []Objective {
	slo, err := ParseSLO("p99<12ms, failure_rate<1%")
	if err != nil {
		t.Fatal(err)
	}
	return slo
}

// runSearch drives a search against the simulated queue to its answer.
func runSearch(t testing.TB, q queue, c Config, warmup, measure int, rng *rand.Rand) (Answer, []Record) {
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	for {
		step := s.Next()
		if step.Done {
			return step.Answer, s.Records()
		}
		secs, offered := q.probe(step.Next.Load, warmup, measure, rng)
		s.Add(Probe{Load: step.Next.Load, Purpose: step.Next.Purpose, Seconds: secs, Offered: offered})
	}
}

// oneShot is the search other tools script: double the rate while one
// probe's p99 meets the limit, then bisect on single probes to the same
// precision, trusting every probe (vegeta-breaker's method).
func oneShot(q queue, limitMs, precision float64, warmup, measure int, rng *rand.Rand) float64 {
	passes := func(rate float64) bool {
		secs, _ := q.probe(rate, warmup, measure, rng)
		return newSampleSet(secs, nil).quantile(everyRequest, 0.99) < limitMs
	}
	pass, fail := 0.0, 250.0
	for passes(fail) {
		pass, fail = fail, fail*2
	}
	for pass > 0 && (fail-pass)/pass > precision {
		if mid := (pass + fail) / 2; passes(mid) {
			pass = mid
		} else {
			fail = mid
		}
	}
	return pass
}

type spread struct {
	within, runs       int
	lo, hi, median, sd float64
}

func spreadOf(errs []float64, precision float64) spread {
	s := spread{runs: len(errs)}
	for _, e := range errs {
		if math.Abs(e) <= precision {
			s.within++
		}
	}
	sorted := slices.Clone(errs)
	slices.Sort(sorted)
	s.lo, s.hi, s.median = sorted[0], sorted[len(sorted)-1], sorted[len(sorted)/2]
	s.sd = stat.StdDev(errs, nil)
	return s
}

func (s spread) String() string {
	return fmt.Sprintf("%d/%d within ±5%%; error min %+.1f%% median %+.1f%% max %+.1f%%, sd %.1f%%",
		s.within, s.runs, 100*s.lo, 100*s.median, 100*s.hi, 100*s.sd)
}

// Against a target of known capacity (8 workers, 2 ms mean service:
// 4,000 req/s; p99 < 12 ms holds up to 3,466.6 req/s by Erlang C), the
// search lands within its stated precision (±5 %) of the SLO boundary in
// at least 19 of 20 seeded runs. The same target searched the way
// scripts around other tools search it (double while one probe's p99
// meets the limit, bisect on single probes, trust each one) lands
// wherever its probes' sampling noise puts it, sometimes above the
// boundary. The figures are in docs/capacity.md.
func TestSearchFindsTheKnownBoundary(t *testing.T) {
	q := queue{c: 8, mu: 500}
	truth := q.boundary(99, 0.012)
	c := Config{SLO: simSLO(t), Start: 250, Precision: 0.05}
	var surge, shot20, shot5 []float64
	probes, seeds := 0, uint64(20)
	if raceOn {
		seeds = 3
	}
	for seed := range seeds {
		c.Seed = seed
		a, recs := runSearch(t, q, c, 2, 20, rand.New(rand.NewPCG(seed, 1)))
		if a.Outcome != Found {
			t.Errorf("seed %d: outcome %v", seed, a.Outcome)
		}
		probes += len(recs)
		surge = append(surge, (a.Max-truth)/truth)
		shot20 = append(shot20, (oneShot(q, 12, 0.05, 0, 20, rand.New(rand.NewPCG(seed, 2)))-truth)/truth)
		shot5 = append(shot5, (oneShot(q, 12, 0.05, 0, 5, rand.New(rand.NewPCG(seed, 3)))-truth)/truth)
	}
	s, s20, s5 := spreadOf(surge, c.Precision), spreadOf(shot20, c.Precision), spreadOf(shot5, c.Precision)
	t.Logf("boundary %.1f req/s\nSurge, 20 s probes (%.1f a search): %v\none-shot, 20 s probes: %v\none-shot, 5 s probes: %v",
		truth, float64(probes)/float64(seeds), s, s20, s5)
	if raceOn {
		return
	}
	if s.within < 19 {
		t.Errorf("only %d of 20 searches within ±5%% of %.1f", s.within, truth)
	}
	if s.hi > c.Precision {
		t.Errorf("a search answered %.1f%% above the boundary", 100*s.hi)
	}
	if s.sd >= s5.sd || s.sd >= s20.sd {
		t.Errorf("Surge's answers (sd %.1f%%) should spread less than one-shot bisection's (%.1f%%, %.1f%%)", 100*s.sd, 100*s20.sd, 100*s5.sd)
	}
}
