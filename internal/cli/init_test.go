package cli

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/surge-dev/surge/internal/starter"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/scenario"
	"github.com/surge-dev/surge/testbed"
)

// surge init && surge run load.yml -t URL, in an empty directory, against
// the built-in target: every request answered as the script expects, and
// the script's own target is where surge target listens by default. The
// phases are shortened (the starter's run 30 s); nothing else changes.
func TestInitThenRunAgainstTheTarget(t *testing.T) {
	t.Chdir(t.TempDir())
	res := surge(t, context.Background(), "init")
	if res.code != ExitOK || !strings.Contains(res.stdout, "surge run load.yml") {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	s, err := scenario.Load("load.yml")
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://" + defaultTargetAddr; s.Config.Target != want {
		t.Fatalf("the starter's target is %q, surge target listens on %q", s.Config.Target, want)
	}
	h, err := testbed.New(testbed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res = surge(t, context.Background(), "run", "load.yml", "-t", srv.URL, "-o", "r.json", "--quiet",
		"--overrides", `{"config":{"phases":[{"duration":2,"arrivalRate":10}]}}`)
	if res.code != ExitOK {
		t.Fatalf("run: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	r, err := results.ReadFile("r.json")
	if err != nil {
		t.Fatal(err)
	}
	c := r.Counters
	if c["http.codes.200"] == 0 || c["http.codes.201"] == 0 || r.Aggregate.Failures != 0 ||
		c["plugins.expect.failed"] != 0 || c["vusers.failed"] != 0 {
		t.Fatalf("counters %v, %d failures", c, r.Aggregate.Failures)
	}
}

// init leaves an existing file alone unless --force, and --go writes the
// Go starter (compiled and tested in internal/starter/gouser).
func TestInitWritesOnlyWhatItMay(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "load.yml")
	if err := os.WriteFile(path, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := surge(t, context.Background(), "init", path)
	if got, _ := os.ReadFile(path); res.code != ExitUsage || string(got) != "mine" || !strings.Contains(res.stderr, "--force") {
		t.Fatalf("exit %d, stderr %q, file %q: want 2 and the file untouched", res.code, res.stderr, got)
	}
	res = surge(t, context.Background(), "init", path, "--force")
	if got, _ := os.ReadFile(path); res.code != ExitOK || !bytes.Equal(got, starter.Script) {
		t.Fatalf("--force: exit %d, stderr %q", res.code, res.stderr)
	}
	goFile := filepath.Join(dir, "main.go")
	res = surge(t, context.Background(), "init", "--go", goFile)
	if got, _ := os.ReadFile(goFile); res.code != ExitOK || !bytes.Equal(got, starter.GoUser) || !strings.Contains(res.stdout, "go run .") {
		t.Fatalf("--go: exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("files left behind: %v", entries)
	}
	t.Chdir(dir)
	res = surge(t, context.Background(), "init", "-")
	if _, err := os.Stat(filepath.Join(dir, "-")); res.code != ExitUsage || err == nil || !strings.Contains(res.stderr, `would create a file named "-"`) {
		t.Fatalf(`init -: exit %d, stderr %q, a file named "-": %v; want 2 and none`, res.code, res.stderr, err == nil)
	}
}

func TestVersionCommand(t *testing.T) {
	res := surge(t, context.Background(), "version")
	if res.code != ExitOK || !strings.HasPrefix(res.stdout, "surge "+Version+"\n") || !strings.Contains(res.stdout, "\nbuilt with go1.") {
		t.Fatalf("exit %d, stdout %q", res.code, res.stdout)
	}
	if top := surge(t, context.Background(), "--version"); top.stdout != res.stdout {
		t.Fatalf("--version printed %q, surge version %q", top.stdout, res.stdout)
	}
}
