package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// TestStreamGrowsWhileTheTestRuns: the stream holds its header and
// intervals while the test is still running (not buffered until the end),
// can be read then (as a stream cut short), and once finished reads back
// as the run's results.
func TestStreamGrowsWhileTheTestRuns(t *testing.T) {
	srv := newRecordingServer(t)
	path := filepath.Join(t.TempDir(), "run.jsonl")
	f, err := results.CreateStream(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type ran struct {
		res Result
		err error
	}
	done := make(chan ran, 1)
	go func() {
		res, err := Run(context.Background(), getTest(t, srv.URL+"/s", 20, 3*time.Second), results.Test{Name: "s"},
			Options{Stream: f, Version: "test"})
		done <- ran{res, err}
	}()
	linesMidRun := 0
	for linesMidRun < 2 {
		select {
		case r := <-done:
			t.Fatalf("the run ended (err %v) before the stream held an interval: %d lines", r.err, linesMidRun)
		case <-time.After(50 * time.Millisecond):
			b, _ := os.ReadFile(path)
			linesMidRun = bytes.Count(b, []byte("\n"))
		}
	}
	live, err := results.ReadFile(path) // while the test still runs: read as cut short
	if err != nil || !live.Test.CutShort || len(live.Intervals) == 0 || live.Aggregate.Requests == 0 {
		t.Fatalf("the stream read mid-run: %v, %+v", err, live)
	}
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	got, err := results.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(r.res.Results)
	have, _ := json.Marshal(got)
	if !bytes.Equal(want, have) || got.Aggregate.Requests != 60 {
		t.Fatalf("stream read back:\n%s\nthe run's results:\n%s", have, want)
	}
}

// failAfter fails every write after the first n.
type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

// TestStreamFailureLosesNothingElse: a stream that fails mid-run is
// said once, the test runs to its end, the results file is written, and
// Run returns the stream's error.
func TestStreamFailureLosesNothingElse(t *testing.T) {
	srv := newRecordingServer(t)
	var notices syncBuffer
	out := filepath.Join(t.TempDir(), "r.json")
	res, err := Run(context.Background(), getTest(t, srv.URL, 20, 2*time.Second), results.Test{},
		Options{Stream: &failAfter{n: 2}, Notices: &notices, ResultsFile: out})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("error %v, want the stream's", err)
	}
	if n := strings.Count(notices.String(), "disk full"); n != 1 {
		t.Fatalf("the failure said %d times:\n%s", n, notices.String())
	}
	if r, rerr := results.ReadFile(out); rerr != nil || res.Results == nil || r.Aggregate.Requests != 40 {
		t.Fatalf("results file: %v, %+v", rerr, r)
	}
}
