package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDashIsNoFileInAnyCommand: every file output of every command but
// --stream refuses "-" with a usage error, before reading or running
// anything, rather than creating a file named "-" in the working
// directory; the commands get real inputs, so that without the check
// each would go on and write it.
func TestDashIsNoFileInAnyCommand(t *testing.T) {
	srv, served := countingServer(t)
	dir := t.TempDir()
	run := filepath.Join(dir, "run.json")
	if res := surge(t, context.Background(), "quick", srv.URL+"/", "--rate", "5", "--duration", "1s", "-q", "-o", run); res.code != ExitOK {
		t.Fatalf("the run to read: exit %d: %s", res.code, res.stderr)
	}
	base, head := writeRun(t, dir, "base.json", 30, 20, 1), writeRun(t, dir, "head.json", 30, 20, 2)
	script := runScriptFile(t, "config:\n  target: "+srv.URL+"\n  phases: [{duration: 1, arrivalCount: 2}]\nscenarios: [{flow: [{get: {url: /}}]}]\n")
	quick := []string{"quick", srv.URL + "/", "--rate", "5", "--duration", "1s", "-q"}
	capacity := []string{"capacity", srv.URL + "/", "--slo", "p99<300ms", "--probe", "2s", "--max", "10"}
	cases := []struct {
		flag string
		cmd  []string
	}{
		{"--output", quick}, {"--report", quick}, {"--junit", quick},
		{"--output", []string{"run", script, "-q"}}, {"--report", []string{"run", script, "-q"}},
		{"--output", []string{"demo", "--duration", "1s", "-q"}}, {"--report", []string{"demo", "--duration", "1s", "-q"}},
		{"--output", []string{"merge", run}}, {"--report", []string{"merge", run}}, {"--junit", []string{"merge", run}},
		{"--report", []string{"compare", base, head}}, {"--junit", []string{"compare", base, head}},
		{"--output", capacity}, {"--report", capacity},
		{"--output", []string{"report", run}},
	}
	sent := served.Load()
	t.Chdir(dir)
	for _, c := range cases {
		args := append(append([]string{}, c.cmd...), c.flag, "-")
		res := surge(t, context.Background(), args...)
		if want := c.flag + ` -: would create a file named "-"`; res.code != ExitUsage || !strings.Contains(res.stderr, want) {
			t.Errorf("surge %s %s -: exit %d, stderr %q; want 2 and %q", c.cmd[0], c.flag, res.code, res.stderr, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "-")); err == nil {
		t.Error(`a file named "-" was created`)
	}
	if n := served.Load() - sent; n != 0 {
		t.Errorf("the refused commands sent %d requests", n)
	}
}
