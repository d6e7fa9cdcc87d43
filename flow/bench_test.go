package flow

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/schedule"
)

// The benchmarks here measure the generator's CPU per request of a
// scripted flow against the one-liner's (engine.Prepare, as surge quick
// sends), in the same run: absolute times on a shared machine are noise,
// the ratio and the allocations are not. The server runs in a child
// process, so that the process's CPU time (cpu-µs/req) and a CPU profile
// are the generator's alone:
//
//	go test ./flow -run XXX -bench 'Flow' -benchtime 20000x -cpuprofile cpu.out

// benchFlow is the flow of issue 16: a login whose JSON answer gives a
// token, captured and sent back in a templated URL and header.
const benchFlow = `config:
  target: "http://unused"
  phases:
    - duration: 1
      arrivalRate: 1
  variables:
    user: [ann, bob, cid]
scenarios:
  - flow:
      - post:
          url: "/login"
          json:
            user: "{{ user }}"
            nonce: "{{ $randomString(8) }}"
          capture:
            - json: "$.token"
              as: token
      - get:
          url: "/items/{{ token }}?u={{ user }}"
          headers:
            authorization: "Bearer {{ token }}"
`

// benchServerEnv makes the test binary a server (see TestMain).
const benchServerEnv = "SURGE_FLOW_BENCH_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(benchServerEnv) != "" {
		serveBench()
		return
	}
	os.Exit(m.Run())
}

// serveBench answers every request with a small JSON body holding a token,
// on 127.0.0.1, printing its address; it exits when stdin closes.
func serveBench() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	body := []byte(`{"token":"tok-1","ok":true}`)
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
}

// benchServer starts serveBench in a child process and returns its URL.
func benchServer(b *testing.B) string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchServerEnv+"=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	buf := make([]byte, 64)
	n, err := stdout.Read(buf)
	if err != nil {
		b.Fatal(err)
	}
	return "http://" + strings.TrimSpace(string(buf[:n]))
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

// runBench runs t until it has sent b.N requests and reports the
// generator's CPU per request; every request must succeed.
func runBench(b *testing.B, t *engine.Test) {
	t.MaxRequests = int64(b.N)
	t.Grace = time.Second
	b.ReportAllocs()
	b.ResetTimer()
	user0, sys0 := cpuTime()
	res, err := engine.Run(context.Background(), *t)
	user1, sys1 := cpuTime()
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	agg, vus := res.Final.Total, res.Final.VUs
	if agg.Requests != int64(b.N) || agg.Failures > 0 || vus.Failed > 0 {
		b.Fatalf("%d requests of %d, %d failures, %d VUs failed %v", agg.Requests, b.N, agg.Failures, vus.Failed, res.Final.Failures)
	}
	// User time is Surge's own work; system time is mostly the socket
	// calls, which a loaded machine inflates.
	perReq := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
	b.ReportMetric(perReq(user1-user0+sys1-sys0), "cpu-µs/req")
	b.ReportMetric(perReq(user1-user0), "user-µs/req")
	b.ReportMetric(perReq(sys1-sys0), "sys-µs/req")
}

// pooled64 is the load: 64 looping users on 64 shared connections.
func pooled64(t *engine.Test) {
	t.Phases = []schedule.Phase{{Kind: schedule.Users, Users: 64, Duration: time.Hour}}
	t.Conns, t.Connections = engine.Shared, 64
}

// BenchmarkFlowQuick is surge quick's request: one prepared GET.
func BenchmarkFlowQuick(b *testing.B) {
	target := benchServer(b)
	u, _ := url.Parse(target + "/items")
	t := &engine.Test{}
	ep := t.Endpoint("GET /items")
	p := engine.Prepare(http.MethodGet, u, http.Header{}, nil)
	t.Scenarios = []engine.Scenario{{Name: "quick", Run: func(_ context.Context, vu *engine.VU) error {
		return vu.Send(ep, p)
	}}}
	pooled64(t)
	runBench(b, t)
}

// BenchmarkFlowScript is the flow on the same load.
func BenchmarkFlowScript(b *testing.B) {
	t := compileBench(b, benchServer(b))
	pooled64(t)
	runBench(b, t)
}

// BenchmarkFlowArrivals is Artillery's default model: every arrival a new
// VU with a connection of its own, running the flow.
func BenchmarkFlowArrivals(b *testing.B) {
	t := compileBench(b, benchServer(b))
	t.Phases = []schedule.Phase{{Kind: schedule.Constant, ArrivalRate: 200, Duration: time.Hour}}
	t.Conns = engine.PerVU
	runBench(b, t)
}

func compileBench(b *testing.B, target string) *engine.Test {
	s, err := scenario.Parse("bench.yml", []byte(benchFlow))
	if err != nil {
		b.Fatal(err)
	}
	p, err := Build(s, Options{Target: target})
	if err != nil {
		b.Fatal(err)
	}
	return p.Test
}
