package story

import (
	"math"
	"testing"

	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/results"
)

// The story's prediction is the capacity planner's, second by second, for
// the profile the run offered: the two cannot drift apart.
func TestLambdaPredictionIsThePlanners(t *testing.T) {
	recorded, err := results.ReadFile("../testdata/story-lambda.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*results.Results{"synthetic burst": lambdaBurst(true), "recorded emulator run": recorded} {
		t.Run(name, func(t *testing.T) {
			st := Build(r, Options{})
			if st == nil || !st.Predicted {
				t.Fatalf("no prediction: %+v", st)
			}
			rn := readRun(r)
			setup, err := readLambdaSetup(rn.labels(lambdaSettings))
			if err != nil {
				t.Fatal(err)
			}
			prof := plan.Profile{Arrivals: make([]int64, rn.len())}
			for i := range rn.len() {
				prof.Arrivals[i] = int64(math.Round(rn.offered[i] * rn.dur[i]))
			}
			pl, err := plan.PlanLambdaScaled(prof, setup.cfg, setup.scale)
			if err != nil {
				t.Fatal(err)
			}
			for i := range rn.len() {
				sec, d := pl.Seconds[i], rn.dur[i]
				for _, c := range []struct {
					chart, line string
					want        float64
				}{
					{"load", "served, predicted", float64(sec.Completed) / d},
					{"concurrency", "concurrency, predicted", float64(sec.Concurrency)},
					{"throttles", "throttles, predicted", float64(sec.Throttles.Total()) / d},
					{"cold-starts", "cold starts, predicted", float64(sec.ColdStarts) / d},
				} {
					if got := lineAt(t, st, c.chart, c.line, i); got != c.want {
						t.Errorf("second %d, %s: story %v, plan %v", i, c.line, got, c.want)
					}
				}
			}
		})
	}
}

func lineAt(t *testing.T, st *Story, chartID, label string, i int) float64 {
	t.Helper()
	for _, c := range st.Charts {
		for _, l := range c.Lines {
			if c.ID == chartID && l.Label == label {
				return l.Values[i]
			}
		}
	}
	t.Fatalf("no line %q in chart %s", label, chartID)
	return 0
}
