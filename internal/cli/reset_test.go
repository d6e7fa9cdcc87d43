package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/judge"
	"github.com/surge-dev/surge/results"
)

// The audit's case: a test whose warm-up fails (here every response is a
// 500 until the target is "up"), reset from the dashboard once the target
// answers. Every view then covers the time since the reset, and so do the
// thresholds: the verdicts, the JUnit file and the summary agree on one
// span, named the same way, and the test passes.
func TestThresholdsJudgeTheRunSinceTheDashboardsReset(t *testing.T) {
	var up atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if !up.Load() {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	t.Cleanup(srv.Close)
	dir, addr := t.TempDir(), freeaddr.Loopback(t)
	out, junit, stream := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.jsonl")
	done := make(chan cmdResult, 1)
	go func() {
		done <- surge(t, context.Background(), "quick", srv.URL+"/", "--rate", "50", "--duration", "6s",
			"--threshold", "failure_rate<1%", "--threshold", "failure_rate<1% over 2s",
			"-o", out, "--junit", junit, "--stream", stream, "--dashboard", addr)
	}()
	seconds := func() int { b, _ := os.ReadFile(stream); return bytes.Count(b, []byte(`{"interval"`)) }
	for deadline := time.Now().Add(10 * time.Second); seconds() < 2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the stream holds no two seconds after 10 s")
		}
	}
	up.Store(true)
	resp, err := http.Post("http://"+addr+"/api/reset", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reset: %s", resp.Status)
	}
	res := <-done

	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Test.ResetAt.IsZero() || r.Aggregate.Failures != 0 || r.Aggregate.Requests == 0 {
		t.Fatalf("results: reset_at %v, %d failures of %d requests; want a reset and no failure after it",
			r.Test.ResetAt, r.Aggregate.Failures, r.Aggregate.Requests)
	}
	at := judge.Clock(r.Test.ResetAt.Sub(r.Test.Started))
	if res.code != ExitOK {
		t.Errorf("exit %d, want %d: the run since the reset had no failure\n%s%s", res.code, ExitOK, res.stdout, res.stderr)
	}
	for _, want := range []string{
		"statistics reset at " + at,
		"ok: failure_rate<1%: failure_rate=0% since the reset at " + at + " (limit <1%)",
		"ok: failure_rate<1% over 2s: failure_rate=0% in the last window; held in all ",
		" windows since the reset at " + at + " (limit <1%)",
	} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
		}
	}
	x, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`failures="0"`,
		`<property name="requests" value="` + strconv.FormatInt(r.Aggregate.Requests, 10) + `">`,
		"failure_rate=0% since the reset at " + at,
		`<property name="reset_at" value="` + r.Test.ResetAt.UTC().Format(time.RFC3339Nano) + `">`,
	} {
		if !strings.Contains(string(x), want) {
			t.Errorf("junit lacks %q:\n%s", want, x)
		}
	}
	if strings.Contains(string(x), "over the run") || strings.Contains(res.stdout, "over the run") {
		t.Errorf("a verdict is still judged over the whole test:\n%s\n%s", res.stdout, x)
	}
}
