package session

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// boundChild, when set, makes TestAGeneratorBoundRunSaysSo the child
// process that runs the load, writing its results into the directory
// named.
const boundChild = "SURGE_TEST_GENERATOR_BOUND_CHILD"

// A generator on one core (GOMAXPROCS=1, in a child process) asked for
// far more than a core can send falls behind; the summary and the
// results say that Surge, not the server, was the bottleneck.
func TestAGeneratorBoundRunSaysSo(t *testing.T) {
	skipUnderRace(t)
	if dir := os.Getenv(boundChild); dir != "" {
		runBoundChild(t, dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAGeneratorBoundRunSaysSo$", "-test.v")
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1", boundChild+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, out.String())
	}
	r, err := results.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	logWatch(t, r)
	g := r.Generator
	if g == nil || !g.Bound || g.Verdict != "generator-bound" || g.Cores != 1 || len(g.Spans) == 0 {
		t.Fatalf("generator section %+v, want bound on 1 core\n%s", g, out.String())
	}
	if !strings.Contains(out.String(), "surge: the generator itself is the bottleneck since 0:0") {
		t.Errorf("no notice while the test ran:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "WARNING: Surge itself was the bottleneck from ") ||
		!strings.Contains(out.String(), "these latencies describe the generator, not the server") {
		t.Errorf("the summary does not say the generator was the bottleneck:\n%s", out.String())
	}
	t.Logf("%+v", g.Spans)
}

// runBoundChild sends 300,000 requests a second for 4 s: no single core
// sends that many, whatever the machine.
func runBoundChild(t *testing.T, dir string) {
	srv := newRecordingServer(t)
	test := getTest(t, srv.URL, 300000, 4*time.Second)
	test.Grace = time.Second // the queue left at the end is dropped, not drained for 10 s
	_, err := Run(context.Background(), test, results.Test{Target: srv.URL},
		Options{Summary: os.Stdout, Notices: os.Stdout, ResultsFile: filepath.Join(dir, "results.json")})
	if err != nil {
		t.Fatal(err)
	}
}

// A modest run against a fast loopback server keeps up, on a machine as
// busy as the test suite's: no warning.
func TestAModestRunIsNotGeneratorBound(t *testing.T) {
	skipUnderRace(t)
	srv := newRecordingServer(t)
	var summary bytes.Buffer
	res, err := Run(context.Background(), getTest(t, srv.URL, 200, 3*time.Second), results.Test{},
		Options{Summary: &summary, Notices: &summary})
	if err != nil {
		t.Fatal(err)
	}
	logWatch(t, res.Results)
	g := res.Results.Generator
	if g == nil || g.Bound || g.Verdict != "ok" {
		t.Errorf("generator section %+v, want ok\n%s", g, summary.String())
	}
	if strings.Contains(summary.String(), "bottleneck") {
		t.Errorf("a run that kept up is warned about:\n%s", summary.String())
	}
	if n := res.Results.Aggregate.Requests; n != 600 {
		t.Errorf("%d requests, want 600", n)
	}
}

// logWatch logs each second's watch on the generator, the verdict's
// inputs, so that a failure shows why.
func logWatch(t *testing.T, r *results.Results) {
	t.Helper()
	for _, iv := range r.Intervals {
		if g := iv.Generator; g != nil {
			t.Logf("%2d: %d requests, %d dropped; %+v cpu %v demand %v", iv.Index, iv.Requests, iv.Dropped, *g,
				deref(g.CPUPct), deref(g.DemandPct))
		}
	}
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// skipUnderRace skips a test that judges the generator's own speed: under
// the race detector a 4 s run at 300,000 req/s paced its 1.2 million
// arrivals for up to 318 s on a busy machine, and a modest run's lags are
// the detector's. make unit runs these tests again without -race.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceEnabled {
		t.Skip("times the generator itself, which the race detector slows several times over; make unit runs it without -race")
	}
}
