package cli

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// TestFailedSetUpLeavesTheStreamFile: a run that fails before its load
// (the dashboard's or Prometheus's port taken: exit 3) leaves an existing
// stream file as it was, as it leaves -o's, instead of a header-only
// stream in place of the old one.
func TestFailedSetUpLeavesTheStreamFile(t *testing.T) {
	srv, served := countingServer(t)
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := t.TempDir()
	stream := filepath.Join(dir, "old.jsonl")
	for _, flag := range []string{"--dashboard=", "--prometheus="} {
		if err := os.WriteFile(stream, []byte("the stream of an earlier run\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		res := surge(t, context.Background(), "quick", srv.URL+"/", "--rate", "5", "--duration", "1s", "-q",
			"--stream", stream, flag+taken.Addr().String())
		if res.code != ExitRunFailed {
			t.Fatalf("%s a taken port: exit %d, want 3: %s", flag, res.code, res.stderr)
		}
		if b, _ := os.ReadFile(stream); string(b) != "the stream of an earlier run\n" {
			t.Errorf("%s a taken port: the stream file now holds %q", flag, b)
		}
	}
	if n := served.Load(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestStreamToAClosedStdoutPipe: surge quick --stream - | head -n 1. The
// reader goes after the header; the next line meets a broken pipe, which
// the run says once and goes on past: the results file is written and
// the exit code is 3, rather than a silent death by SIGPIPE.
func TestStreamToAClosedStdoutPipe(t *testing.T) {
	srv, _ := countingServer(t)
	out := filepath.Join(t.TempDir(), "pipe.json")
	cmd := exec.Command(os.Args[0], "quick", srv.URL+"/", "--rate", "20", "--duration", "2s", "--stream", "-", "-o", out)
	cmd.Env = append(os.Environ(), "SURGE_TEST_AS_MAIN=1")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	header, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || !strings.Contains(header, results.StreamSchema) {
		t.Fatalf("first line %q: %v", header, err)
	}
	stdout.Close() // as head -n 1 exits
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitRunFailed || strings.Count(stderr.String(), "broken pipe: the stream stops here") != 1 {
		t.Fatalf("exit %d (%v), want 3 with the broken pipe said once; stderr:\n%s", code, cmd.ProcessState, stderr.String())
	}
	if r, err := results.ReadFile(out); err != nil || r.Aggregate.Requests != 40 {
		t.Fatalf("results file: %v", err)
	}
}
