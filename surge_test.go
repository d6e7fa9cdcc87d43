package surge

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/taskset"
)

// counted is a loopback server counting the requests it answers.
func counted(t *testing.T) (string, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// visitor sets up with one request and runs one task of one request.
func visitor(host string) taskset.User {
	return taskset.User{Name: "visitor", Host: host,
		OnStart: func(c *taskset.Client) error { return c.Get("/start").Err() },
		Tasks:   []taskset.Task{{Name: "visit", Run: func(c *taskset.Client) error { return c.Get("/").Err() }}}}
}

func run(args []string, users ...taskset.User) (int, string) {
	var stdout, stderr bytes.Buffer
	code := Run(args, &stdout, &stderr, users...)
	return code, stdout.String() + stderr.String()
}

// Mistakes are usage errors (exit 2) that name what to write, before any
// request is sent.
func TestMistakesAreRefusedBeforeAnyLoad(t *testing.T) {
	url, served := counted(t)
	withScenarios := filepath.Join(t.TempDir(), "scenarios.yml")
	os.WriteFile(withScenarios, []byte("scenarios:\n  - flow:\n      - get: {url: /}\n"), 0o644)
	tests := []struct {
		args  []string
		host  string
		error string
	}{
		{[]string{"-t", url}, "", "no load: give --users N"},
		{[]string{"-t", url, "--users", "2", "--rate", "3"}, "", "exclude each other"},
		{[]string{"-t", url, "--rate", "3", "--spawn-rate", "1"}, "", "--spawn-rate needs --users"},
		{[]string{"-t", url, "--users", "0"}, "", "--users 0"},
		{[]string{"-t", url, "--duration", "1s"}, "", "--duration needs --users or --rate"},
		{[]string{"--users", "2"}, "", "give the base URL with --target"},
		{[]string{"-t", "ftp://x", "--users", "2"}, "", "not an http(s) URL"},
		{[]string{"--users", "2", "--threshold", "p(99)<<1"}, url, "--threshold"},
		{[]string{"--config", withScenarios}, url, "scenarios are not run here"},
		{[]string{"--users", "2", "extra"}, url, "unknown command"},
	}
	for _, tt := range tests {
		code, out := run(tt.args, visitor(tt.host))
		if code != 2 || !strings.Contains(out, tt.error) {
			t.Errorf("%v: exit %d, output %q; want 2 and %q", tt.args, code, out, tt.error)
		}
	}
	if served.Load() != 0 {
		t.Fatalf("%d requests sent by refused command lines", served.Load())
	}
}

// --config brings the phases, the target and the ensure checks, which
// set the exit code as in surge run.
func TestConfigBringsPhasesTargetAndEnsure(t *testing.T) {
	url, served := counted(t)
	for requests, want := range map[int]int{8: 0, 9: 1} {
		config := filepath.Join(t.TempDir(), "config.yml")
		os.WriteFile(config, []byte(fmt.Sprintf(`config:
  target: %s
  phases:
    - {duration: 1, arrivalCount: 4}
  plugins: {ensure: {}}
  ensure:
    conditions:
      - expression: "http.requests == %d"
`, url, requests)), 0o644)
		served.Store(0)
		code, out := run([]string{"--config", config, "-q"}, visitor(""))
		if code != want || served.Load() != 8 {
			t.Errorf("ensure http.requests == %d: exit %d after %d requests, want %d after 8 (4 users, each a setup and a task)\n%s",
				requests, code, served.Load(), want, out)
		}
	}
}
