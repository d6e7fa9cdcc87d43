package cli

import (
	"bufio"
	"context"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

// TestStreamWaitForAFIFOReaderIsInterruptible: --stream naming a FIFO
// that nobody reads waits, says so on stderr, and SIGTERM (as Ctrl-C)
// ends the wait and the run with exit 130, nothing sent. Before, the
// process sat in open(2) and ignored the signal.
func TestStreamWaitForAFIFOReaderIsInterruptible(t *testing.T) {
	srv, served := countingServer(t)
	fifo := filepath.Join(t.TempDir(), "ff")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "quick", srv.URL+"/", "--rate", "5", "--duration", "1s", "--stream", fifo)
	cmd.Env = append(os.Environ(), "SURGE_TEST_AS_MAIN=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A guard, not a measure: a run that never says it waits (as before,
	// blocked in open(2)) is killed, which ends the scan below in failure.
	guard := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer guard.Stop()
	lines := bufio.NewScanner(stderr)
	var said []string
	for lines.Scan() && !strings.Contains(lines.Text(), "waiting for a reader of "+fifo) {
		said = append(said, lines.Text())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("signal: %v (stderr so far %q)", err, said)
	}
	rest, _ := io.ReadAll(stderr)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted || !strings.Contains(string(rest), "(no load was sent)") {
		t.Fatalf("exit %d, want 130; stderr %q then %q", code, said, rest)
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
