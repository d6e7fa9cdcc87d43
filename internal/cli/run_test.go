package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
