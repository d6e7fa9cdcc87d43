package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/mute"
	"github.com/surge-dev/surge/promexport"
)

// neverAnswers is a remote-write receiver that accepts connections and
// never answers.
func neverAnswers(t *testing.T) string {
	addr, _ := mute.Listen(t)
	return "http://" + addr + "/api/v1/write"
}

// summaryWatch is standard output, noting when the summary is written:
// the wait at exit begins after it.
type summaryWatch struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{}
	once    sync.Once
}

func (w *summaryWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if strings.Contains(w.b.String(), "vusers:") { // the summary's last line
		w.once.Do(func() { close(w.written) })
	}
	return len(p), nil
}

// runBehindAHangingReceiver runs a short test pushing to a receiver that
// never answers, interrupts it (as Ctrl-C does: the context cancelled)
// once the summary is out if asked, and returns how long the exit waited
// after the summary, and the command's result.
func runBehindAHangingReceiver(t *testing.T, interrupt bool) (time.Duration, cmdResult) {
	t.Helper()
	srv, _ := countingServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &summaryWatch{written: make(chan struct{})}
	var errb bytes.Buffer
	done := make(chan int, 1)
	args := []string{"quick", srv.URL, "--rate", "5", "-d", "1s", "--prometheus-remote-write", neverAnswers(t)}
	go func() { done <- MainContext(ctx, args, IO{Stdout: out, Stderr: &errb}) }()
	select {
	case <-out.written:
	case code := <-done:
		t.Fatalf("exit %d before the summary: %s", code, errb.String())
	}
	summary := time.Now()
	if interrupt {
		cancel()
	}
	code := <-done
	return time.Since(summary), cmdResult{code: code, stderr: errb.String()}
}

// TestRemoteWriteExitWaitIsBounded: behind a receiver that never
// answers, the push under way and the final one hold the exit for
// promexport.CloseWait in all (before, each for its own timeout: about
// twice as long), and the failed final push is said.
func TestRemoteWriteExitWaitIsBounded(t *testing.T) {
	waited, res := runBehindAHangingReceiver(t, false)
	if waited > promexport.CloseWait+2*time.Second {
		t.Errorf("the exit waited %v after the summary; the bound is %v", waited, promexport.CloseWait)
	}
	if res.code != ExitOK || !strings.Contains(res.stderr, "surge: remote write: the final values were not pushed (no answer within 5s") {
		t.Fatalf("exit %d; stderr:\n%s\nwant exit 0 and the failed final push said", res.code, res.stderr)
	}
}

// TestInterruptEndsTheRemoteWriteWait: Ctrl-C during the wait at exit
// ends it at once (before, it changed nothing); the final push is said
// to have been cut short. The exit code stays the test's: it had run to
// its end, and its results file is whole.
func TestInterruptEndsTheRemoteWriteWait(t *testing.T) {
	waited, res := runBehindAHangingReceiver(t, true)
	if waited > promexport.CloseWait/2 {
		t.Errorf("the exit waited %v after an interrupt; it should end at once", waited)
	}
	if res.code != ExitOK || !strings.Contains(res.stderr, "surge: remote write: the final values were not pushed (interrupted") {
		t.Fatalf("exit %d; stderr:\n%s\nwant exit 0 and the interrupted final push said", res.code, res.stderr)
	}
}
