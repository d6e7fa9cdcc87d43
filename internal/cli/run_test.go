package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/results"
)

func runScriptFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.yml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunExitCodesAndChecks(t *testing.T) {
	srv, _ := countingServer(t)
	tests := []struct {
		name, script string
		args         []string
		code         int
		stdout       []string
		stderr       string
	}{
		{"ensure passes", "config:\n  phases: [{duration: 1, arrivalCount: 2}]\n  plugins: {ensure: {}}\n  ensure: {p99: 10000, maxErrorRate: 0}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
			nil, ExitOK, []string{"Checks:", "ok: p99 < 10000", "ok: maxErrorRate < 0"}, ""},
		{"ensure fails over expect", "config:\n  phases: [{duration: 1, arrivalCount: 1}]\n  plugins: {ensure: {thresholds: [{http.requests: 1}]}, expect: {}}\nscenarios: [{flow: [{get: {url: /, expect: [{statusCode: 201}]}}]}]\n",
			nil, ExitThresholds, []string{"fail: http.requests < 1"}, "not ok statusCode"},
		{"expect fails", "config:\n  phases: [{duration: 1, arrivalCount: 1}]\n  plugins: {expect: {}}\nscenarios: [{flow: [{get: {url: /, expect: {statusCode: 201}}}]}]\n",
			nil, ExitExpect, nil, ""},
		{"ensure without the plugin is not run", "config:\n  phases: [{duration: 1, arrivalCount: 1}]\n  ensure: {p99: 0}\nscenarios: [{flow: [{get: {url: /}}]}]\n",
			nil, ExitOK, nil, ""},
		{"bad -v", "scenarios: [{flow: [{get: {url: /}}]}]\n", []string{"-v", "{nope"}, ExitUsage, nil, "-v: invalid JSON"},
		{"javascript", "config: {processor: ./x.js}\nscenarios: [{flow: [{function: doIt}]}]\n", nil, ExitUsage, nil, "JavaScript cannot run in Surge"},
		{"warning only", "config:\n  phases: [{duration: 1, arrivalCount: 1, timeout: 5}]\nscenarios: [{flow: [{get: {url: /}}]}]\n",
			nil, ExitOK, nil, "config.phases[0].timeout is ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "-q", "-t", srv.URL}, tt.args...)
			res := surge(t, context.Background(), append(args, runScriptFile(t, tt.script))...)
			if res.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout %s\nstderr %s", res.code, tt.code, res.stdout, res.stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
				}
			}
			if !strings.Contains(res.stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, res.stderr)
			}
		})
	}
}

// --overrides is applied after -t, as Artillery applies them (and
// docs/scripting.md says): its config.target wins, for the requests and
// for the results' target.
func TestOverridesTargetBeatsTheTargetFlag(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	dir := t.TempDir()
	script := filepath.Join(dir, "load.yml")
	os.WriteFile(script, []byte("config:\n  target: http://127.0.0.1:1\n  phases: [{duration: 1, arrivalCount: 3}]\nscenarios: [{flow: [{get: {url: /}}]}]\n"), 0o644)
	out := filepath.Join(dir, "r.json")
	res := surge(t, context.Background(), "run", script, "-q", "-o", out, "-t", "http://127.0.0.1:2",
		"--overrides", `{"config":{"target":"`+srv.URL+`"}}`)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 3 || r.Aggregate.Errors != 0 || r.Test.Target != srv.URL {
		t.Errorf("server saw %d, errors %d, results target %q; want 3 requests to the --overrides target %s", hits.Load(), r.Aggregate.Errors, r.Test.Target, srv.URL)
	}
}
