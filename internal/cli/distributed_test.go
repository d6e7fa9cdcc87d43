package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// arrival is one request the indexing server received: its path (which
// scenario), the global index of the arrival that sent it (the payload
// row of sequence order) and when it came.
type arrival struct {
	path  string
	index int
	at    time.Time
}

// indexServer writes down every request's path, index and time.
func indexServer(t *testing.T) (*httptest.Server, func() []arrival) {
	var mu sync.Mutex
	var got []arrival
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		dir, idx := filepath.Split(r.URL.Path)
		i, _ := strconv.Atoi(idx)
		mu.Lock()
		got = append(got, arrival{path: dir, index: i, at: now})
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() []arrival {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
}

// indexScript is a ramp over two weighted scenarios whose every request
// carries its arrival's global index (the row of a sequence payload that
// numbers its rows from 0).
func indexScript(t *testing.T, dir, target, phases string) string {
	t.Helper()
	var rows strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&rows, "%d\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "idx.csv"), []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "load.yml")
	script := fmt.Sprintf(`config:
  target: %s
  phases: [%s]
  payload: {path: idx.csv, fields: [i], order: sequence}
scenarios:
  - {name: x, weight: 1, flow: [{get: {url: "/x/{{ i }}"}}]}
  - {name: y, weight: 3, flow: [{get: {url: "/y/{{ i }}"}}]}
`, target, phases)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitExit waits for a surge process, killing it after limit.
func waitExit(t *testing.T, cmd interface {
	Wait() error
}, kill func(), limit time.Duration) int {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err == nil {
			return 0
		}
		if ee, ok := err.(interface{ ExitCode() int }); ok {
			return ee.ExitCode()
		}
		t.Fatal(err)
	case <-time.After(limit):
		kill()
		t.Fatalf("still running after %s", limit)
	}
	return -1
}

// byPathAndIndex counts the requests of each (scenario path, index).
func byPathAndIndex(as []arrival) map[string]int {
	out := map[string]int{}
	for _, a := range as {
		out[a.path+strconv.Itoa(a.index)]++
	}
	return out
}

// Four worker processes started by --local send exactly the single run's
// requests: every arrival index once, with the scenario the single run
// chose for it, each no earlier than its single-run intended time from
// its share's start.
func TestLocalWorkersSendTheSingleRunsPlan(t *testing.T) {
	srv, received := indexServer(t)
	dir := t.TempDir()
	script := indexScript(t, dir, srv.URL, "{duration: 2, arrivalRate: 20, rampTo: 80}")
	if res := surge(t, context.Background(), "run", "-q", script); res.code != ExitOK {
		t.Fatalf("single run: exit %d: %s", res.code, res.stderr)
	}
	single := received()
	merged := filepath.Join(dir, "merged.json")
	cmd, stderr := surgeProcess(t, "run", "--local", "4", "-q", "-o", merged, script)
	if code := waitExit(t, cmd, func() { cmd.Process.Kill() }, 90*time.Second); code != ExitOK {
		t.Fatalf("--local 4: exit %d: %s", code, stderr)
	}
	split := received()
	s, err := scenario.Load(script)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := schedule.New(flow.Phases(s.Config.Phases))
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(single)) != plan.Arrivals() || len(split) != len(single) {
		t.Fatalf("plan %d arrivals; single run sent %d requests, the four workers %d", plan.Arrivals(), len(single), len(split))
	}
	want, got := byPathAndIndex(single), byPathAndIndex(split)
	for k, n := range want {
		if got[k] != n || n != 1 {
			t.Fatalf("request %s: single run %d, workers %d", k, n, got[k])
		}
	}
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	if r.Aggregate.Requests != plan.Arrivals() || len(r.Plan.Clocks) != 4 || r.Plan.StartSkewMS == nil {
		t.Fatalf("merged: %d requests, clocks %+v, skew %v", r.Aggregate.Requests, r.Plan.Clocks, r.Plan.StartSkewMS)
	}
	for _, c := range r.Plan.Clocks {
		if c.LateMS < -2 || *r.Plan.StartSkewMS > 1000 {
			t.Fatalf("share %s started %.3f ms after the start instant, skew %.3f ms: not started together", c.Segment, c.LateMS, *r.Plan.StartSkewMS)
		}
	}
	checkIntendedTimes(t, split, plan, r.Plan.Clocks)
	t.Logf("4 local workers: %d requests, start skew %.3f ms", r.Aggregate.Requests, *r.Plan.StartSkewMS)
}

// checkIntendedTimes: arrival i (share i mod 4) reached the server no
// earlier than its share's start plus the plan's Due(i) (a loaded machine
// delays a request, never advances it), and the requests spread over the
// plan's time rather than coming at once (at least half its span: load
// delays the first and the last alike, a share ignoring its timetable
// would send everything at its start).
func checkIntendedTimes(t *testing.T, as []arrival, plan *schedule.Plan, clocks []results.Clock) {
	t.Helper()
	first, last := as[0].at, as[0].at
	for _, a := range as {
		at, _, ok := plan.Due(int64(a.index))
		if !ok {
			t.Fatalf("arrival %d is not in the plan", a.index)
		}
		due := clocks[a.index%len(clocks)].Started.Add(at)
		if d := a.at.Sub(due); d < -2*time.Millisecond {
			t.Fatalf("arrival %d came %s before its intended time", a.index, -d)
		}
		first, last = minTime(first, a.at), maxTime(last, a.at)
	}
	firstDue, _, _ := plan.Due(0)
	lastDue, _, _ := plan.Due(plan.Arrivals() - 1)
	if span := lastDue - firstDue; last.Sub(first) < span/2 {
		t.Fatalf("the requests came within %s; the plan spreads them over %s", last.Sub(first), span)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func TestCoordinatorTimesOutWhenAWorkerNeverArrives(t *testing.T) {
	srv, received := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 1, arrivalRate: 10}")
	res := surge(t, context.Background(), "run", "-q", "--coordinate", "3", "--listen", freeaddr.Loopback(t), "--wait", "2s", script)
	if res.code != ExitRunFailed || !strings.Contains(res.stderr, "2 of 3 shares not ready after 2s: 1/3:2/3 (no worker), 2/3:1 (no worker)") {
		t.Fatalf("exit %d, want 3 naming the missing shares: %s", res.code, res.stderr)
	}
	if n := len(received()); n != 0 {
		t.Fatalf("%d requests sent by a test that never started", n)
	}
}

func TestWorkerWithoutCoordinatorGivesUp(t *testing.T) {
	srv, _ := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 1, arrivalRate: 10}")
	addr := freeaddr.Loopback(t)
	res := surge(t, context.Background(), "run", "-q", "--coordinator", addr, "--wait", "1s", script)
	if res.code != ExitRunFailed || !strings.Contains(res.stderr, "no coordinator at "+addr+" after 1s") {
		t.Fatalf("exit %d, want 3: %s", res.code, res.stderr)
	}
}

// A worker whose plan differs (another seed) is refused at the barrier,
// before any load: both processes exit 2 and say why.
func TestPlanHashMismatchIsRefused(t *testing.T) {
	refusedAtTheBarrier(t, `plan hash`, "--seed", "7")
}

// A worker that counts failures under other expected statuses (which
// the plan hash leaves out) is refused at the barrier too: their merged
// failures would match neither definition. Either may be ready first,
// so the message may name the two in either order.
func TestExpectedStatusMismatchIsRefused(t *testing.T) {
	refusedAtTheBarrier(t, `expects (the statuses )?200-299\b.*expects (the statuses )?100-399\b|expects (the statuses )?100-399\b.*expects (the statuses )?200-299\b`, "--expect-status", "2xx")
}

// refusedAtTheBarrier runs a coordinator of two shares and a worker with
// the extra flags: both must exit 2 with a message matching the pattern
// want, and nothing be sent.
func refusedAtTheBarrier(t *testing.T, want string, workerFlags ...string) {
	t.Helper()
	wantRE := regexp.MustCompile(want)
	srv, received := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 1, arrivalRate: 10}")
	addr := freeaddr.Loopback(t)
	var wg sync.WaitGroup
	var coordinator cmdResult
	wg.Go(func() {
		coordinator = surge(t, context.Background(), "run", "-q", "--coordinate", "2", "--listen", addr, "--wait", "20s", script)
	})
	args := append([]string{"run", "-q", "--coordinator", addr, "--segment", "1/2", "--wait", "20s"}, workerFlags...)
	worker := surge(t, context.Background(), append(args, script)...)
	wg.Wait()
	for who, res := range map[string]cmdResult{"coordinator": coordinator, "worker": worker} {
		if res.code != ExitUsage || !wantRE.MatchString(res.stderr) {
			t.Errorf("%s: exit %d, want 2 saying %q: %s", who, res.code, want, res.stderr)
		}
	}
	if n := len(received()); n != 0 {
		t.Fatalf("%d requests sent by a refused test", n)
	}
}

// A worker killed mid-run fails the run: the coordinator stops, names
// the lost share and exits 3.
func TestKilledWorkerFailsTheRun(t *testing.T) {
	srv, received := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 60, arrivalRate: 20}")
	addr := freeaddr.Loopback(t)
	coordinator, cstderr := surgeProcess(t, "run", "-q", "--coordinate", "2", "--listen", addr, "--wait", "30s", script)
	worker, _ := surgeProcess(t, "run", "-q", "--coordinator", addr, "--segment", "1/2", "--wait", "30s", script)
	deadline := time.Now().Add(30 * time.Second)
	var seen []arrival
	for !slices.ContainsFunc(seen, func(a arrival) bool { return a.index%2 == 1 }) {
		if time.Now().After(deadline) {
			coordinator.Process.Kill()
			worker.Process.Kill()
			t.Fatal("the worker's share sent nothing")
		}
		time.Sleep(50 * time.Millisecond)
		seen = append(seen, received()...)
	}
	worker.Process.Signal(syscall.SIGKILL)
	worker.Wait()
	code := waitExit(t, coordinator, func() { coordinator.Process.Kill() }, 30*time.Second)
	if code != ExitRunFailed || !strings.Contains(cstderr.String(), "lost share 1/2:1") {
		t.Fatalf("coordinator: exit %d, want 3 naming the lost share: %s", code, cstderr)
	}
}

// Distributed flags that do not go together are usage errors before any
// load.
func TestDistributedFlagErrors(t *testing.T) {
	srv, received := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 1, arrivalRate: 10}")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--coordinate", "2", "--local", "2"}, "do not go together"},
		{[]string{"--coordinator", "127.0.0.1:1", "--coordinate", "2"}, "does not go with --coordinate"},
		{[]string{"--local", "2", "--segment", "0/2"}, "takes no --segment"},
		{[]string{"--listen", "127.0.0.1:0"}, "--listen goes with --coordinate or --coordinate-if-first"},
		{[]string{"--coordinate", "2", "--listen", "0.0.0.0:0"}, "need --coordinator-token"},
		{[]string{"--coordinator", "10.1.2.3:7337", "--coordinator-token", "short"}, "at least 16 characters"},
		{[]string{"--coordinate", "4", "--segment", "1/3"}, "not a share of 4"},
		{[]string{"--coordinate", "3", "--segments", "0:1/2:1", "--segment", "0:1/2"}, "has 2 shares, but 3"},
		{[]string{"--coordinate", "-1"}, "at least 1"},
		{[]string{"--local", "2", "--prometheus", "127.0.0.1:0"}, "--local's coordinator runs none"},
	} {
		res := surge(t, context.Background(), append(append([]string{"run", "-q"}, tc.args...), script)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, want 2 with %q: %s", tc.args, res.code, tc.want, res.stderr)
		}
	}
	if n := len(received()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// Ctrl-C on --local's coordinator stops every worker: the merged results
// of what was sent are still written, and the run exits 130.
func TestInterruptedLocalRunStopsEveryWorker(t *testing.T) {
	srv, received := indexServer(t)
	dir := t.TempDir()
	script := indexScript(t, dir, srv.URL, "{duration: 60, arrivalRate: 20}")
	merged := filepath.Join(dir, "merged.json")
	cmd, stderr := surgeProcess(t, "run", "-q", "--local", "2", "-o", merged, script)
	var seen []arrival
	deadline := time.Now().Add(30 * time.Second)
	for len(seen) < 10 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no requests: %s", stderr)
		}
		time.Sleep(50 * time.Millisecond)
		seen = append(seen, received()...)
	}
	cmd.Process.Signal(syscall.SIGINT)
	if code := waitExit(t, cmd, func() { cmd.Process.Kill() }, 30*time.Second); code != ExitInterrupted {
		t.Fatalf("exit %d, want 130: %s", code, stderr)
	}
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Test.Interrupted || r.Aggregate.Requests < int64(len(seen)) || r.Test.DurationS > 40 {
		t.Fatalf("merged: interrupted %v, %d requests (server saw %d by the interrupt), %.1fs", r.Test.Interrupted,
			r.Aggregate.Requests, len(seen), r.Test.DurationS)
	}
	// Requests the workers wrote before they ended may still be read by
	// the server; after that, a worker still running would send a request
	// every 50 ms.
	time.Sleep(time.Second)
	received()
	time.Sleep(time.Second)
	if late := received(); len(late) > 0 {
		t.Fatalf("%d requests a second after the coordinator exited: a worker outlived it", len(late))
	}
}

// The coordinator judges the whole test: ensure checks on the merged
// request count (which no share alone meets) pass, a threshold that fails
// on the merged seconds fails the run, and the worker exits with the
// coordinator's verdict.
func TestWorkersExitWithTheWholeTestsVerdict(t *testing.T) {
	srv, _ := pathCounter(t)
	dir := t.TempDir()
	script := splitScript(t, dir, srv.URL, `    conditions:
      - expression: "http.requests == 120"`)
	for _, tc := range []struct {
		extra []string
		want  int
	}{
		{nil, ExitOK},
		{[]string{"--threshold", "http_req_duration: p(99)<0.001"}, ExitThresholds},
	} {
		addr := freeaddr.Loopback(t)
		var wg sync.WaitGroup
		var coordinator cmdResult
		wg.Go(func() {
			args := append([]string{"run", "-q", "--coordinate", "2", "--listen", addr, "--wait", "20s"}, tc.extra...)
			coordinator = surge(t, context.Background(), append(args, script)...)
		})
		worker := surge(t, context.Background(), "run", "-q", "--coordinator", addr, "--wait", "20s", script)
		wg.Wait()
		if coordinator.code != tc.want || worker.code != tc.want {
			t.Fatalf("%v: coordinator exit %d, worker exit %d, want %d both:\n%s\n%s", tc.extra, coordinator.code, worker.code,
				tc.want, coordinator.stderr, worker.stderr)
		}
	}
}
