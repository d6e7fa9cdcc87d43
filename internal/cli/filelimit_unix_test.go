//go:build unix

package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// withFileLimit lowers the soft open-file limit for one test.
func withFileLimit(t *testing.T, soft uint64) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil || uint64(old.Cur) < soft {
		t.Skipf("limit %v, %v", old, err)
	}
	low := old
	setLimit(&low.Cur, soft)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &low); err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old) })
}

// setLimit sets an Rlimit field: uint64 on most systems, int64 on FreeBSD
// and DragonFly.
func setLimit[T int64 | uint64](field *T, v uint64) { *field = T(v) }

// TestConnectionsBeyondTheFileLimit: with more users (or a larger pool)
// than the process may open files, every further dial would fail with
// "too many open files"; now the test does not start, and the message
// says how to raise the limit.
func TestConnectionsBeyondTheFileLimit(t *testing.T) {
	srv, n := countingServer(t)
	withFileLimit(t, 512)
	script := filepath.Join(t.TempDir(), "s.yml")
	os.WriteFile(script, []byte("config:\n  phases:\n    - {duration: 5, users: 1000}\nscenarios: [{flow: [{get: {url: /}}]}]\n"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"quick", srv.URL, "-d", "30s", "--users", "1000"}, "--users 1000 (one connection per user): 1000 connections at once, but this process may open only 512 files"},
		{[]string{"quick", srv.URL, "-d", "30s", "-c", "600"}, "--connections 600: 600 connections"},
		{[]string{"run", "-t", srv.URL, script}, script + ":3:7: config.phases[0].users 1000 (one connection per user)"},
	} {
		res := surge(t, context.Background(), c.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) || !strings.Contains(res.stderr, "ulimit -n") {
			t.Errorf("%v: exit %d, stderr %q", c.args, res.code, res.stderr)
		}
	}
	// The server shares the limit in this process: 100 users take 200 files.
	if res := surge(t, context.Background(), "quick", srv.URL, "-d", "300ms", "--users", "100", "-q"); res.code != ExitOK {
		t.Errorf("100 users within a limit of 512: exit %d %s", res.code, res.stderr)
	}
	if n.Load() == 0 {
		t.Fatal("the run within the limit sent nothing")
	}
}
