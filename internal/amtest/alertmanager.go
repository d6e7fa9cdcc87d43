package amtest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
)

// Logs is the process's output, written by exec's copying
// goroutine while the test may read it.
type Logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Logs) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Logs) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *Logs) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// Binary finds a real Alertmanager: Debian's
// prometheus-alertmanager, an alertmanager on the PATH, or
// SURGE_ALERTMANAGER. Without one the test skips, or fails when the CI
// environment variable is set: .ci/run installs it, so in CI the round
// trip must run.
func Binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SURGE_ALERTMANAGER"); p != "" {
		return p
	}
	for _, name := range []string{"prometheus-alertmanager", "alertmanager"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but no Alertmanager was found: the Alertmanager round trip must run in CI. " +
			"Install the Debian package prometheus-alertmanager (.ci/run does) or set SURGE_ALERTMANAGER.")
	}
	t.Skip("Alertmanager round trip skipped: no alertmanager found. Install the Debian package " +
		"prometheus-alertmanager (apt-get install prometheus-alertmanager) or set SURGE_ALERTMANAGER.")
	return ""
}

// Start runs Alertmanager on a loopback port, clustering off,
// with one route: every alert, grouped by alertname, to the webhook at
// hook, resolved ones too. It returns the API's base URL once ready. The
// port is found free and then handed over, so another process may take it
// in between: an Alertmanager that exits early is started again on
// another port.
func Start(t *testing.T, ctx context.Context, hook string) (string, *Logs) {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "alertmanager.yml")
	config := fmt.Sprintf(`route:
  receiver: surge-test
  group_by: [alertname]
  group_wait: 100ms
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: surge-test
    webhook_configs:
      - url: %s
        send_resolved: true
`, hook)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs Logs
	for attempt := range 3 {
		addr := freeaddr.Loopback(t)
		logs.Reset()
		exited := runAlertmanager(t, ctx, bin, cfg, filepath.Join(dir, fmt.Sprint("data", attempt)), addr, &logs)
		if base, ok := waitReady(t, ctx, "http://"+addr, exited, &logs); ok {
			return base, &logs
		}
	}
	t.Fatalf("Alertmanager exited three times:\n%s", logs.String())
	return "", nil
}

// runAlertmanager starts the process; the channel closes when it exits.
func runAlertmanager(t *testing.T, ctx context.Context, bin, cfg, data, addr string, logs *Logs) <-chan struct{} {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "--config.file="+cfg, "--storage.path="+data,
		"--web.listen-address="+addr, "--cluster.listen-address=", "--log.level=warn")
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	return exited
}

// waitReady polls /-/ready; false if the process exited first. Each
// poll is bounded: a port someone else listens on may accept and never
// answer.
func waitReady(t *testing.T, ctx context.Context, base string, exited <-chan struct{}, logs *Logs) (string, bool) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(base + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, true
			}
		}
		select {
		case <-exited:
			return "", false
		case <-ctx.Done():
			t.Fatalf("Alertmanager not ready: %v\n%s", ctx.Err(), logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
