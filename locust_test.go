package surge

// Tests a Locust user would write against a Go load test: the mix of
// weighted tasks, wait times, on_start, catch_response, grouping URLs
// under one name, per-user state, the spawn rate, the run time limit,
// errors and panics in tasks; each against a loopback server that counts
// what it receives, and each count checked against the summary, the
// results file (-o) and surge report's page.

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/cli"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/taskset"
)

// lab is a loopback server that counts what it receives: requests by
// method and path, logins, and requests whose session cookie is not the
// one their user's login set (a cookie jar shared between users).
type lab struct {
	srv   *httptest.Server
	start time.Time

	mu       sync.Mutex
	requests map[string]int // "GET /a"
	total    int
	logins   []time.Duration // when each login came, since start
	foreign  int             // requests carrying another user's session
	lastAt   time.Duration   // when the last request came
	nextSID  int
}

type connKey struct{}

// connState is what the server knows of one connection (one user: each
// has its own): the session its login set.
type connState struct{ sid string }

func newLab(t *testing.T) *lab {
	l := &lab{requests: map[string]int{}}
	l.srv = httptest.NewUnstartedServer(l)
	l.srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, &connState{})
	}
	l.srv.Start()
	l.start = time.Now()
	t.Cleanup(l.srv.Close)
	return l
}

func (l *lab) url() string { return l.srv.URL }

func (l *lab) count(route string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.requests[route]
}

func (l *lab) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn := r.Context().Value(connKey{}).(*connState)
	route := r.Method + " " + r.URL.Path
	if strings.HasPrefix(r.URL.Path, "/items/") {
		route = r.Method + " /items/{id}"
	}
	l.mu.Lock()
	l.requests[route]++
	l.total++
	l.lastAt = time.Since(l.start)
	var sid string
	if r.URL.Path == "/login" {
		l.nextSID++
		sid = strconv.Itoa(l.nextSID)
		conn.sid = sid
		l.logins = append(l.logins, time.Since(l.start))
	} else if c, err := r.Cookie("sid"); err == nil && (c.Value != conn.sid || r.Header.Get("X-Sid") != c.Value) {
		l.foreign++
	}
	l.mu.Unlock()
	switch r.URL.Path {
	case "/login":
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: sid, Path: "/"})
		fmt.Fprintf(w, `{"sid":%q}`, sid)
	case "/500":
		w.WriteHeader(http.StatusInternalServerError)
	case "/404":
		w.WriteHeader(http.StatusNotFound)
	case "/empty":
		w.Write([]byte(`{"items":[]}`))
	case "/sleep":
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		time.Sleep(time.Duration(ms) * time.Millisecond)
	default:
		w.Write([]byte(`{"items":[1]}`))
	}
}

// outcome is one run of a program's users: its exit code, output, and
// the results file read back.
type outcome struct {
	code    int
	out     string
	res     *results.Results
	file    string
	elapsed time.Duration
}

// runUsers runs users with args as surge.Main would, writing the results
// to a file.
func runUsers(t *testing.T, args []string, users ...taskset.User) outcome {
	t.Helper()
	file := filepath.Join(t.TempDir(), "results.json")
	var stdout, stderr bytes.Buffer
	began := time.Now()
	code := Run(append(args, "-o", file), &stdout, &stderr, users...)
	o := outcome{code: code, out: stdout.String() + stderr.String(), file: file, elapsed: time.Since(began)}
	if res, err := results.ReadFile(file); err == nil {
		o.res = res
	} else {
		t.Logf("results: %v", err)
	}
	return o
}

// summaryRow is an endpoint's row of the summary table.
type summaryRow struct{ count, errors, failures int64 }

var summaryLine = regexp.MustCompile(`^\s*(.+?)\s+(\d+)\s+[\d.]+\s+(\d+)\s+(\d+)\s+[\d.]+%`)

// summaryRows reads the summary table printed at the end of a run.
func summaryRows(out string) map[string]summaryRow {
	rows := map[string]summaryRow{}
	_, table, _ := strings.Cut(out, "\nSummary")
	for _, line := range strings.Split(table, "\n") {
		m := summaryLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		n, _ := strconv.ParseInt(m[2], 10, 64)
		e, _ := strconv.ParseInt(m[3], 10, 64)
		f, _ := strconv.ParseInt(m[4], 10, 64)
		rows[m[1]] = summaryRow{n, e, f}
	}
	return rows
}

var reportRow = regexp.MustCompile(`<tr><th class="name">([^<]*)</th><td class="num">([\d,]+)</td><td class="num">([\d,]+)</td>`)

// reportRows runs surge report on the results file and reads its
// endpoints table: requests and failures by endpoint.
func reportRows(t *testing.T, file string) map[string][2]int64 {
	t.Helper()
	page := filepath.Join(t.TempDir(), "report.html")
	var out bytes.Buffer
	if code := cli.Main([]string{"report", file, "-o", page}, cli.IO{Stdout: &out, Stderr: &out}); code != 0 {
		t.Fatalf("surge report: exit %d: %s", code, out.String())
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	_, endpoints, _ := strings.Cut(string(data), ">Endpoints<")
	rows := map[string][2]int64{}
	for _, m := range reportRow.FindAllStringSubmatch(endpoints, -1) {
		n, _ := strconv.ParseInt(strings.ReplaceAll(m[2], ",", ""), 10, 64)
		f, _ := strconv.ParseInt(strings.ReplaceAll(m[3], ",", ""), 10, 64)
		if _, seen := rows[html.UnescapeString(m[1])]; !seen {
			rows[html.UnescapeString(m[1])] = [2]int64{n, f}
		}
	}
	return rows
}

// agree checks that the summary, the results file and surge report's
// page each count served[name] requests under every name, and failed[name]
// of them failed.
func agree(t *testing.T, o outcome, served, failed map[string]int64) {
	t.Helper()
	if o.res == nil {
		t.Fatalf("no results file; output:\n%s", o.out)
	}
	summary, report := summaryRows(o.out), reportRows(t, o.file)
	byName := map[string]results.Endpoint{}
	for _, e := range o.res.Endpoints {
		byName[e.Name] = e
	}
	var total, totalFailed int64
	for name, n := range served {
		total += n
		totalFailed += failed[name]
		if e := byName[name]; e.Requests != n || e.Failures != failed[name] {
			t.Errorf("%s: results file %d requests, %d failed; server %d, want %d failed", name, e.Requests, e.Failures, n, failed[name])
		}
		if s := summary[name]; s.count != n || s.failures != failed[name] {
			t.Errorf("%s: summary %d requests, %d failed; server %d, want %d failed", name, s.count, s.failures, n, failed[name])
		}
		if r := report[name]; r[0] != n || r[1] != failed[name] {
			t.Errorf("%s: report %d requests, %d failed; server %d, want %d failed", name, r[0], r[1], n, failed[name])
		}
	}
	if len(served) == 1 { // the summary has a total row only under several endpoints
		for name := range served {
			summary["total"] = summary[name]
		}
	}
	if o.res.Aggregate.Requests != total || summary["total"].count != total || o.res.Aggregate.Failures != totalFailed {
		t.Errorf("total: results %d (%d failed), summary %d; server %d (want %d failed)",
			o.res.Aggregate.Requests, o.res.Aggregate.Failures, summary["total"].count, total, totalFailed)
	}
	if t.Failed() {
		t.Logf("output:\n%s", o.out)
	}
}

func get(path string) func(*taskset.Client) error {
	return func(c *taskset.Client) error { return c.Get(path).Err() }
}

// Tasks of weights 1, 3 and 6 run in about those shares: each share
// within four standard deviations of its binomial expectation.
func TestLocustTaskWeightsGiveTheMix(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "mixer", Tasks: []taskset.Task{
		{Name: "a", Weight: 1, Run: get("/a")},
		{Name: "b", Weight: 3, Run: get("/b")},
		{Name: "c", Weight: 6, Run: get("/c")},
	}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "4", "--duration", "2s"}, u)
	a, b, c := l.count("GET /a"), l.count("GET /b"), l.count("GET /c")
	n := float64(a + b + c)
	if n < 400 { // thousands on a quiet machine; 400 still tell 1:3:6 apart
		t.Fatalf("%d tasks in 2 s: too few to judge the mix", int(n))
	}
	for _, x := range []struct {
		name string
		got  int
		p    float64
	}{{"a", a, 0.1}, {"b", b, 0.3}, {"c", c, 0.6}} {
		if sd := math.Sqrt(n * x.p * (1 - x.p)); math.Abs(float64(x.got)-n*x.p) > 4*sd {
			t.Errorf("task %s: %d of %d, want %.0f ± %.0f", x.name, x.got, int(n), n*x.p, 4*sd)
		}
	}
	agree(t, o, map[string]int64{"a": int64(a), "b": int64(b), "c": int64(c)}, nil)
}

// A constant wait of 100 ms after each task gives a user about ten tasks
// a second; between(50 ms, 150 ms) about the same on average.
func TestLocustWaitTimes(t *testing.T) {
	for name, wait := range map[string]taskset.Wait{
		"constant": taskset.Constant(100 * time.Millisecond),
		"between":  taskset.Between(50*time.Millisecond, 150*time.Millisecond),
	} {
		t.Run(name, func(t *testing.T) {
			l := newLab(t)
			u := taskset.User{Name: "waiter", Wait: wait, Tasks: []taskset.Task{{Name: "a", Run: get("/a")}}}
			o := runUsers(t, []string{"-t", l.url(), "--users", "3", "--duration", "2s"}, u)
			// 3 users, 2 s, a task every ~100 ms: about 20 each (the first
			// at 0). A wait not kept would make thousands; between's random
			// waits can make a few more (no more than 2 s / 50 ms + 1 each),
			// a busy machine's scheduling only fewer, so the floor is loose.
			if got := l.count("GET /a"); got < 3*10 || got > 3*41 {
				t.Errorf("%d tasks from 3 users in 2 s with a 100 ms wait, want about 60", got)
			}
			agree(t, o, map[string]int64{"a": int64(l.count("GET /a"))}, nil)
		})
	}
}

// on_start runs once per user, before its first task, and logs the user
// in: the cookie its login set is sent by that user only, with every
// task; the user's own state (Vars) is its own.
func TestLocustOnStartOncePerUserAndStateIsPerUser(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "member", Wait: taskset.Constant(5 * time.Millisecond),
		OnStart: func(c *taskset.Client) error {
			var s struct{ SID string }
			if err := c.Do("POST", "/login", nil, nil).JSON(&s); err != nil {
				return err
			}
			c.Vars["sid"] = s.SID
			c.Header.Set("X-Sid", s.SID)
			return nil
		},
		Tasks: []taskset.Task{{Name: "mine", Run: func(c *taskset.Client) error {
			r := c.Get("/items/" + c.Vars["sid"].(string))
			return r.Err()
		}}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "8", "--duration", "1s"}, u)
	l.mu.Lock()
	logins, foreign := len(l.logins), l.foreign
	l.mu.Unlock()
	if logins != 8 || foreign != 0 {
		t.Fatalf("%d logins for 8 users, %d requests with another user's session", logins, foreign)
	}
	agree(t, o, map[string]int64{"member.on_start": 8, "mine": int64(l.count("GET /items/{id}"))}, nil)
}

// --spawn-rate 5 starts 10 users 200 ms apart: the n-th login comes at
// n/5 s, never sooner; a busy machine may make it a little later.
func TestLocustSpawnRate(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "member", Wait: taskset.Constant(50 * time.Millisecond),
		OnStart: func(c *taskset.Client) error { return c.Do("POST", "/login", nil, nil).Err() },
		Tasks:   []taskset.Task{{Name: "a", Run: get("/a")}}}
	runUsers(t, []string{"-t", l.url(), "--users", "10", "--spawn-rate", "5", "--duration", "3s"}, u)
	l.mu.Lock()
	logins := append([]time.Duration(nil), l.logins...)
	l.mu.Unlock()
	if len(logins) != 10 {
		t.Fatalf("%d logins, want 10", len(logins))
	}
	for i, at := range logins {
		want := time.Duration(i) * 200 * time.Millisecond
		if gap := at - logins[0]; gap < want-20*time.Millisecond || gap > want+150*time.Millisecond {
			t.Errorf("user %d logged in %v after the first, want %v", i, gap, want)
		}
	}
}

// --duration 1500ms ends the run then, even for users in the middle of a
// 5 s wait: nothing is sent after it, and the program returns long
// before the wait would have ended.
func TestLocustRunTimeLimit(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "slow", Wait: taskset.Constant(5 * time.Second), Tasks: []taskset.Task{{Name: "a", Run: get("/a")}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "2", "--duration", "1500ms"}, u)
	l.mu.Lock()
	last := l.lastAt
	l.mu.Unlock()
	if got := l.count("GET /a"); got != 2 || last > 1500*time.Millisecond || o.elapsed > 4*time.Second || o.code != 0 {
		t.Fatalf("%d tasks (want 2: one at 0 for each user), the last %v in, the run %v long, exit %d",
			got, last, o.elapsed, o.code)
	}
	agree(t, o, map[string]int64{"a": 2}, nil)
}

// A 4xx or 5xx counts as failed; so does a 200 the task judges failed by
// its content, as catch_response's resp.failure(), and a 404 the task
// calls a success, as resp.success(), does not.
func TestLocustFailuresByStatusAndByContent(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "judge", Tasks: []taskset.Task{
		{Name: "server error", Run: get("/500")},
		{Name: "not found", Run: get("/404")},
		{Name: "expected 404", Run: func(c *taskset.Client) error {
			r := c.Get("/404")
			r.Success()
			return r.Err()
		}},
		{Name: "empty list", Run: func(c *taskset.Client) error {
			r := c.Get("/empty")
			var v struct{ Items []int }
			if r.JSON(&v) != nil || len(v.Items) == 0 {
				r.Failure("no items")
			}
			return r.Err()
		}},
	}}
	o := runUsers(t, []string{"-t", l.url(), "--rate", "200", "--duration", "1s"}, u)
	served := map[string]int64{"server error": int64(l.count("GET /500"))}
	notFound := int64(l.count("GET /404"))
	by := map[string]int64{}
	for _, e := range o.res.Endpoints {
		by[e.Name] = e.Requests
	}
	nf, ok404 := by["not found"], by["expected 404"]
	if nf+ok404 != notFound {
		t.Fatalf("server answered %d 404s, the results count %d + %d", notFound, nf, ok404)
	}
	served["not found"], served["expected 404"], served["empty list"] = nf, ok404, int64(l.count("GET /empty"))
	failed := map[string]int64{"server error": served["server error"], "not found": nf, "empty list": served["empty list"]}
	agree(t, o, served, failed)
	if got := o.res.Counters["failures.empty list: no items"]; got != served["empty list"] {
		t.Errorf("counter failures.empty list: no items = %d, want %d", got, served["empty list"])
	}
	// The summary says why requests failed, rightly: the responses outside
	// the expected statuses are the 500s and 404s, not the judged 200s.
	want := fmt.Sprintf("%d responses outside the expected statuses 100-399, %d failed by the test (and %d outside them passed by the test)",
		served["server error"]+nf, served["empty list"], ok404)
	if !strings.Contains(o.out, want) || !strings.Contains(o.out, fmt.Sprintf("failed by the test %d: empty list: no items %d", served["empty list"], served["empty list"])) {
		t.Errorf("summary does not say %q, nor list the reason:\n%s", want, o.out)
	}
}

// Many URLs, one name: every /items/{id} a task reads is counted under
// the task's name, as Locust's name="/items/[id]".
func TestLocustManyURLsUnderOneName(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "reader", Tasks: []taskset.Task{{Name: "/items/[id]", Run: func(c *taskset.Client) error {
		return c.Get(fmt.Sprintf("/items/%d", rand.IntN(1000))).Err()
	}}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "2", "--duration", "500ms"}, u)
	if len(o.res.Endpoints) != 1 {
		t.Errorf("endpoints %d, want the one name", len(o.res.Endpoints))
	}
	agree(t, o, map[string]int64{"/items/[id]": int64(l.count("GET /items/{id}"))}, nil)
}

// on_stop runs once per user when the run ends, even in the middle of
// a wait, and its request (a logout) is sent and counted.
func TestLocustOnStopOncePerUser(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "member", Wait: taskset.Constant(time.Second),
		OnStart: func(c *taskset.Client) error { return c.Do("POST", "/login", nil, nil).Err() },
		OnStop:  func(c *taskset.Client) error { return c.Do("POST", "/logout", nil, nil).Err() },
		Tasks:   []taskset.Task{{Name: "a", Run: get("/a")}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "5", "--duration", "500ms"}, u)
	if got := l.count("POST /logout"); got != 5 || o.code != 0 || o.elapsed > 2*time.Second {
		t.Fatalf("%d logouts for 5 users (exit %d, %v): want one each, at the end", got, o.code, o.elapsed)
	}
	agree(t, o, map[string]int64{"member.on_start": 5, "a": 5, "member.on_stop": 5}, nil)
}

// A task that returns ErrStopUser stops its user (as raise StopUser):
// it runs on_stop and no further task, and it is not replaced.
func TestLocustStopUser(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "once",
		OnStop: func(c *taskset.Client) error { return c.Do("POST", "/logout", nil, nil).Err() },
		Tasks: []taskset.Task{{Name: "a", Run: func(c *taskset.Client) error {
			if err := c.Get("/a").Err(); err != nil {
				return err
			}
			return taskset.ErrStopUser
		}}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "3", "--duration", "500ms"}, u)
	if l.count("GET /a") != 3 || l.count("POST /logout") != 3 || o.res.Aggregate.VUsers.Failed != 0 || o.res.Aggregate.VUsers.Completed != 3 {
		t.Fatalf("served %v; vusers %+v: want each of 3 users to run one task and on_stop, none failed", l.requests, o.res.Aggregate.VUsers)
	}
	agree(t, o, map[string]int64{"a": 3, "once.on_stop": 3}, nil)
}

// A task can stop the whole test (as environment.runner.quit()): the
// run ends early, every user runs on_stop, the results are written and
// say what stopped it, and the exit code is 0.
func TestLocustStopTestFromATask(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "buyer", Wait: taskset.Constant(10 * time.Millisecond),
		OnStop: func(c *taskset.Client) error { return c.Do("POST", "/logout", nil, nil).Err() },
		Tasks: []taskset.Task{{Name: "a", Run: func(c *taskset.Client) error {
			r := c.Get("/a")
			if l.count("GET /a") >= 30 { // the stock is sold out
				c.StopTest()
			}
			return r.Err()
		}}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "4", "--duration", "30s"}, u)
	if o.code != 0 || o.elapsed > 5*time.Second || o.res == nil || o.res.Test.Interrupted || o.res.Test.StoppedBy != `task "a"` {
		t.Fatalf("exit %d after %v; results %v: want 0, early, stopped by the task\n%s", o.code, o.elapsed, o.res != nil && o.res.Test.Interrupted, o.out)
	}
	if l.count("POST /logout") != 4 || !strings.Contains(o.out, `stopped by task "a"`) {
		t.Errorf("%d logouts of 4 users; output:\n%s", l.count("POST /logout"), o.out)
	}
	agree(t, o, map[string]int64{"a": int64(l.count("GET /a")), "buyer.on_stop": 4}, nil)
}

// Pacing (Locust's constant_pacing) starts a task every 200 ms whatever
// it takes: a task of 120 ms runs 5 times a second, not 1/(0.12+0.2).
func TestLocustConstantPacing(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "paced", Pacing: 200 * time.Millisecond, Tasks: []taskset.Task{{Name: "slow", Run: get("/sleep?ms=120")}}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "2", "--duration", "2s"}, u)
	// Waits instead of pacing would make 2 × 2 s / 0.32 s, 12 or 13.
	if got := l.count("GET /sleep"); got < 15 || got > 2*10 {
		t.Errorf("%d tasks of 2 users paced at 200 ms over 2 s, want 20 (a task at 0, 0.2, …, 1.8 s)", got)
	}
	agree(t, o, map[string]int64{"slow": int64(l.count("GET /sleep"))}, nil)
}

// An open-model user (--rate) runs one task: a wait after it would only
// hold the user, stretching the run and cutting its rate.
func TestLocustOpenModelUsersDoNotWaitAfterTheirTask(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "visitor", Wait: taskset.Between(2*time.Second, 3*time.Second), Tasks: []taskset.Task{{Name: "a", Run: get("/a")}}}
	o := runUsers(t, []string{"-t", l.url(), "--rate", "20", "--duration", "1s"}, u)
	// Waiting users would hold the run to 3 s and be 20 at once.
	if o.elapsed > 2500*time.Millisecond || o.res.Aggregate.MaxActiveVUs > 10 {
		t.Fatalf("a 1 s run of 20 arrivals took %v, with %d users at once", o.elapsed, o.res.Aggregate.MaxActiveVUs)
	}
	agree(t, o, map[string]int64{"a": 20}, nil)
}

// A task that returns an error or panics is counted each time, under its
// name, and the users go on: the summary and the results count the
// occurrences, not only the users they failed.
func TestLocustTaskErrorsAreCountedEachTime(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "careless", Wait: taskset.Constant(20 * time.Millisecond), Tasks: []taskset.Task{
		{Name: "a", Run: get("/a")},
		{Name: "no token", Run: func(c *taskset.Client) error { return fmt.Errorf("no token") }},
		{Name: "nil map", Run: func(c *taskset.Client) error {
			c.Get("/a")
			counts, _ := c.Vars["counts"].(map[string]int) // never set: nil
			counts["x"]++
			return nil
		}},
	}}
	o := runUsers(t, []string{"-t", l.url(), "--users", "3", "--duration", "1s"}, u)
	var noToken, panics int64
	for name, n := range o.res.Counters {
		switch {
		case name == "task_errors.no token: no token":
			noToken = n
		case strings.HasPrefix(name, "task_errors.nil map: panic: assignment to entry in nil map"):
			panics = n
		}
	}
	a, byName := l.count("GET /a"), map[string]int64{}
	for _, e := range o.res.Endpoints {
		byName[e.Name] = e.Requests
	}
	tasks := 3 * 50 // 3 users, a task every ~20 ms for 1 s
	if noToken+panics+byName["a"] < int64(tasks*8/10) || noToken < 20 || panics != byName["nil map"] || int64(a) != byName["a"]+byName["nil map"] {
		t.Fatalf("counted %d errors, %d panics; %v; served %d: want every task, each error once\n%s", noToken, panics, byName, a, o.out)
	}
	if !strings.Contains(o.out, fmt.Sprintf("no token: no token %d", noToken)) || o.code != 0 {
		t.Errorf("exit %d; the summary does not count the task errors:\n%s", o.code, o.out)
	}
	agree(t, o, map[string]int64{"a": byName["a"], "nil map": byName["nil map"]}, nil)
}

// A Locust habit, -t 5m for the run time, is refused before any load
// rather than taken as the host "5m" for a minute of failed lookups;
// -u 20 -r 5 (Locust's spawn rate) is refused too.
func TestLocustFlagHabitsAreRefused(t *testing.T) {
	l := newLab(t)
	u := taskset.User{Name: "u", Host: l.url(), Tasks: []taskset.Task{{Name: "a", Run: get("/a")}}}
	for _, args := range [][]string{{"-u", "2", "-t", "5m"}, {"-u", "20", "-r", "5"}} {
		o := runUsers(t, args, u)
		if o.code != 2 || o.elapsed > time.Second || !strings.Contains(o.out, "--duration") && !strings.Contains(o.out, "--spawn-rate") {
			t.Errorf("%v: exit %d after %v: %s", args, o.code, o.elapsed, o.out)
		}
	}
	if l.count("GET /a") != 0 {
		t.Errorf("%d requests sent by refused command lines", l.count("GET /a"))
	}
}
