package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// TestKilledRunLeavesAStreamReportRenders: a surge run of 20 s, killed
// with SIGKILL 10 s in, leaves a stream that surge report renders: every
// second that closed before the kill but (at most) the last, the
// aggregate rebuilt from them, and a word that the stream was cut short.
func TestKilledRunLeavesAStreamReportRenders(t *testing.T) {
	srv, served := countingServer(t)
	dir := t.TempDir()
	script := filepath.Join(dir, "soak.yml")
	stream := filepath.Join(dir, "soak.jsonl")
	yml := fmt.Sprintf("config:\n  target: %s\n  phases:\n    - duration: 20\n      arrivalRate: 20\n"+
		"scenarios:\n  - flow:\n      - get:\n          url: /soak\n", srv.URL)
	if err := os.WriteFile(script, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd, stderr := surgeProcess(t, "run", script, "--stream", stream, "--quiet")
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	started := waitForHeader(t, stream, exited, stderr)
	select {
	case err := <-exited:
		t.Fatalf("surge run ended before the kill: %v\n%s", err, stderr)
	case <-time.After(time.Until(started.Add(10 * time.Second))):
	}
	killed := time.Now()
	cmd.Process.Kill()
	<-exited

	r, err := results.ReadFile(stream)
	if err != nil {
		t.Fatal(err)
	}
	checkCutShort(t, r, killed)
	if got := r.Aggregate.Requests; got > served.Load() || got < int64(len(r.Intervals)-1)*20 {
		t.Fatalf("%d requests over %d seconds; the server answered %d", got, len(r.Intervals), served.Load())
	}
	html := filepath.Join(dir, "soak.html")
	res := surge(t, context.Background(), "report", stream, "-o", html)
	if res.code != ExitOK || !strings.Contains(res.stderr, "cut short") {
		t.Fatalf("surge report: exit %d, stderr %q", res.code, res.stderr)
	}
	page, _ := os.ReadFile(html)
	if !bytes.Contains(page, []byte("Read from a stream cut short")) {
		t.Fatal("the report does not say the stream was cut short")
	}
}

// waitForHeader waits for the stream's first line and returns when the
// run began, by the process's clock (the header is written before any
// load).
func waitForHeader(t *testing.T, path string, exited <-chan error, stderr *bytes.Buffer) time.Time {
	t.Helper()
	for {
		select {
		case err := <-exited:
			t.Fatalf("surge run exited before writing its stream: %v\n%s", err, stderr)
		case <-time.After(20 * time.Millisecond):
		}
		if b, _ := os.ReadFile(path); bytes.IndexByte(b, '\n') > 0 {
			return time.Now()
		}
	}
}

// checkCutShort: the seconds from the start up to at most one before the
// kill (the stream ends no more than 2.5 s before it), in order, none
// missing. The slack for the last is a loaded
// machine's: the interval closes on time but its line may be written a
// little later.
func checkCutShort(t *testing.T, r *results.Results, killed time.Time) {
	t.Helper()
	if !r.Test.CutShort || !r.Test.Interrupted {
		t.Fatalf("cut short %v, interrupted %v: want both", r.Test.CutShort, r.Test.Interrupted)
	}
	// The kill came 10 s after the header; the load starts a little
	// after it (later on a loaded machine), so the seconds that can have
	// closed are counted from the run's own start.
	n, ran := len(r.Intervals), killed.Sub(r.Test.Started)
	if closed := int(ran / time.Second); n < 5 || n > closed {
		t.Fatalf("%d seconds in the stream of a run killed %v after it started: want 5 to %d", n, ran.Round(time.Millisecond), closed)
	}
	for i, iv := range r.Intervals {
		if iv.Index != i || iv.Requests == 0 {
			t.Fatalf("interval %d: index %d, %d requests", i, iv.Index, iv.Requests)
		}
	}
	if lost := killed.Sub(r.Test.Ended); lost > 2500*time.Millisecond || lost < 0 {
		t.Fatalf("the stream ends %v before the kill: more than the last second lost", lost)
	}
	t.Logf("killed 10 s in: the stream holds %d seconds, ending %v before the kill; %d requests, p99 %v ms",
		n, killed.Sub(r.Test.Ended).Round(time.Millisecond), r.Aggregate.Requests, r.Aggregate.Latency.P99)
	if r.Aggregate.Latency.Sample != r.Aggregate.Requests || r.Aggregate.Latency.P99 <= 0 {
		t.Fatalf("aggregate latency %+v for %d requests", r.Aggregate.Latency, r.Aggregate.Requests)
	}
}

// TestStreamToStdoutCarriesOnlyTheStream: with --stream - standard
// output holds the stream's lines alone (the summary moves to stderr),
// and the stream saved from it is read as the results file.
func TestStreamToStdoutCarriesOnlyTheStream(t *testing.T) {
	srv, _ := countingServer(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	res := surge(t, context.Background(), "quick", srv.URL, "--rate", "20", "--duration", "2s", "--stream", "-", "-o", out)
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
	n := len(lines)
	if n < 4 || !strings.Contains(lines[0], results.StreamSchema) || !strings.HasPrefix(lines[n-1], `{"end":`) {
		t.Fatalf("stdout is not a header, the intervals and the end:\n%s", res.stdout)
	}
	for _, l := range lines[1 : n-1] {
		if !strings.HasPrefix(l, `{"interval":`) {
			t.Fatalf("not an interval: %s", l)
		}
	}
	if !strings.Contains(res.stderr, "p99") {
		t.Fatalf("no summary on stderr:\n%s", res.stderr)
	}
	saved := filepath.Join(dir, "saved")
	if err := os.WriteFile(saved, []byte(res.stdout), 0o600); err != nil {
		t.Fatal(err)
	}
	fromStream, err := results.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fromStream.Aggregate.Requests != 40 || fromStream.Aggregate.Latency != fromFile.Aggregate.Latency {
		t.Fatalf("stream: %d requests, latency %+v; results file: %+v", fromStream.Aggregate.Requests,
			fromStream.Aggregate.Latency, fromFile.Aggregate.Latency)
	}
	cut := filepath.Join(dir, "cut")
	if err := os.WriteFile(cut, []byte(strings.Join(lines[:2], "\n")+"\n"+lines[2][:40]), 0o600); err != nil {
		t.Fatal(err)
	}
	res = surge(t, context.Background(), "merge", cut, "-o", filepath.Join(dir, "m.json"))
	if res.code != ExitInterrupted || !strings.Contains(res.stderr, cut+": a stream cut short") {
		t.Errorf("surge merge: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	long := longCutStream(t, dir, fromFile)
	res = surge(t, context.Background(), "compare", long, long)
	if res.code != ExitOK || strings.Count(res.stderr, long+": a stream cut short") != 2 || !strings.Contains(res.stdout, "p99") {
		t.Errorf("surge compare: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// longCutStream writes a stream cut short after 12 s (compare needs ten)
// of r's first second repeated.
func longCutStream(t *testing.T, dir string, r *results.Results) string {
	t.Helper()
	path := filepath.Join(dir, "long.stream")
	f, err := results.CreateStream(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := results.NewStreamWriter(f, results.StreamHeader{Test: r.Test, Endpoints: []string{"GET /"}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		iv := r.Intervals[0]
		iv.Index, iv.Start = i, iv.Start.Add(time.Duration(i)*time.Second)
		if err := w.Interval(iv); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestStreamAndOutputMustDiffer(t *testing.T) {
	res := surge(t, context.Background(), "quick", "http://127.0.0.1:1/", "--stream", "r.json", "-o", "./r.json")
	if res.code != ExitUsage || !strings.Contains(res.stderr, "same file") {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
}

// TestCutStreamMessageCountsAlike: a stream cut just before its end line
// holds the test's last, shorter interval; the notice gives its length to
// the tenth and counts intervals, so the two agree (3.2 s, 4 intervals)
// instead of "after 3 s … its 4 seconds".
func TestCutStreamMessageCountsAlike(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cut.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := results.NewStreamWriter(f, results.StreamHeader{Endpoints: []string{"GET /"}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(1700000000, 0)
	for i, d := range []float64{1, 1, 1, 0.2} {
		iv := results.Interval{Index: i, Start: start.Add(time.Duration(i) * time.Second), DurationS: d,
			Endpoints: []results.EndpointCount{{}}}
		if err := w.Interval(iv); err != nil {
			t.Fatal(err)
		}
	}
	res := surge(t, context.Background(), "report", path, "-o", filepath.Join(dir, "r.html"))
	want := "after 3.2 s: the results are rebuilt from the 4 intervals it holds"
	if res.code != ExitOK || !strings.Contains(res.stderr, want) {
		t.Fatalf("exit %d, stderr %q; want %q", res.code, res.stderr, want)
	}
}
