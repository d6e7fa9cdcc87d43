package dashboard

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/results"
)

// recordingController is a minimal Controller that remembers what the
// dashboard asked of it.
type recordingController struct {
	mu      sync.Mutex
	st      State
	starts  []StartRequest
	loads   []LoadRequest
	stopped int
	resets  int
}

func (c *recordingController) Start(r StartRequest) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.starts = append(c.starts, r)
	c.st.Running = true
	return nil
}
func (c *recordingController) Stop() { c.mu.Lock(); c.stopped++; c.st.Running = false; c.mu.Unlock() }
func (c *recordingController) SetLoad(r LoadRequest) error {
	c.mu.Lock()
	c.loads = append(c.loads, r)
	c.mu.Unlock()
	return nil
}
func (c *recordingController) ResetStats()  { c.mu.Lock(); c.resets++; c.mu.Unlock() }
func (c *recordingController) State() State { c.mu.Lock(); defer c.mu.Unlock(); return c.st }

// snapshots records three seconds of traffic on two endpoints.
func snapshots() []metrics.Snapshot {
	t0 := time.Unix(1700000000, 0)
	rec := metrics.NewRecorder([]string{"GET /a", "POST /b"}, 2, t0)
	var out []metrics.Snapshot
	for sec := 1; sec <= 3; sec++ {
		for i := range 50 {
			s := metrics.Sample{Endpoint: i % 2, Latency: time.Duration(i+1) * time.Millisecond, Status: 200}
			if i == 7 {
				s.Status, s.Failed = 503, true
			}
			rec.Record(uint64(i), &s)
		}
		out = append(out, rec.Flush(t0.Add(time.Duration(sec)*time.Second), sec == 3))
	}
	return out
}

func newTestServer(t *testing.T, token string) (*Server, *recordingController, *httptest.Server) {
	t.Helper()
	ctl := &recordingController{}
	s := New(Config{Token: token, Title: "t", Target: "http://127.0.0.1:1"}, ctl)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, ctl, srv
}

func get(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestTokenIsRequiredEverywhereWhenSet(t *testing.T) {
	_, _, srv := newTestServer(t, "s3cret")
	for _, path := range []string{"/", "/api/state", "/api/events", "/api/results.json", "/assets/charts.js"} {
		if resp, _ := get(t, srv.URL+path, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s without token: %d", path, resp.StatusCode)
		}
		if resp, _ := get(t, srv.URL+path+"?token=wrong", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with a wrong token: %d", path, resp.StatusCode)
		}
	}
	// The page with ?token sets the cookie and sends the browser to the
	// same page without the token in its address (its history keeps no
	// token); the API answers at once.
	resp := noFollow(t, srv.URL+"/?token=s3cret&x=1", nil)
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 || !resp.Cookies()[0].HttpOnly ||
		resp.Header.Get("Location") != "/?x=1" {
		t.Fatalf("with ?token: %d cookies %v location %q", resp.StatusCode, resp.Cookies(), resp.Header.Get("Location"))
	}
	if resp, _ := get(t, srv.URL+"/api/state?token=s3cret", nil); resp.StatusCode != 200 {
		t.Fatalf("the API with ?token: %d", resp.StatusCode)
	}
	cookie := http.Header{"Cookie": {tokenCookie + "=s3cret"}}
	if resp, _ := get(t, srv.URL+"/api/state", cookie); resp.StatusCode != 200 {
		t.Fatalf("with the cookie: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/api/state", http.Header{"Authorization": {"Bearer s3cret"}}); resp.StatusCode != 200 {
		t.Fatalf("with the bearer header: %d", resp.StatusCode)
	}
}

// noFollow sends a GET and returns its answer as it is, redirect or not.
func noFollow(t *testing.T, url string, header http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func post(t *testing.T, url, body string, header http.Header) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestControlsReachTheControllerAndCrossOriginIsRefused(t *testing.T) {
	_, ctl, srv := newTestServer(t, "")
	if code := post(t, srv.URL+"/api/start", `{"users": 5, "spawn_rate": 2, "host": "http://127.0.0.1:1"}`, nil); code != 200 {
		t.Fatalf("start: %d", code)
	}
	if code := post(t, srv.URL+"/api/load", `{"rate": 300}`, nil); code != 200 {
		t.Fatalf("load: %d", code)
	}
	post(t, srv.URL+"/api/reset", ``, nil)
	post(t, srv.URL+"/api/stop", ``, nil)
	if len(ctl.starts) != 1 || ctl.starts[0].Users != 5 || len(ctl.loads) != 1 || *ctl.loads[0].Rate != 300 ||
		ctl.resets != 1 || ctl.stopped != 1 {
		t.Fatalf("controller saw %+v", ctl)
	}
	if code := post(t, srv.URL+"/api/stop", `{}`, http.Header{"Origin": {"http://evil.example"}}); code != http.StatusForbidden {
		t.Fatalf("cross-origin stop: %d", code)
	}
	if code := post(t, srv.URL+"/api/stop", `x`, http.Header{"Content-Type": {"text/plain"}}); code != http.StatusForbidden {
		t.Fatalf("form-encoded stop: %d", code)
	}
	if code := post(t, srv.URL+"/api/start", `{"userz": 1}`, nil); code != http.StatusBadRequest {
		t.Fatalf("unknown field: %d", code)
	}
	if resp, _ := get(t, srv.URL+"/api/state", nil); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatal("CORS header sent")
	}
}

func TestEventsStreamFrames(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	snaps := snapshots()
	s.BeginRun(results.Test{Name: "t"})
	s.Publish(snaps[0], map[string]float64{"up": 1})
	resp, err := http.Get(srv.URL + "/api/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	events := readEvents(t, resp.Body, 3) // history, frame, state (catch-up)
	go s.Publish(snaps[1], map[string]float64{"up": 1})
	events = append(events, readEvents(t, resp.Body, 1)...)
	if events[0].name != "history" || events[1].name != "frame" || events[2].name != "state" || events[3].name != "frame" {
		t.Fatalf("events %v", names(events))
	}
	var f Frame
	if err := json.Unmarshal([]byte(events[3].data), &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Endpoints) != 3 || f.Endpoints[0].Name != "GET /a" || f.Endpoints[2].Name != "Aggregated" ||
		f.Summary.Requests != 100 || f.Summary.Failures != 2 || len(f.Errors) != 0 || f.Point == nil || len(f.Point.T) != 1 {
		t.Fatalf("frame %+v", f)
	}
	if f.Point.Monitor["up"] == nil {
		t.Fatalf("monitor series missing from the point: %+v", f.Point.Monitor)
	}
}

type sse struct{ name, data string }

func readEvents(t *testing.T, r io.Reader, n int) []sse {
	t.Helper()
	br := bufio.NewReader(r)
	var out []sse
	var cur sse
	for len(out) < n {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d events: %v", len(out), err)
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = line[7:]
		case strings.HasPrefix(line, "data: "):
			cur.data = line[6:]
		case line == "" && cur.name != "":
			out = append(out, cur)
			cur = sse{}
		}
	}
	return out
}

func names(es []sse) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.name)
	}
	return out
}

func TestDownloads(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	if resp, _ := get(t, srv.URL+"/api/results.json", nil); resp.StatusCode != 404 {
		t.Fatalf("results before any test: %d", resp.StatusCode)
	}
	s.BeginRun(results.Test{Name: "t"})
	for _, snap := range snapshots() {
		s.Publish(snap, nil)
	}
	_, body := get(t, srv.URL+"/api/results.json", nil)
	var r results.Results
	if err := json.Unmarshal([]byte(body), &r); err != nil || r.Aggregate.Requests != 150 || len(r.Intervals) != 3 {
		t.Fatalf("results: %v %+v", err, r.Aggregate)
	}
	rows, col := csvTable(t, srv.URL+"/api/stats.csv")
	if len(rows) != 4 || rows[1][0] != "GET /a" || rows[3][0] != "Aggregated" || rows[3][1] != "150" {
		t.Fatalf("stats csv %v", rows)
	}
	// Here, unlike in the overload tests' few successes, p95 and p99
	// differ: a mix-up of the two columns shows.
	for i, l := range []*results.Latency{r.Endpoints[0].LatencyOK, r.Endpoints[1].LatencyOK, r.Aggregate.LatencyOK} {
		if l == nil || l.P95 == l.P99 {
			t.Fatalf("%s: latency_ok %+v, want p95 and p99 apart", rows[i+1][0], l)
		}
		checkOKCells(t, rows[i+1][0], cells(t, rows[i+1], col, "ok_median_ms", "ok_p95_ms", "ok_p99_ms"), percentilesOK(l))
	}
	rows, col = csvTable(t, srv.URL+"/api/history.csv")
	if len(rows) != 4 || rows[3][2] != "50" {
		t.Fatalf("history csv %v", rows)
	}
	for i, iv := range r.Intervals {
		checkOKCells(t, "second "+rows[i+1][0], cells(t, rows[i+1], col, "ok_p50_ms", "ok_p95_ms", "ok_p99_ms"), percentilesOK(iv.LatencyOK))
	}
	resp, body := get(t, srv.URL+"/api/report.html", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "GET /a") {
		t.Fatalf("report: %d", resp.StatusCode)
	}
}

// statsColumnsBefore and historyColumnsBefore are the CSVs' columns
// before the latency of the requests that did not fail was added: they
// keep their places, for scripts that read them by position.
var (
	statsColumnsBefore = []string{"name", "requests", "failures", "errors", "rps", "min_ms", "median_ms", "p90_ms",
		"p95_ms", "p99_ms", "p999_ms", "max_ms", "bytes_sent", "bytes_received"}
	historyColumnsBefore = []string{"t", "start", "requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms",
		"service_p99_ms", "active_vus", "in_flight", "dropped", "duration_s"}
)

// Against a server that fails fast and succeeds slowly, stats.csv gives
// each row's latency of the requests that did not fail (ok_median_ms,
// ok_p95_ms, ok_p99_ms, after the columns it had before): the samples'
// and the results file's, its median slow where that of every request
// is a fast failure's; GET /down, which never succeeded, has empty
// cells, not 0.
func TestStatsCSVGivesTheLatencyOfTheRequestsThatDidNotFail(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "overload"})
	o := publishOverload(t, s, nil)
	r := resultsFile(t, srv.URL)
	rows, col := csvTable(t, srv.URL+"/api/stats.csv")
	if len(rows) != 4 || len(rows[0]) < len(statsColumnsBefore) || !slices.Equal(rows[0][:len(statsColumnsBefore)], statsColumnsBefore) {
		t.Fatalf("stats csv %v: want its columns before, in place, and 3 rows", rows)
	}
	for i, c := range []struct {
		name string
		want *Percentiles
		file *results.Latency
	}{
		{"GET /a", want(o.okA), r.Endpoints[0].LatencyOK},
		{"GET /down", nil, r.Endpoints[1].LatencyOK},
		{"Aggregated", want(o.okTotal), r.Aggregate.LatencyOK},
	} {
		row := rows[i+1]
		if row[0] != c.name {
			t.Fatalf("row %d is %q, want %q", i+1, row[0], c.name)
		}
		ok := cells(t, row, col, "ok_median_ms", "ok_p95_ms", "ok_p99_ms")
		checkOKCells(t, c.name, ok, c.want)
		checkOKCells(t, c.name+", against the results file", ok, percentilesOK(c.file))
		if c.want != nil {
			checkSlower(t, c.name, ok, cells(t, row, col, "median_ms", "p95_ms", "p99_ms"))
		}
	}
}

// resultsFile downloads the results file of the dashboard at base.
func resultsFile(t *testing.T, base string) results.Results {
	t.Helper()
	var r results.Results
	if _, body := get(t, base+"/api/results.json", nil); json.Unmarshal([]byte(body), &r) != nil {
		t.Fatalf("results: %s", body)
	}
	return r
}

// csvTable downloads the CSV at url: its rows, the header first, and the
// index of each column by name.
func csvTable(t *testing.T, url string) ([][]string, map[string]int) {
	t.Helper()
	_, body := get(t, url, nil)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v (%v)", url, rows, err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	return rows, col
}

// cells are row's values in the columns named, in that order.
func cells(t *testing.T, row []string, col map[string]int, names ...string) []string {
	t.Helper()
	var out []string
	for _, name := range names {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no column %s", name)
		}
		out = append(out, row[i])
	}
	return out
}

// checkOKCells holds a row's p50 (median), p95 and p99 of the requests
// that did not fail to want, or to three empty cells when want is nil.
func checkOKCells(t *testing.T, what string, got []string, want *Percentiles) {
	t.Helper()
	if want == nil {
		if !slices.Equal(got, []string{"", "", ""}) {
			t.Errorf("%s, where nothing succeeded: %q, want empty cells (a 0 reads as fast)", what, got)
		}
		return
	}
	for i, w := range []float64{want.P50, want.P95, want.P99} {
		if v, err := strconv.ParseFloat(got[i], 64); err != nil || v != w {
			t.Errorf("%s: %q, want %+v", what, got, *want)
			return
		}
	}
}

// checkSlower holds ok, a row's percentiles of the requests that did not
// fail, to all, those of every request: the failures were fast and the
// successes slow, so each is at least as high, and the median higher, a
// success's.
func checkSlower(t *testing.T, what string, ok, all []string) {
	t.Helper()
	o, a := floats(t, ok), floats(t, all)
	if o[0] <= a[0] || o[0] < float64(overloadSlow/time.Millisecond) || o[1] < a[1] || o[2] < a[2] {
		t.Errorf("%s: p50, p95, p99 %v ms of those that did not fail, %v of every request: want the first %v or more, "+
			"each at least the second, the medians apart", what, o, a, overloadSlow)
	}
}

func floats(t *testing.T, cells []string) []float64 {
	t.Helper()
	out := make([]float64, len(cells))
	for i, c := range cells {
		v, err := strconv.ParseFloat(c, 64)
		if err != nil {
			t.Fatalf("cells %q: %v", cells, err)
		}
		out[i] = v
	}
	return out
}

// postJSON posts body and returns the status and the error message.
func postJSON(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error string `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Error
}

func TestOutOfRangeNumbersAreRefusedBeforeTheController(t *testing.T) {
	_, ctl, srv := newTestServer(t, "")
	for _, c := range []struct{ path, body, want string }{
		{"/api/start", `{"rate": 1e308}`, "rate"},
		{"/api/start", `{"rate": 1e400}`, "bad request body"},
		{"/api/start", `{"rate": -1}`, "rate"},
		{"/api/start", `{"rate": 1e-300}`, "rate"},
		{"/api/start", `{"rate": 1000001}`, "rate"},
		{"/api/start", `{"rate": "NaN"}`, "bad request body"},
		{"/api/start", `{"users": -5}`, "users"},
		{"/api/start", `{"users": 10000000}`, "users"},
		{"/api/start", `{"users": 1.5}`, "bad request body"},
		{"/api/start", `{"users": 5, "spawn_rate": 1e308}`, "spawn_rate"},
		{"/api/start", `{"users": 5, "rate": 5}`, "not both"},
		{"/api/start", `{"rate": 5, "duration": "100000h"}`, "duration"},
		{"/api/start", `{"rate": 5, "duration": "0s"}`, "duration"},
		{"/api/start", `{"rate": 5, "duration": "soon"}`, "duration"},
		{"/api/start", `{"rate": 5, "duration": "NaN"}`, "duration"},
		{"/api/start", `{"rate": 5, "host": "ftp://127.0.0.1:1"}`, "host"},
		{"/api/load", `{"rate": 1e308}`, "rate"},
		{"/api/load", `{"rate": -0.5}`, "rate"},
		{"/api/load", `{"users": -1}`, "users"},
		{"/api/load", `{"users": 2000000}`, "users"},
		{"/api/load", `{"spawn_rate": -3}`, "spawn_rate"},
	} {
		code, msg := postJSON(t, srv.URL+c.path, c.body)
		if code != http.StatusBadRequest || !strings.Contains(msg, c.want) {
			t.Errorf("%s %s: %d %q, want 400 naming %q", c.path, c.body, code, msg, c.want)
		}
	}
	if len(ctl.starts) != 0 || len(ctl.loads) != 0 {
		t.Fatalf("out-of-range requests reached the controller: %+v %+v", ctl.starts, ctl.loads)
	}
	for _, c := range []struct{ path, body string }{
		{"/api/start", `{"rate": 1000000, "duration": "24h"}`},
		{"/api/start", `{"users": 1000000, "spawn_rate": 0.01, "duration": "1s"}`},
		{"/api/load", `{"rate": 0}`},
		{"/api/load", `{"users": 0, "spawn_rate": 0}`},
	} {
		if code, msg := postJSON(t, srv.URL+c.path, c.body); code != http.StatusOK {
			t.Errorf("%s %s: %d %q, want 200", c.path, c.body, code, msg)
		}
	}
}

func TestThePageMaySendLoadOnlyToTheTargetUnlessAllowed(t *testing.T) {
	serve := func(cfg Config) (*recordingController, string) {
		ctl := &recordingController{}
		srv := httptest.NewServer(New(cfg, ctl).Handler())
		t.Cleanup(srv.Close)
		return ctl, srv.URL
	}
	ctl, url := serve(Config{Target: "http://127.0.0.1:8080/api"})
	for _, host := range []string{"http://evil.example", "http://127.0.0.1:8081", "https://127.0.0.1:8080", "http://10.0.0.1:8080/api"} {
		code, msg := postJSON(t, url+"/api/start", `{"rate": 5, "host": "`+host+`"}`)
		if code != http.StatusForbidden || !strings.Contains(msg, "--allow-any-target") {
			t.Errorf("host %s: %d %q, want 403 naming --allow-any-target", host, code, msg)
		}
	}
	if len(ctl.starts) != 0 {
		t.Fatalf("a foreign host reached the controller: %+v", ctl.starts)
	}
	for _, host := range []string{"", "http://127.0.0.1:8080", "http://127.0.0.1:8080/other/path?q=1", "HTTP://127.0.0.1:8080/"} {
		if code, msg := postJSON(t, url+"/api/start", `{"rate": 5, "host": "`+host+`"}`); code != http.StatusOK {
			t.Errorf("host %q: %d %q, want 200", host, code, msg)
		}
	}
	_, url = serve(Config{Target: "https://api.example"})
	if code, msg := postJSON(t, url+"/api/start", `{"rate": 5, "host": "https://API.example:443/v2"}`); code != http.StatusOK {
		t.Errorf("default port written out: %d %q", code, msg)
	}
	_, url = serve(Config{})
	if code, msg := postJSON(t, url+"/api/start", `{"rate": 5, "host": "http://127.0.0.1:9"}`); code != http.StatusForbidden ||
		!strings.Contains(msg, "without a target") {
		t.Errorf("no target, not allowed: %d %q", code, msg)
	}
	ctl, url = serve(Config{AllowAnyTarget: true})
	if code, msg := postJSON(t, url+"/api/start", `{"rate": 5, "host": "http://10.1.2.3:9"}`); code != http.StatusOK || len(ctl.starts) != 1 {
		t.Errorf("any target allowed: %d %q", code, msg)
	}
}

func TestCheckToken(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8089", "", true}, {"127.0.0.1:8089", "x", true}, {"[::1]:1", "", true},
		{"0.0.0.0:8089", "", false}, {"0.0.0.0:8089", "x", false}, {"0.0.0.0:8089", "0123456789abcde", false},
		{"0.0.0.0:8089", "0123456789abcdef", true}, {"192.168.1.4:80", NewToken(), true},
	} {
		err := CheckToken(c.addr, c.token)
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), "token")) {
			t.Errorf("CheckToken(%q, %q) = %v", c.addr, c.token, err)
		}
	}
}

// The load's changes from the page are in the downloaded results, timed
// from the start of the test, and in the downloaded report.
func TestDownloadsHoldTheLoadChanges(t *testing.T) {
	s, _, srv := newTestServer(t, "")
	s.BeginRun(results.Test{Name: "t"})
	snaps := snapshots()
	s.Publish(snaps[0], nil)
	s.AddLoadChange(results.LoadChange{At: snaps[0].Start.Add(1500 * time.Millisecond), By: "dashboard", Model: "open", Rate: 40})
	for _, snap := range snaps[1:] {
		s.Publish(snap, nil)
	}
	_, body := get(t, srv.URL+"/api/results.json", nil)
	var r results.Results
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.LoadChanges) != 1 || r.LoadChanges[0].T != 1.5 || r.LoadChanges[0].Rate != 40 {
		t.Fatalf("load changes %+v", r.LoadChanges)
	}
	if _, page := get(t, srv.URL+"/api/report.html", nil); !strings.Contains(page, "Load changes: 1") {
		t.Fatal("the report lacks the load change")
	}
	s.BeginRun(results.Test{Name: "next"})
	s.Publish(snaps[0], nil)
	if _, body := get(t, srv.URL+"/api/results.json", nil); strings.Contains(body, "load_changes") {
		t.Fatal("a new test kept the last one's load changes")
	}
}
