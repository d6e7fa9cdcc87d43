package promtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
)

// ScrapeJob is the job name Prometheus gives the scraped series.
const ScrapeJob = "surge-scrape"

// Binary finds a real Prometheus: SURGE_PROMETHEUS, or prometheus on
// the PATH.
func Binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SURGE_PROMETHEUS"); p != "" {
		return p
	}
	if p, err := exec.LookPath("prometheus"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set but no prometheus was found: the Prometheus round trip must run in CI. " +
			"Install the Debian package prometheus (.ci/run does) or set SURGE_PROMETHEUS.")
	}
	t.Skip("Prometheus round trip skipped: no prometheus found. Install the Debian package prometheus " +
		"(apt-get install prometheus) or set SURGE_PROMETHEUS.")
	return ""
}

// logs is the process's output, written by exec's copying goroutine.
type logs struct {
	mu sync.Mutex
	b  []byte
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}

// Start runs Prometheus on a free loopback port, scraping target (host:port)
// every interval under job ScrapeJob, its remote-write receiver on, with
// the extra flags given (e.g. --enable-feature=native-histograms). It
// returns the base URL once Prometheus is ready and has begun scraping;
// the process is killed when the test ends.
func Start(t *testing.T, ctx context.Context, target string, interval time.Duration, flags ...string) string {
	t.Helper()
	bin := Binary(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	config := fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
scrape_configs:
  - job_name: %[2]s
    static_configs:
      - targets: ['%[3]s']
`, interval, ScrapeJob, target)
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	var out logs
	for attempt := range 3 {
		addr := freeaddr.Loopback(t)
		args := append([]string{"--config.file=" + cfg, "--storage.tsdb.path=" + filepath.Join(dir, fmt.Sprint("data", attempt)),
			"--web.listen-address=" + addr, "--web.enable-remote-write-receiver", "--log.level=warn"}, flags...)
		exited := run(t, bin, args...)(&out)
		if waitReady(t, ctx, "http://"+addr, exited, &out) {
			waitScraping(t, ctx, "http://"+addr)
			return "http://" + addr
		}
	}
	t.Fatalf("Prometheus exited three times:\n%s", out.String())
	return ""
}

// run returns a starter of the process; its channel closes when it exits.
func run(t *testing.T, bin string, args ...string) func(*logs) <-chan struct{} {
	return func(out *logs) <-chan struct{} {
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = out, out
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
}

// waitReady polls /-/ready; false if the process exited first (a port
// taken meanwhile).
func waitReady(t *testing.T, ctx context.Context, base string, exited <-chan struct{}, out *logs) bool {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	for {
		if resp, err := client.Get(base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		select {
		case <-exited:
			return false
		case <-ctx.Done():
			t.Fatalf("Prometheus not ready: %v\n%s", ctx.Err(), out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// waitScraping waits for the first scrape of the job, failed or not:
// Prometheus hands new targets to its scrapers only every five seconds,
// and a test must not begin before they look.
func waitScraping(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	for len(Query(t, base, `up{job="`+ScrapeJob+`"}`)) == 0 {
		select {
		case <-ctx.Done():
			t.Fatalf("Prometheus never scraped the job: %v", ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Eventually queries until the query gives exactly one value for which
// ok holds, or within has passed, and returns the last answer: samples
// are queryable a moment after Prometheus has received them.
func Eventually(t *testing.T, base, promql string, within time.Duration, ok func(float64) bool) []float64 {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		got := Query(t, base, promql)
		if (len(got) == 1 && ok(got[0])) || time.Now().After(deadline) {
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Query evaluates an instant PromQL query and returns the values of the
// series it gives, in Prometheus's order.
func Query(t *testing.T, base, promql string) []float64 {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(promql))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Status != "success" {
		t.Fatalf("query %s: %v %s %s", promql, err, body.Status, body.Error)
	}
	var out []float64
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("query %s: value %v", promql, r.Value[1])
		}
		out = append(out, v)
	}
	return out
}
