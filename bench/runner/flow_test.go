package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An Artillery 2.0.34 report, trimmed to the aggregate the runner reads.
const artillerySample = `{"aggregate":{"counters":{"http.requests":400,"http.codes.200":396,"http.codes.404":4,
"vusers.created":200,"vusers.completed":199,"vusers.failed":1},"firstCounterAt":1796519939000,"lastCounterAt":1796519943000,
"summaries":{"http.response_time":{"min":1,"max":40,"p50":2.1,"p90":5,"p99":12.5,"p999":30}}}}`

func TestArtilleryReport(t *testing.T) {
	r, err := artilleryReport([]byte(artillerySample))
	if err != nil {
		t.Fatal(err)
	}
	want := Run{"requests": 400, "flows": 199, "errors": 5, "rps": 100, "p50": 2.1, "p99": 12.5, "max": 40}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %v, want %v", k, r[k], v)
		}
	}
	if _, err := artilleryReport([]byte("not json")); err == nil {
		t.Error("a broken report: want an error")
	}
}

func TestReadHyperfine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.json")
	doc := `{"results":[{"command":"surge","mean":0.020,"stddev":0.002,"median":0.019,"min":0.015,"max":0.03,"times":[0.02,0.02]},
{"command":"hey","mean":0.018,"stddev":0.001,"median":0.018,"min":0.016,"max":0.02,"times":[0.018,0.018]}]}`
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := readHyperfine(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Tool != "surge" || rows[0].Mean != 20 || rows[0].SD != 2 || rows[1].Runs != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	rows[0].FirstMd, rows[0].FirstMin, rows[0].FirstMax = 30, 28, 33
	rows[1].FirstMd, rows[1].FirstMin, rows[1].FirstMax = 15, 14, 17
	s := &Startup{Rows: rows}
	var w strings.Builder
	s.section(&w, &Config{TRuns: 2, TWarmup: 1, GenCPU: "0", SrvCPU: "1"})
	if !strings.Contains(w.String(), "| hey | 18.0 ± 1.0 | 18.0 | 16.0–20.0 | 2 | 15.0 | 14.0–17.0 | 1.11× | 2.00× |") {
		t.Errorf("section:\n%s", w.String())
	}
}

// The marginal cost of an arrival leaves out what the short run spent
// beyond its arrivals (the tool's start-up).
func TestPutArrivalCost(t *testing.T) {
	short := Run{"flows": 100, "cpu_s": 1.1, "sys_s": 0.05}
	long := Run{"flows": 1100, "cpu_s": 2.1, "sys_s": 0.45, "requests": 2200, "wall_s": 11}
	putArrivalCost(long, short)
	check := func(key string, want float64) {
		t.Helper()
		if got := long[key]; got < want*0.999 || got > want*1.001 {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	check("arr_cpu_marg", 1000) // 1000 more arrivals for 1 more CPU-second
	check("us_arr_marg", 1000)  // µs
	check("sys_pct_marg", 40)   // 0.4 of the extra 1 s in the kernel
	check("startup_cpu_s", 1.0) // 1.1 s less 100 arrivals at 1 ms
	check("arr_cpu", 1100/2.1)  // the whole run, start-up included
	check("us_req", 2.1e6/2200) // per request
	if _, ok := long["x"]; ok {
		t.Fatal("unexpected key")
	}
	// A long run that did no more than the short one has no margin.
	flat := Run{"flows": 100, "cpu_s": 2}
	putArrivalCost(flat, short)
	if _, ok := flat["arr_cpu_marg"]; ok {
		t.Error("no extra arrivals: want no marginal figure")
	}
}

func TestGoals16(t *testing.T) {
	row := func(tool string, m Run) *Row { return &Row{Tool: tool, Runs: []Run{m}} }
	b := &Bench{c: &Config{BDuration: 10 * time.Second, BConns: 64}}
	b.S = []*Row{row("surge", Run{"rps_cpu": 60000, "us_req": 16}), row("surge-quick", Run{"us_req": 10}),
		row("k6", Run{"rps_cpu": 15000})}
	b.N = []*Row{row("surge", Run{"arr_cpu_marg": 9000, "sys_pct_marg": 55}), row("artillery", Run{"arr_cpu_marg": 200, "sys_pct_marg": 10})}
	b.T = &Startup{Rows: []StartupRow{{Tool: "surge", Mean: 20, FirstMd: 12}, {Tool: "hey", Mean: 18, FirstMd: 10}}}
	b.B = map[float64][]*Row{50000: {row("surge", Run{"rate_err": 0.5, "late_s": 0.2, "lag_p99": 1.5}),
		row("surge-default", Run{"rate_err": -3, "late_s": 26, "lag_p99": 900})}}
	var w strings.Builder
	b.goals16(&w)
	out := w.String()
	for _, want := range []string{
		"vs k6 | ≥ 5× | 4.00× (60,000 vs 15,000 req per CPU-s) | **not met** |",
		"vs `surge quick` | ≤ 1.5× | 1.60× (16.0 vs 10.0 µs) | **not met** |",
		"| ≥ 30×, kernel share stated | 45.0× (9,000 vs 200 arrivals per CPU-s); kernel 55 % of Surge's CPU, 10 % of Artillery's | **met** |",
		"vs hey (median, exec to request line) | ≤ 1.00× | 1.20× (12.0 vs 10.0 ms); exec to exit 1.11× (20.0 ± 0.0 vs 18.0 ± 0.0 ms) | **not met** |",
		"b: 50,000 req/s, default flags: achieved rate | within 1 % | -3.00 % | **not met** |",
		"b: 50,000 req/s, --connections 64: achieved rate | within 1 % | +0.50 % | **met** |",
		"b: 50,000 req/s, --connections 64: on time (a 10s test) | ends within 0.5 s of its length | 0.00 s wall (+0.20 s) | **met** |",
		"b: 50,000 req/s, --connections 64: scheduling lag p99 | < 2 ms | 1.50 ms (server side) | **met** |",
		"d: RSS per idle VU | ≤ 8 KB | scenario d did not run for Surge | not measured |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("goal table lacks %q:\n%s", want, out)
		}
	}
}

// Every tool's script carries the capture, the templated URL and the
// templated header of the flow.
func TestFlowScripts(t *testing.T) {
	l := FlowLoad{Base: "http://127.0.0.1:9", Users: 64, Duration: 10 * time.Second, Loops: 7}
	loop := artilleryScript(l)
	for _, want := range []string{"arrivalCount: 64", "count: 7", `json: "$.id"`, `url: "/api/items/{{ id }}.json"`, `X-Item: "item-{{ id }}"`} {
		if !strings.Contains(loop, want) {
			t.Errorf("Artillery's closed loop lacks %q:\n%s", want, loop)
		}
	}
	open := artilleryScript(FlowLoad{Base: l.Base, Rate: 200, Duration: 20 * time.Second})
	if !strings.Contains(open, "arrivalRate: 200") || !strings.Contains(open, "duration: 20") || strings.Contains(open, "loop") {
		t.Errorf("open model:\n%s", open)
	}
	k6 := k6FlowScript(FlowLoad{Base: l.Base, Rate: 200, Duration: 20 * time.Second}, "/tmp/s.json")
	if !strings.Contains(k6, "noVUConnectionReuse: true") || !strings.Contains(k6, "first.json('id')") {
		t.Errorf("k6:\n%s", k6)
	}
	if py := locustFlowFile(locustFast); !strings.Contains(py, `first.json()["id"]`) || !strings.Contains(py, `"X-Item"`) {
		t.Errorf("locust:\n%s", py)
	}
	if got := artilleryLoops(10*time.Second, 64, 2000); got != 156 {
		t.Errorf("artilleryLoops = %d, want 156", got)
	}
}

// The runner's own listener times a real one-request client from its
// start to its request line, and answers it so that the client exits.
func TestFirstRequestsTimesARealClient(t *testing.T) {
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	f, err := listenFirstLine()
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	// HTTP/1.0 without keep-alive waits for the server to close.
	ms, err := f.firstRequests("0", curl+" -s -0 -o /dev/null --max-time 5 URL", 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("%d timings, want 3", len(ms))
	}
	for _, m := range ms {
		if m <= 0 || m > 5000 {
			t.Fatalf("timings %v ms: each must be after the start and within the run", ms)
		}
	}
	if _, err := f.firstRequests("0", "false URL", 0, 1); err == nil {
		t.Fatal("a command that fails without a request gave no error")
	}
}
