package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/results"
)

// TestMain lets a test run this test binary as the surge command, so that
// real signals reach Main in a process of its own. The tests' runs must not
// write to the job summary of a CI that runs them: the tests that check
// the summary set GITHUB_STEP_SUMMARY themselves.
func TestMain(m *testing.M) {
	if os.Getenv("SURGE_TEST_AS_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], IO{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Unsetenv("GITHUB_STEP_SUMMARY")
	os.Exit(m.Run())
}

// surgeProcess starts surge with args in a process of its own.
func surgeProcess(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SURGE_TEST_AS_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stderr
}

// hangingServer holds every request until the client gives up; arrived
// is closed at the first request.
func hangingServer(t *testing.T) (srv *httptest.Server, arrived chan struct{}) {
	arrived = make(chan struct{})
	var once sync.Once
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		<-r.Context().Done()
	}))
	srv.Config.SetKeepAlivesEnabled(false)
	t.Cleanup(srv.Close)
	return srv, arrived
}

func TestSecondInterruptCancelsRequestsInFlight(t *testing.T) {
	srv, arrived := hangingServer(t)
	out := filepath.Join(t.TempDir(), "r.json")
	cmd, stderr := surgeProcess(t, "quick", srv.URL, "--rate", "1", "--duration", "1m", "--output", out, "--quiet")
	select {
	case <-arrived:
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatal("no request arrived")
	}
	first := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	time.Sleep(300 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(2 * engine.DefaultGrace):
		cmd.Process.Kill()
		t.Fatalf("still running %v after two interrupts", 2*engine.DefaultGrace)
	}
	took := time.Since(first)
	t.Logf("ended %v after the first interrupt; stderr:\n%s", took, stderr)
	// The grace period is 10 s; the second interrupt came at 300 ms.
	if took > engine.DefaultGrace/2 {
		t.Fatalf("ended %v after the first interrupt: the second did not cut the grace period short", took)
	}
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Fatalf("exit %d (%v), want %d", code, err, ExitInterrupted)
	}
	for _, want := range []string{"interrupt again to cancel them", "cancelling requests in flight now", "cancelled requests in flight"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Test.Interrupted || r.Aggregate.ErrorKind["ECANCELED"] == 0 {
		t.Fatalf("results: interrupted %v, errors %v", r.Test.Interrupted, r.Aggregate.ErrorKind)
	}
}
