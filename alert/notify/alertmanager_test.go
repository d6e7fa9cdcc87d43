package notify

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// syncBuffer is the process's output, written by exec's copying
// goroutine while the test may read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}

// alertmanagerBinary finds a real Alertmanager: Debian's
// prometheus-alertmanager, an alertmanager on the PATH, or
// SURGE_ALERTMANAGER. Without one the test skips, or fails when the CI
// environment variable is set: .ci/run installs it, so in CI the round
// trip must run.
func alertmanagerBinary(t *testing.T) string {
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

func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// startAlertmanager runs Alertmanager on a loopback port, clustering off,
// with one route: every alert, grouped by alertname, to the webhook at
// hook, resolved ones too. It returns the API's base URL once ready. The
// port is found free and then handed over, so another process may take it
// in between: an Alertmanager that exits early is started again on
// another port.
func startAlertmanager(t *testing.T, ctx context.Context, hook string) (string, *syncBuffer) {
	t.Helper()
	bin := alertmanagerBinary(t)
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
	var logs syncBuffer
	for attempt := range 3 {
		addr := freeLoopbackAddr(t)
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
func runAlertmanager(t *testing.T, ctx context.Context, bin, cfg, data, addr string, logs *syncBuffer) <-chan struct{} {
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
func waitReady(t *testing.T, ctx context.Context, base string, exited <-chan struct{}, logs *syncBuffer) (string, bool) {
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

// waitFor polls the receiver until a message with status arrives.
func waitFor(t *testing.T, ctx context.Context, rcv *receiver, status string, logs *syncBuffer) documented {
	t.Helper()
	for {
		got, errs := rcv.messages()
		if len(errs) > 0 {
			t.Fatalf("the receiver could not read Alertmanager's payload: %v", errs)
		}
		for _, m := range got {
			if m.Status == status {
				return m
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no %s notification: %v; got %+v\n%s", status, ctx.Err(), got, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// The round trip through a real Alertmanager: Surge posts an alert to
// its API, firing then resolved, and the webhook receiver Alertmanager
// routes to gets both, with Surge's labels, times and fingerprint.
func TestAlertmanagerRoundTrip(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rcv := newReceiver(t)
	base, logs := startAlertmanager(t, ctx, rcv.srv.URL+"/hook")
	am := Alertmanager{URL: base}
	start := time.Now().UTC().Truncate(time.Second)
	a := Alert{
		Labels:       map[string]string{"alertname": "surge-roundtrip", "severity": "test", "endpoint": "GET /items"},
		Annotations:  map[string]string{"summary": "p99 above 300ms"},
		StartsAt:     start,
		GeneratorURL: "http://127.0.0.1:8089/",
	}
	if err := am.Post(ctx, a); err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	firing := waitFor(t, ctx, rcv, "firing", logs)

	a.EndsAt = time.Now().UTC().Truncate(time.Second)
	if err := am.Post(ctx, a); err != nil {
		t.Fatalf("%v\n%s", err, logs.String())
	}
	resolved := waitFor(t, ctx, rcv, "resolved", logs)

	want, _ := NewMessage("surge-test", "", a) // what Surge's own webhook would have sent
	for name, m := range map[string]documented{"firing": firing, "resolved": resolved} {
		if m.Version != "4" || m.Receiver != "surge-test" || m.GroupKey != want.GroupKey || len(m.Alerts) != 1 {
			t.Errorf("%s: version %q receiver %q groupKey %q (Surge writes %q), %d alerts",
				name, m.Version, m.Receiver, m.GroupKey, want.GroupKey, len(m.Alerts))
			continue
		}
		got := m.Alerts[0]
		if got.Fingerprint != a.Fingerprint() {
			t.Errorf("%s: Alertmanager's fingerprint %s, Surge's %s", name, got.Fingerprint, a.Fingerprint())
		}
		for k, v := range a.Labels {
			if got.Labels[k] != v {
				t.Errorf("%s: label %s = %q, want %q", name, k, got.Labels[k], v)
			}
		}
		if got.Annotations["summary"] != "p99 above 300ms" || got.GeneratorURL != a.GeneratorURL ||
			got.StartsAt != start.Format(time.RFC3339) || got.Status != name {
			t.Errorf("%s: %+v", name, got)
		}
	}
	// Surge's webhook writes a firing alert's end as Alertmanager does.
	if got, want := firing.Alerts[0].EndsAt, "0001-01-01T00:00:00Z"; got != want {
		t.Errorf("firing endsAt %s, want %s", got, want)
	}
	if got := resolved.Alerts[0].EndsAt; got != a.EndsAt.Format(time.RFC3339) {
		t.Errorf("resolved endsAt %s, want %s", got, a.EndsAt.Format(time.RFC3339))
	}
}
