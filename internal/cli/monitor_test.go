package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/surge-dev/surge/results"
)

// TestMonitorNaNDoesNotBreakTheResults: a NaN from the target's metrics
// made the results file fail to encode (exit 3, nothing saved).
func TestMonitorNaNDoesNotBreakTheResults(t *testing.T) {
	srv, _ := countingServer(t)
	metricsSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("# TYPE ratio gauge\nratio NaN\n# TYPE up gauge\nup 1\n"))
	}))
	defer metricsSrv.Close()
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "quick", srv.URL, "--rate", "10", "-d", "1500ms", "-q",
		"--monitor", metricsSrv.URL, "-o", out)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	up := 0
	for _, iv := range r.Intervals {
		if _, ok := iv.Monitor["ratio"]; ok {
			t.Fatal("the NaN series was recorded")
		}
		if iv.Monitor["up"] == 1 {
			up++
		}
	}
	if up == 0 || !strings.Contains(res.stderr, "1 series are NaN or infinite and are not recorded") {
		t.Fatalf("up in %d intervals; stderr %q", up, res.stderr)
	}
}

// TestMonitorFailurePrintsOnce: scraping a closed port used to print
// nothing; now the first failure and the total are said, not one line a
// second.
func TestMonitorFailurePrintsOnce(t *testing.T) {
	srv, _ := countingServer(t)
	res := surge(t, context.Background(), "quick", srv.URL, "--rate", "10", "-d", "2500ms", "-q",
		"--monitor", "http://127.0.0.1:1/metrics")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if strings.Count(res.stderr, "monitor: scraping http://127.0.0.1:1/metrics failed") != 1 ||
		!strings.Contains(res.stderr, "scrapes failed in all") {
		t.Fatalf("stderr %q", res.stderr)
	}
}
