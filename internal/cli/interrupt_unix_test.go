//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptStopsTheCommandsThatRead: Ctrl-C while report, compare or
// merge read a results file (a FIFO whose writer never finishes, so the
// read lasts until the signal) printed the load test's notice, went on
// reading and exited 0. Each now stops at the signal with a message of
// its own, writes nothing and exits 130.
func TestInterruptStopsTheCommandsThatRead(t *testing.T) {
	for _, tc := range []struct{ name, out string }{{"report", "-o"}, {"compare", "--report"}, {"merge", "-o"}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			fifo, out := filepath.Join(dir, "stream.jsonl"), filepath.Join(dir, "out")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Skipf("no FIFO here: %v", err)
			}
			args := []string{tc.name, fifo, tc.out, out}
			if tc.name == "compare" {
				args = []string{tc.name, fifo, filepath.Join(dir, "head.json"), tc.out, out}
			}
			cmd, stderr := surgeProcess(t, args...)
			w := openWriter(t, fifo, func() { cmd.Process.Kill() })
			defer w.Close()
			w.WriteString(`{"schema":"surge.stream/v1","test":{"name":"t"}}` + "\n")
			cmd.Process.Signal(syscall.SIGINT)
			code := waitExit(t, cmd, func() { cmd.Process.Kill() }, 30*time.Second)
			if code != ExitInterrupted || !strings.Contains(stderr.String(), tc.name+" interrupted: nothing written") {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitInterrupted, stderr)
			}
			if strings.Contains(stderr.String(), "in flight") {
				t.Errorf("the load test's notice:\n%s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// openWriter opens the FIFO for writing, which waits for the process to
// open it for reading; kill ends the process if it never does.
func openWriter(t *testing.T, fifo string, kill func()) *os.File {
	t.Helper()
	opened := make(chan *os.File, 1)
	go func() {
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			opened <- f
		}
	}()
	select {
	case f := <-opened:
		return f
	case <-time.After(30 * time.Second):
		kill()
		t.Fatal("the command never opened the file")
	}
	return nil
}
