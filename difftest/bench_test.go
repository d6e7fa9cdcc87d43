package difftest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/surge-dev/surge/internal/cli"
	"github.com/surge-dev/surge/results"
)

// benchScript logs in (a JSON body with templates), captures a token and
// sends it back in a templated URL and header: the per-request work of a
// typical script.
const benchScript = `config:
  phases:
    - duration: 2
      arrivalRate: 5000
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

// BenchmarkScriptVsQuick runs, at 5,000 arrivals/s for 2 s against a
// loopback server, a plain surge quick and the script above, and reports
// their completed requests per second and the script's completed arrivals
// per second as a share of quick's requests per second (each script
// arrival sends two requests). The script runs twice: with a shared pool
// (http.pool, as quick uses), which isolates the cost of templates and
// captures, and with Artillery's default of one new connection per VU,
// which adds a TCP handshake per arrival.
//
//	go test ./difftest -run XXX -bench ScriptVsQuick -benchtime 1x
func BenchmarkScriptVsQuick(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"token":"tok-1","ok":true}`))
	}))
	defer srv.Close()
	dir := b.TempDir()
	script := filepath.Join(dir, "bench.yml")
	if err := os.WriteFile(script, []byte(benchScript), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		quick := surgeRun(b, dir, "quick", srv.URL+"/items", "--rate", "5000", "--duration", "2s")
		pooled := surgeRun(b, dir, "run", "-t", srv.URL, "--overrides", `{"config":{"http":{"pool":64}}}`, script)
		perVU := surgeRun(b, dir, "run", "-t", srv.URL, script)
		b.ReportMetric(rps(quick), "quick-req/s")
		b.ReportMetric(quick.Aggregate.Latency.P99, "quick-p99-ms")
		b.ReportMetric(rps(pooled), "script-req/s")
		b.ReportMetric(pooled.Aggregate.Latency.P99, "script-p99-ms")
		b.ReportMetric(vuRate(pooled)/rps(quick), "script/quick")
		b.ReportMetric(vuRate(perVU)/rps(quick), "script-conn-per-vu/quick")
	}
}

// vuRate is how many arrivals per second a run completed: the script's
// unit of work, comparable to one quick request.
func vuRate(r *results.Results) float64 {
	return float64(r.Aggregate.VUsers.Completed) / r.Test.DurationS
}

// rps is the completed requests per second of a run.
func rps(r *results.Results) float64 {
	return float64(r.Aggregate.Requests-r.Aggregate.Errors) / r.Test.DurationS
}

// surgeRun runs the command in-process and reads its results.
func surgeRun(b *testing.B, dir string, args ...string) *results.Results {
	out := filepath.Join(dir, fmt.Sprintf("r-%d.json", len(args)))
	var stdout, stderr bytes.Buffer
	args = append(args, "-q", "--output", out)
	if code := cli.MainContext(context.Background(), args, cli.IO{Stdout: &stdout, Stderr: &stderr}); code != 0 {
		b.Fatalf("surge %v: exit %d: %s", args, code, stderr.String())
	}
	r, err := results.ReadFile(out)
	if err != nil {
		b.Fatal(err)
	}
	if r.Aggregate.Errors > 0 {
		b.Logf("surge %s: %d errors %v", args[0], r.Aggregate.Errors, r.Aggregate.ErrorKind)
	}
	return r
}
