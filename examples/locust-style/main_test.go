package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// The must-show of issue 15: the file is at most 25 lines.
func TestExampleIsAtMost25Lines(t *testing.T) {
	data, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte("\n")); n > 25 {
		t.Fatalf("main.go has %d lines, want at most 25", n)
	}
}

// docs/scripting.md shows the file as it is, beside the locustfile.
func TestScriptingDocShowsTheExample(t *testing.T) {
	code, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/scripting.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, append([]byte("```go\n"), code...)) || !bytes.Contains(doc, []byte("catch_response=True")) {
		t.Fatal("docs/scripting.md does not show examples/locust-style/main.go as it is, beside the locustfile")
	}
}

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// build compiles the example once, as a user's go build would.
func build(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "locust-style")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "locust-style")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// labAPI emulates the serverless lab's REST API: GET /items, GET
// /items/{id} of a created item, POST /items. Each user has its own
// connection; its first POST (on_start) always gets an item, and every
// third after that a 200 without one, which the users must count as
// failed. failLists answers the listing with 500.
type labAPI struct {
	failLists bool
	nextID    atomic.Int64
	noID      atomic.Int64 // creations answered without an id
	byRoute   sync.Map     // route -> *atomic.Int64
}

type connPosts struct{}

func (a *labAPI) start(t *testing.T) string {
	srv := httptest.NewUnstartedServer(a)
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connPosts{}, new(atomic.Int64))
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func (a *labAPI) count(route string) int64 {
	n, _ := a.byRoute.LoadOrStore(route, new(atomic.Int64))
	return n.(*atomic.Int64).Load()
}

func (a *labAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + r.URL.Path
	if strings.HasPrefix(r.URL.Path, "/items/") {
		route = r.Method + " /items/{id}"
	}
	n, _ := a.byRoute.LoadOrStore(route, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
	switch {
	case route == "GET /items" && a.failLists:
		w.WriteHeader(http.StatusInternalServerError)
	case route == "GET /items":
		w.Write([]byte(`{"items":[]}`))
	case route == "GET /items/{id}":
		w.Write([]byte(`{"id":1}`))
	case route == "POST /items" && r.Context().Value(connPosts{}).(*atomic.Int64).Add(1)%3 == 0:
		a.noID.Add(1)
		w.Write([]byte(`{}`))
	case route == "POST /items":
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"id":%d,"name":"widget"}`, a.nextID.Add(1))
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// run starts the example with args; onLine sees each line of its
// standard error as it comes. It returns the exit code and the error
// output.
func run(t *testing.T, onLine func(string), args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, build(t), args...)
	cmd.Dir = t.TempDir()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		all.WriteString(sc.Text() + "\n")
		if onLine != nil {
			onLine(sc.Text())
		}
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("the example did not end within a minute: %s", all.String())
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), all.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, all.String()
}

// The must-show: the example runs with --users 20 --spawn-rate 5
// --dashboard. The dashboard answers and its load control steers the
// users up to 200; the results count every task's requests under its
// name, in about the tasks' weights, one on_start per user, and each
// creation answered without an id as a failure with its reason.
func TestExampleRunsWithUsersSpawnRateAndDashboard(t *testing.T) {
	api := &labAPI{}
	url := api.start(t)
	out := filepath.Join(t.TempDir(), "results.json")
	var steered atomic.Bool
	code, stderr := run(t, func(line string) {
		if addr, ok := strings.CutPrefix(line, "dashboard: "); ok && strings.HasPrefix(addr, "http://") {
			steered.Store(steer(t, strings.TrimSpace(addr)))
		}
	}, "-t", url, "--users", "20", "--spawn-rate", "5", "--duration", "4s", "--dashboard", "127.0.0.1:0", "-o", out, "-q")
	if code != 0 || !steered.Load() {
		t.Fatalf("exit %d, dashboard steered %v; stderr:\n%s", code, steered.Load(), stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]results.Endpoint{}
	for _, e := range r.Endpoints {
		by[e.Name] = e
	}
	list, read, create := by["/items"].Requests, by["/items/[id]"].Requests, by["create item"].Requests
	tasks := list + read + create
	t.Logf("%d users; %d lists, %d reads, %d creations (%d without an id)", r.Aggregate.VUsers.Created, list, read, create, api.noID.Load())
	if share := float64(list) / float64(tasks); tasks < 100 || read == 0 || create == 0 || share < 0.45 || share > 0.75 {
		t.Fatalf("tasks: %d lists, %d reads, %d creations: want over 100, lists about 3 in 5", list, read, create)
	}
	if started := by["api user.on_start"].Requests; started != r.Aggregate.VUsers.Created || started < 100 || api.count("GET /items/{id}") != read {
		t.Fatalf("%d on_start requests for %d users; %d reads served, %d counted", started, r.Aggregate.VUsers.Created, api.count("GET /items/{id}"), read)
	}
	noID := api.noID.Load()
	if noID == 0 || by["create item"].Failures != noID || r.Counters["failures.create item: no id in the response"] != noID {
		t.Fatalf("%d creations answered without an id; %d counted failed, counters %v", noID, by["create item"].Failures, r.Counters)
	}
	if r.Aggregate.Failures != noID {
		t.Fatalf("%d failed requests, want only the %d creations without an id", r.Aggregate.Failures, noID)
	}
}

// steer waits for the dashboard to show the users running, then sets 200
// users, all at once, through its load control; it says whether both
// answered as they should.
func steer(t *testing.T, base string) bool {
	var st struct {
		Running bool
		Model   string
	}
	for i := 0; i < 100 && !st.Running; i++ {
		resp, err := http.Get(base + "api/state")
		if err != nil {
			t.Errorf("dashboard: %v", err)
			return false
		}
		json.NewDecoder(resp.Body).Decode(&st)
		resp.Body.Close()
		if !st.Running {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if !st.Running || st.Model != "closed" {
		t.Errorf("dashboard state %+v, want the closed model running", st)
		return false
	}
	resp, err := http.Post(base+"api/load", "application/json", strings.NewReader(`{"users":200,"spawn_rate":0}`))
	if err != nil {
		t.Errorf("dashboard: %v", err)
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("load control: HTTP %d", resp.StatusCode)
	}
	return resp.StatusCode == http.StatusOK
}

// A threshold judges the run: failing, the exit code is 1; passing, 0.
func TestExampleThresholdSetsTheExitCode(t *testing.T) {
	api := &labAPI{failLists: true}
	url := api.start(t)
	for threshold, want := range map[string]int{"failure_rate<1%": 1, "failure_rate<100%": 0} {
		code, stderr := run(t, nil, "-t", url, "--rate", "20", "--duration", "1s", "--threshold", threshold, "-q")
		if code != want {
			t.Errorf("--threshold %q: exit %d, want %d; stderr:\n%s", threshold, code, want, stderr)
		}
	}
}

// --segment 1/2 runs half the arrivals: 5 of 10 users, one on_start each.
func TestExampleRunsOneSegment(t *testing.T) {
	api := &labAPI{}
	url := api.start(t)
	out := filepath.Join(t.TempDir(), "share.json")
	code, stderr := run(t, nil, "-t", url, "--rate", "10", "--duration", "1s", "--segment", "1/2", "-o", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Aggregate.VUsers.Created != 5 || api.count("POST /items") < 5 {
		t.Fatalf("%d users, %d creations: want the share's 5 users, each with its on_start", r.Aggregate.VUsers.Created, api.count("POST /items"))
	}
}

// --local 2 runs the test as two processes of the example, coordinated
// by a third, and writes the merged results: the 10 users of the whole
// test, each with its on_start.
func TestExampleRunsAsLocalShares(t *testing.T) {
	api := &labAPI{}
	url := api.start(t)
	out := filepath.Join(t.TempDir(), "merged.json")
	code, stderr := run(t, nil, "-t", url, "--rate", "10", "--duration", "1s", "--local", "2", "-o", out, "-q")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var started int64
	for _, e := range r.Endpoints {
		if e.Name == "api user.on_start" {
			started = e.Requests
		}
	}
	if r.Aggregate.VUsers.Created != 10 || started != 10 || api.count("POST /items") < 10 {
		t.Fatalf("%d users, %d on_start requests, %d creations served: want the whole test's 10 users",
			r.Aggregate.VUsers.Created, started, api.count("POST /items"))
	}
}

// The dashboard's stop button ends the run as Ctrl-C does: exit 130, the
// results still written.
func TestExampleStopsFromTheDashboard(t *testing.T) {
	api := &labAPI{}
	url := api.start(t)
	out := filepath.Join(t.TempDir(), "results.json")
	var stopped atomic.Bool
	code, stderr := run(t, func(line string) {
		if addr, ok := strings.CutPrefix(line, "dashboard: "); ok && strings.HasPrefix(addr, "http://") {
			resp, err := http.Post(strings.TrimSpace(addr)+"api/stop", "application/json", strings.NewReader("{}"))
			if err == nil {
				resp.Body.Close()
				stopped.Store(resp.StatusCode == http.StatusOK)
			}
		}
	}, "-t", url, "--users", "5", "--duration", "1m", "--dashboard", "127.0.0.1:0", "-o", out, "-q")
	if code != 130 || !stopped.Load() {
		t.Fatalf("exit %d, stop answered %v; want 130; stderr:\n%s", code, stopped.Load(), stderr)
	}
	if _, err := results.ReadFile(out); err != nil {
		t.Fatalf("results of a stopped run: %v", err)
	}
}

// Ctrl-C ends the run as Locust's does, with the results still written:
// exit 130, and the results count exactly the requests the server
// received, each under its name.
func TestExampleInterruptedStillWritesResults(t *testing.T) {
	api := &labAPI{}
	url := api.start(t)
	out := filepath.Join(t.TempDir(), "results.json")
	cmd := exec.Command(build(t), "-t", url, "--users", "10", "--spawn-rate", "20", "--duration", "1m", "-o", out, "-q")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 130 {
		t.Fatalf("after Ctrl-C: %v, want exit 130", err)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatalf("results of an interrupted run: %v", err)
	}
	served := api.count("GET /items") + api.count("GET /items/{id}") + api.count("POST /items")
	if !r.Test.Interrupted || r.Aggregate.Requests != served || r.Aggregate.VUsers.Created != 10 {
		t.Fatalf("interrupted %v; %d requests counted, %d served; %d users", r.Test.Interrupted, r.Aggregate.Requests, served, r.Aggregate.VUsers.Created)
	}
	by := map[string]int64{}
	for _, e := range r.Endpoints {
		by[e.Name] = e.Requests
	}
	if by["/items"] != api.count("GET /items") || by["/items/[id]"] != api.count("GET /items/{id}") ||
		by["api user.on_start"]+by["create item"] != api.count("POST /items") {
		t.Fatalf("counted %v; served %d lists, %d reads, %d creations", by, api.count("GET /items"), api.count("GET /items/{id}"), api.count("POST /items"))
	}
}
