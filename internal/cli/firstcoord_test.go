package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/results"
)

// Three processes given one command line but for --segment K/3, as the
// pods of an Indexed Job are: the first share's coordinates (the workers
// started before it, as pods start in any order), every arrival of the
// plan is sent once, the first writes the merged -o and --report to the
// shared directory, and the token (from the environment) is in none of
// the files nor the output.
func TestCoordinateIfFirstChoosesTheRoleByTheShare(t *testing.T) {
	srv, received := indexServer(t)
	dir := t.TempDir()
	script := indexScript(t, dir, srv.URL, "{duration: 1, arrivalCount: 30}")
	merged, report, stream := filepath.Join(dir, "merged.json"), filepath.Join(dir, "report.html"), filepath.Join(dir, "merged.jsonl")
	addr := freeaddr.Loopback(t)
	const token = "first-share-token-0123456789abcdef"
	codes, stderrs := runIfFirst(t, addr, token, script, "-o", merged, "--report", report, "--stream", stream)
	for k, code := range codes {
		if code != ExitOK {
			t.Fatalf("share %d/3: exit %d: %s", k, code, stderrs[k])
		}
	}
	if !strings.Contains(stderrs[0], "coordinator: listening on "+addr+" for the shares of 0:1/3:2/3:1 (3 in all)") ||
		!strings.Contains(stderrs[1], "-o, --report and --stream are written by the first share's process") {
		t.Fatalf("want share 0 coordinating and the workers leaving -o to it:\n%s\n---\n%s", stderrs[0], stderrs[1])
	}
	got := byPathAndIndex(received())
	r, err := results.ReadFile(merged)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 30 || r.Aggregate.Requests != 30 || len(r.Plan.Clocks) != 3 {
		t.Fatalf("%d arrivals reached the server, merged %d requests and %d clocks; want the plan's 30 once each, 3 shares", len(got), r.Aggregate.Requests, len(r.Plan.Clocks))
	}
	if s, err := results.ReadFile(stream); err != nil || s.Aggregate.Requests != 30 || s.Test.CutShort {
		t.Fatalf("the merged stream: %v, %+v", err, s)
	}
	for _, path := range []string{merged, report, stream} {
		text, err := os.ReadFile(path)
		if err != nil || bytes.Contains(text, []byte(token)) {
			t.Errorf("%s: %v, or the token is in it", path, err)
		}
	}
	for k, s := range stderrs {
		if strings.Contains(s, token) {
			t.Errorf("share %d printed the token", k)
		}
	}
}

// A threshold failed on the merged seconds fails every process: the first
// share's judges it, the workers exit with its verdict.
func TestCoordinateIfFirstWorkersExitWithTheVerdict(t *testing.T) {
	srv, _ := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 1, arrivalCount: 30}")
	codes, stderrs := runIfFirst(t, freeaddr.Loopback(t), "", script, "--threshold", "http_req_duration: p(99)<0.001")
	for k, code := range codes {
		if code != ExitThresholds {
			t.Errorf("share %d/3: exit %d, want %d: %s", k, code, ExitThresholds, stderrs[k])
		}
	}
}

// runIfFirst runs shares 1 and 2 and then 0 of 3 with one command line,
// and returns their exit codes and standard errors by share.
func runIfFirst(t *testing.T, addr, token, script string, extra ...string) ([3]int, [3]string) {
	t.Helper()
	var env []string
	if token != "" {
		env = []string{"SURGE_COORDINATOR_TOKEN=" + token}
	}
	var cmds [3]*exec.Cmd
	var errs [3]*bytes.Buffer
	for _, k := range []int{1, 2, 0} {
		args := []string{"run", "-q", "--segment", fmt.Sprintf("%d/3", k), "--coordinator", addr, "--coordinate-if-first",
			"--listen", addr, "--wait", "30s"}
		cmds[k], errs[k] = surgeProcessEnv(t, env, append(append(args, extra...), script)...)
		time.Sleep(300 * time.Millisecond) // the workers retry until the first listens
	}
	var codes [3]int
	var stderrs [3]string
	for k, cmd := range cmds {
		codes[k] = waitExit(t, cmd, func() { cmd.Process.Kill() }, 90*time.Second)
		stderrs[k] = errs[k].String()
	}
	return codes, stderrs
}

// --coordinate-if-first without what it chooses by is a usage error
// before any load.
func TestCoordinateIfFirstFlagErrors(t *testing.T) {
	srv, received := indexServer(t)
	script := indexScript(t, t.TempDir(), srv.URL, "{duration: 1, arrivalRate: 10}")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--coordinate-if-first", "--segment", "0/2"}, "needs --coordinator ADDR"},
		{[]string{"--coordinate-if-first", "--coordinator", "127.0.0.1:1"}, "needs --segment"},
		{[]string{"--coordinate-if-first", "--local", "2"}, "does not go with --coordinate or --local"},
		{[]string{"--coordinate-if-first", "--coordinator", "127.0.0.1:1", "--segment", "2/2"}, "--segment: "},
		{[]string{"--coordinate-if-first", "--coordinator", "127.0.0.1:1", "--segment", "0/2", "--listen", "0.0.0.0:7337"}, "need --coordinator-token"},
		{[]string{"--coordinate-if-first", "--coordinator", "job-0.job:7337", "--segment", "1/2", "--listen", "127.0.0.1:0"}, "need --coordinator-token"},
		{[]string{"--coordinator", "127.0.0.1:1", "--segment", "1/2", "--listen", "127.0.0.1:0"}, "--listen goes with --coordinate or --coordinate-if-first"},
	} {
		res := surge(t, context.Background(), append(append([]string{"run", "-q", "--coordinator-token", ""}, tc.args...), script)...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, want 2 with %q: %s", tc.args, res.code, tc.want, res.stderr)
		}
	}
	if n := len(received()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}
