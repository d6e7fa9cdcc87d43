package serverlesslab

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/surge-dev/surge/internal/surgeexe"
	"github.com/surge-dev/surge/plan"
)

func TestMain(m *testing.M) { surgeexe.Main(m) }

// The lab's function: 500 ms, a 200 ms cold start; the legacy rule with a
// burst of 100 (500-3,000 on AWS, scaled down with the load).
var labFlags = []string{"--handler-duration", "500ms", "--init-duration", "200ms"}

var legacyFlags = []string{"--scaling-model", "legacy", "--burst", "100"}

// surgePlan runs surge plan as the README does and returns its output.
func surgePlan(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(surgeexe.Install(t), "surge"), append([]string{"plan"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("surge plan %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func lambdaPlan(t *testing.T, args ...string) plan.LambdaPlan {
	t.Helper()
	var pl plan.LambdaPlan
	if err := json.Unmarshal([]byte(surgePlan(t, append(args, "--format", "json")...)), &pl); err != nil {
		t.Fatal(err)
	}
	return pl
}

// TestBurstsPlan: the first burst outruns the legacy burst of 100 from
// its start at 0:10, and the limit stays there until its first step, a
// minute after the first refusal, which then covers the bigger burst too
// (one episode, 0:10 to 1:11); the current rule absorbs both, and
// provisioned concurrency below the peak would have removed the throttles.
func TestBurstsPlan(t *testing.T) {
	legacy := lambdaPlan(t, append(append([]string{"bursts.yml"}, labFlags...), legacyFlags...)...)
	s := legacy.Summary
	if s.Throttled == 0 || s.Throttling.From != 10 || s.Throttling.Until < 70 || s.Throttling.Until > 72 || len(s.Episodes) > 1 {
		t.Fatalf("legacy: %d throttled from %v, episodes %v; want one episode, 0:10 to about 1:11", s.Throttled, s.Throttling, s.Episodes)
	}
	if s.PeakNeeded != 300 || s.PeakConcurrency < 300 {
		t.Fatalf("legacy: need %v, peak %d; want 300 needed and at least that", s.PeakNeeded, s.PeakConcurrency)
	}
	if a := legacy.Advice; a == nil || !a.ScalingRateOnly || a.Provisioned <= 0 || a.Provisioned >= s.PeakConcurrency {
		t.Fatalf("legacy advice %+v: want provisioned concurrency below the peak, scaling rate only", a)
	}
	current := lambdaPlan(t, append([]string{"bursts.yml"}, labFlags...)...)
	if current.Summary.Throttled != 0 {
		t.Fatalf("current rule: %d throttled, want none", current.Summary.Throttled)
	}
}

// TestSpikePlan is the must-show profile: 0 to 3,000 req/s of a
// 1 s function under the legacy rule with a burst of 500 needs five
// minutes to scale.
func TestSpikePlan(t *testing.T) {
	pl := lambdaPlan(t, "spike.yml", "--handler-duration", "1s", "--scaling-model", "legacy", "--burst", "500",
		"--account-concurrency", "5000", "--advice=false")
	if s := pl.Summary; s.Throttling.From != 0 || s.Throttling.Until < 300 || s.Throttling.Until > 304 || s.PeakNeeded != 3000 {
		t.Fatalf("throttling %+v, need %v; want 0:00 to about 5:00 and 3,000 needed", s.Throttling, s.PeakNeeded)
	}
}

// TestReadmeQuotesThePlan: the README's plan blocks are what surge plan
// prints today, line for line.
func TestReadmeQuotesThePlan(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	legacy := surgePlan(t, append(append([]string{"bursts.yml"}, labFlags...), legacyFlags...)...)
	current := surgePlan(t, append([]string{"bursts.yml"}, labFlags...)...)
	for _, out := range []string{legacy, current} {
		summary, _, _ := strings.Cut(out, "\n\n")
		if !strings.Contains(string(readme), summary) {
			t.Errorf("README.md does not quote the plan's summary:\n%s", summary)
		}
	}
}
