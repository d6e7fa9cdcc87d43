//go:build unix

package cli

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

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
