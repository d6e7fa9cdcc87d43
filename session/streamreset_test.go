package session

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/results"
)

// resetMidRun runs a test with a stream, a results file and a dashboard,
// resets its statistics from the dashboard once the stream holds two
// seconds, and stops it once the stream holds three more: the reset takes
// effect at the next interval boundary (or the one after, if a second was
// closing as it came), so at least the last of those three counts from
// it. It returns the stream's and the results file's paths.
func resetMidRun(t *testing.T) (string, string) {
	t.Helper()
	srv := newRecordingServer(t)
	dir, addr := t.TempDir(), freeaddr.Loopback(t)
	streamPath, resultsPath := filepath.Join(dir, "run.jsonl"), filepath.Join(dir, "run.json")
	f, err := results.CreateStream(streamPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Run(ctx, getTest(t, srv.URL, 50, time.Minute), results.Test{Name: "reset"},
			Options{Stream: f, ResultsFile: resultsPath, Dashboard: Dashboard{Addr: addr}, Version: "test"})
		done <- err
	}()
	seconds := func() int { b, _ := os.ReadFile(streamPath); return bytes.Count(b, []byte(`{"interval"`)) }
	waitFor(t, 20*time.Second, "two seconds in the stream", func() bool { return seconds() >= 2 })
	if code, st := call(t, "POST", addr, "/api/reset", ""); code != http.StatusOK {
		t.Fatalf("reset: %d %v", code, st)
	}
	n := seconds()
	waitFor(t, 20*time.Second, "three more seconds", func() bool { return seconds() >= n+3 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return streamPath, resultsPath
}

// TestStreamCarriesTheDashboardsReset: after a reset of the statistics
// mid-run, the complete stream reads back as the results file, and a
// stream cut short (without its end line, or without its last second too)
// still marks the seconds before the reset and counts only those after it.
func TestStreamCarriesTheDashboardsReset(t *testing.T) {
	streamPath, resultsPath := resetMidRun(t)
	file, err := results.ReadFile(resultsPath)
	if err != nil {
		t.Fatal(err)
	}
	if file.Test.ResetAt.IsZero() || !file.Intervals[0].BeforeReset {
		t.Fatalf("the results file holds no reset: reset_at %v, intervals %+v", file.Test.ResetAt, file.Intervals)
	}
	whole, err := results.ReadFile(streamPath)
	if err != nil {
		t.Fatal(err)
	}
	if w, s := docJSON(t, file), docJSON(t, whole); w != s {
		t.Fatalf("the complete stream read back:\n%s\nthe results file:\n%s", s, w)
	}
	data, err := os.ReadFile(streamPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n") // header, seconds, end, ""
	for drop := 1; drop <= 2; drop++ {
		cut := cutStream(t, lines[:len(lines)-1-drop])
		checkCutAfterReset(t, file, cut, len(lines)-2-drop)
	}
}

func docJSON(t *testing.T, r *results.Results) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// cutStream reads back a stream made of lines, as a run killed after
// writing them leaves it.
func cutStream(t *testing.T, lines []string) *results.Results {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cut.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Test.CutShort {
		t.Fatal("a stream without its end line read as complete")
	}
	return r
}

// checkCutAfterReset compares a cut stream holding the first seconds of
// the run with the run's results file: the same reset and marks, and an
// aggregate of the seconds since the reset that the cut stream holds
// (with all of them, the file's aggregate).
func checkCutAfterReset(t *testing.T, file, cut *results.Results, seconds int) {
	t.Helper()
	if len(cut.Intervals) != seconds || !cut.Test.ResetAt.Equal(file.Test.ResetAt) {
		t.Fatalf("%d seconds, reset_at %v; want %d, %v", len(cut.Intervals), cut.Test.ResetAt, seconds, file.Test.ResetAt)
	}
	var since, all int64
	for i, iv := range cut.Intervals {
		if iv.BeforeReset != file.Intervals[i].BeforeReset {
			t.Fatalf("second %d: before_reset %v, the results file's %v", i, iv.BeforeReset, file.Intervals[i].BeforeReset)
		}
		all += iv.Requests
		if !iv.BeforeReset {
			since += iv.Requests
		}
	}
	a := cut.Aggregate
	if since == 0 || since == all || a.Requests != since || cut.Counters["http.requests"] != since {
		t.Fatalf("%d of %d seconds: aggregate %d requests (counters %d), want %d of the %d sent (those since the reset)",
			seconds, len(file.Intervals), a.Requests, cut.Counters["http.requests"], since, all)
	}
	if seconds == len(file.Intervals) && (a.Requests != file.Aggregate.Requests || a.SpanS != file.Aggregate.SpanS ||
		a.Latency != file.Aggregate.Latency || a.VUsers.Created != file.Aggregate.VUsers.Created) {
		t.Fatalf("every second: aggregate %+v\nthe results file's %+v", a, file.Aggregate)
	}
}
