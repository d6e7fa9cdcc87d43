package cli

import (
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/plan"
	"github.com/surge-dev/surge/results"
	lambdatarget "github.com/surge-dev/surge/testbed/lambda"
)

// planScript writes a one-request script with the given phases YAML.
func planScript(t *testing.T, phases string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yml")
	body := "config:\n  target: http://127.0.0.1:1\n  phases:\n" + phases + "scenarios:\n  - flow:\n      - get: {url: /}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPlanUsageErrors(t *testing.T) {
	script := planScript(t, "    - duration: 10\n      arrivalRate: 100\n")
	users := planScript(t, "    - duration: 10\n      users: 5\n")
	notResults := filepath.Join(t.TempDir(), "r.json")
	os.WriteFile(notResults, []byte(`{"schema":"something/else"}`), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"plan", script}, "--handler-duration is required"},
		{[]string{"plan", script, "--handler-duration", "p99"}, "measures a results file"},
		{[]string{"plan", script, "--handler-duration", "fast"}, "want a positive duration"},
		{[]string{"plan", script, "--service", "ecs"}, "want lambda or fleet"},
		{[]string{"plan", script, "--service", "fleet", "--burst", "500"}, "--burst does not apply"},
		{[]string{"plan", script, "--handler-duration", "1s", "--max", "4"}, "--max does not apply"},
		{[]string{"plan", script, "--service", "fleet", "--handler-duration", "1s"}, "--handler-duration does not apply"},
		{[]string{"plan", script, "--handler-duration", "1s", "--scaling-model", "fast"}, "scaling model"},
		{[]string{"plan", script, "--service", "fleet", "--min", "5", "--max", "2"}, "min"},
		{[]string{"plan", users, "--handler-duration", "1s"}, "closed model"},
		{[]string{"plan", script, "--handler-duration", "1s", "--metric-period", "10s"}, "--metric-period does not apply"},
		{[]string{"plan", script, "--service", "fleet", "--metric-period", "0s"}, "--metric-period 0s: must be positive"},
		{[]string{"plan", script, "--service", "fleet", "--time-scale", "0"}, "--time-scale"},
		{[]string{"plan", notResults}, "schema"},
		{[]string{"plan", filepath.Join(t.TempDir(), "none.yml"), "--handler-duration", "1s"}, "cannot read script"},
	}
	for _, c := range cases {
		res := surge(t, context.Background(), c.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) || res.stdout != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %d bytes; want exit 2 and %q", c.args[1:], res.code, res.stderr, len(res.stdout), c.want)
		}
	}
}

// TestPlanScript plans AWS's sizing example, 100 req/s × 0.5 s = 50, and
// a spike that the legacy burst of 500 cannot absorb.
func TestPlanScript(t *testing.T) {
	steady := planScript(t, "    - duration: 30\n      arrivalRate: 100\n")
	res := surge(t, context.Background(), "plan", steady, "--handler-duration", "500ms", "--init-duration", "0s", "--format", "json")
	var pl plan.LambdaPlan
	if err := json.Unmarshal([]byte(res.stdout), &pl); res.code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v: %s", res.code, err, res.stderr)
	}
	if s := pl.Summary; s.PeakConcurrency != 50 || s.Throttled != 0 || s.Arrivals != 3000 || math.Round(s.PeakNeeded) != 50 {
		t.Fatalf("summary %+v, want a peak of 50 and no throttle", s)
	}
	spike := planScript(t, "    - duration: 120\n      arrivalRate: 1000\n")
	res = surge(t, context.Background(), "plan", spike, "--handler-duration", "1s", "--init-duration", "0s",
		"--scaling-model", "legacy", "--burst", "500", "--account-concurrency", "3000")
	for _, want := range []string{"legacy rule (burst 500", "throttling (time to scale)             0:00 to 1:01 (1m1s)",
		"provisioned concurrency", "every throttle is the scaling rate's"} {
		if res.code != ExitOK || !strings.Contains(res.stdout, want) {
			t.Fatalf("exit %d, output lacks %q:\n%s%s", res.code, want, res.stdout, res.stderr)
		}
	}
}

// TestPlanNotesScenariosOfSeveralRequests: a scenario of two requests is
// planned as one per arrival, and the user is told.
func TestPlanNotesScenariosOfSeveralRequests(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.yml")
	os.WriteFile(path, []byte("config:\n  phases:\n    - duration: 2\n      arrivalRate: 10\nscenarios:\n  - name: pair\n    flow:\n      - get: {url: /a}\n      - get: {url: /b}\n"), 0o644)
	res := surge(t, context.Background(), "plan", path, "--handler-duration", "100ms")
	if res.code != ExitOK || !strings.Contains(res.stderr, `scenario "pair" sends other than one request per arrival`) {
		t.Fatalf("exit %d, stderr %q; want the note", res.code, res.stderr)
	}
	one := planScript(t, "    - duration: 2\n      arrivalRate: 10\n")
	if res := surge(t, context.Background(), "plan", one, "--handler-duration", "100ms"); res.stderr != "" {
		t.Fatalf("a one-request scenario got a note: %q", res.stderr)
	}
}

// TestPlanResultsAfterRun runs a script against the Lambda emulator (an
// account of 2 environments, so 80 % of 100 req/s × 100 ms is throttled:
// a share that a busy machine's slower handlers hardly move), then plans
// from the results file and compares the plan's throttles with the 429s
// the run received.
func TestPlanResultsAfterRun(t *testing.T) {
	cfg := lambdatarget.DefaultConfig()
	cfg.AccountConcurrency, cfg.HandlerDuration, cfg.InitDuration = 2, 100*time.Millisecond, 0
	srv, err := lambdatarget.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { srv.Close(); ts.Close() })
	script := planScript(t, "    - duration: 3\n      arrivalRate: 100\n")
	out := filepath.Join(t.TempDir(), "r.json")
	if res := surge(t, context.Background(), "run", "-t", ts.URL, "--output", out, script); res.code != ExitOK && res.code != ExitThresholds {
		t.Fatalf("run: exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got429 := r.Aggregate.Codes["429"]
	res := surge(t, context.Background(), "plan", out, "--handler-duration", "100ms", "--account-concurrency", "2",
		"--init-duration", "0s", "--format", "json", "--advice=false")
	var pl plan.LambdaPlan
	if err := json.Unmarshal([]byte(res.stdout), &pl); res.code != ExitOK || err != nil {
		t.Fatalf("plan: exit %d, %v: %s", res.code, err, res.stderr)
	}
	t.Logf("run: %d requests, %d throttled (429); plan: %d throttled", r.Aggregate.Requests, got429, pl.Summary.Throttled)
	if got429 < 150 || math.Abs(float64(pl.Summary.Throttled-got429)) > 0.15*float64(got429) {
		t.Fatalf("plan throttles %d, the run got %d 429s: more than 15%% apart", pl.Summary.Throttled, got429)
	}
}

// TestPlanDocsQuoteOutput: docs/plan.md's examples are what surge plan
// prints today, summary line for line.
func TestPlanDocsQuoteOutput(t *testing.T) {
	doc, err := os.ReadFile("../../docs/plan.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"plan", "../../examples/lambda-burst.yml", "--handler-duration", "1s", "--init-duration", "300ms", "--account-concurrency", "3000"},
		{"plan", "../../examples/serverless-lab/spike.yml", "--handler-duration", "1s", "--scaling-model", "legacy", "--burst", "500", "--account-concurrency", "5000", "--advice=false"},
		{"plan", "../../examples/fargate-autoscale.yml", "--service", "fleet", "--max", "8", "--time-scale", "60"},
	} {
		res := surge(t, context.Background(), args...)
		if res.code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, res.code, res.stderr)
		}
		summary, _, _ := strings.Cut(res.stdout, "\n\n")
		lines := strings.Split(summary, "\n")
		if args[1] == "../../examples/serverless-lab/spike.yml" {
			lines = lines[1:5] // the doc quotes the figures in prose
			for i, l := range lines {
				lines[i] = strings.Join(strings.Fields(l), " ")
			}
			checkProse(t, string(doc), lines)
			continue
		}
		if !strings.Contains(string(doc), summary) {
			t.Errorf("docs/plan.md does not quote %v:\n%s", args[1:], summary)
		}
	}
}

// checkProse checks that the figures of the spike's summary are the ones
// docs/plan.md states.
func checkProse(t *testing.T, doc string, lines []string) {
	t.Helper()
	want := map[string]string{"peak concurrency 3000": "3,000 concurrent", "throttled 450900 (41.8 %): scaling_rate 450900": "450,900 of 1,080,000",
		"throttling (time to scale) 0:00 to 5:03 (5m3s)": "from 0:00 to 5:03"}
	for line, phrase := range want {
		if !slices.Contains(lines, line) {
			t.Errorf("surge plan no longer prints %q (it printed %q): update docs/plan.md's prose and this table", line, lines)
		}
		if !strings.Contains(doc, phrase) {
			t.Errorf("docs/plan.md lacks %q for the plan's %q", phrase, line)
		}
	}
}
