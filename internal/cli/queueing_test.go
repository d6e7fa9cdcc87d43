package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// TestClosedModelCountsTheWaitForAConnection is the documented example:
// 8 users on 1 connection to a 20 ms server. Each user waits for the 7
// others before its request is sent, so latency (from when the user was
// ready) is about 8 service times, while service time stays about 20 ms.
func TestClosedModelCountsTheWaitForAConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
	}))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "r.json")
	res := surge(t, context.Background(), "quick", srv.URL, "--users", "8", "--connections", "1",
		"--duration", "2s", "--output", out, "--quiet")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lat, svc := r.Aggregate.Latency.P50, r.Aggregate.Service.P50
	t.Logf("latency p50 %.1f ms, service p50 %.1f ms, %d requests", lat, svc, r.Aggregate.Requests)
	// Service time is the server's 20 ms and whatever a busy machine adds;
	// latency is 8 of them, less the first round's shorter waits.
	if svc < 20 || svc > 60 {
		t.Errorf("service p50 %.1f ms, want about 20", svc)
	}
	if ratio := lat / svc; ratio < 6 || ratio > 10 {
		t.Errorf("latency p50 %.1f ms is %.1f service times, want about 8 (160 ms)", lat, ratio)
	}
}
