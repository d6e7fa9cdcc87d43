package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

// splitScript writes a script of 120 arrivals over two weighted
// scenarios, each one request, with ensure checks on the whole test's
// request count (which no share alone meets) and a threshold.
func splitScript(t *testing.T, dir, target, ensure string) string {
	t.Helper()
	path := filepath.Join(dir, "load.yml")
	script := fmt.Sprintf(`config:
  target: %s
  phases: [{duration: 0.5, arrivalCount: 120}]
  plugins: {ensure: {}}
  ensure:
%s
scenarios:
  - {name: x, weight: 1, flow: [{get: {url: /x}}]}
  - {name: y, weight: 3, flow: [{get: {url: /y}}]}
`, target, ensure)
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func pathCounter(t *testing.T) (*httptest.Server, func() map[string]int64) {
	var x, y atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/x" {
			x.Add(1)
		} else {
			y.Add(1)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() map[string]int64 { return map[string]int64{"/x": x.Swap(0), "/y": y.Swap(0)} }
}

// runShares runs the script once per share, as separate processes would,
// and returns their results files.
func runShares(t *testing.T, dir, script string, shares [][]string) []string {
	t.Helper()
	var files []string
	for i, flags := range shares {
		out := filepath.Join(dir, fmt.Sprintf("share%d.json", i))
		args := append(append([]string{"run", "-q", "-o", out}, flags...), script)
		res := surge(t, context.Background(), args...)
		if res.code != ExitOK || !strings.Contains(res.stderr, "ensure: not evaluated on one share") {
			t.Fatalf("share %v: exit %d, want 0 and the checks left to merge: %s", flags, res.code, res.stderr)
		}
		files = append(files, out)
	}
	return files
}

func TestRunSharesAndMergeThem(t *testing.T) {
	srv, counts := pathCounter(t)
	dir := t.TempDir()
	script := splitScript(t, dir, srv.URL, `    conditions:
      - expression: "http.requests == 120"
    thresholds:
      - http.response_time.p99: 60000`)
	single := filepath.Join(dir, "single.json")
	if res := surge(t, context.Background(), "run", "-q", "-o", single, script); res.code != ExitOK {
		t.Fatalf("single run: exit %d: %s", res.code, res.stderr)
	}
	want := counts()
	for _, shares := range [][][]string{
		{{"--segment", "0/4"}, {"--segment", "1/4"}, {"--segment", "2/4"}, {"--segment", "3/4"}},
		{{"--segments", "0:1/6:1/2:1", "--segment", "1/2:1"}, {"--segments", "0:1/6:1/2:1", "--segment", "0:1/6"},
			{"--segments", "0:1/6:1/2:1", "--segment", "1/6:1/2"}},
	} {
		files := runShares(t, dir, script, shares)
		if got := counts(); got["/x"] != want["/x"] || got["/y"] != want["/y"] {
			t.Fatalf("the shares sent %v, the single run %v", got, want)
		}
		merged := filepath.Join(dir, "merged.json")
		args := append(append([]string{"merge", "-o", merged, "--script", script}, files...), "--report", filepath.Join(dir, "m.html"))
		res := surge(t, context.Background(), args...)
		if res.code != ExitOK || !strings.Contains(res.stdout, "ok: http.requests == 120") {
			t.Fatalf("merge: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
		}
		r, err := results.ReadFile(merged)
		if err != nil {
			t.Fatal(err)
		}
		s, err := results.ReadFile(single)
		if err != nil {
			t.Fatal(err)
		}
		if r.Aggregate.Requests != 120 || r.Endpoints[0].Requests != s.Endpoints[0].Requests || r.Plan.SHA256 == s.Plan.SHA256 {
			t.Errorf("merged: %d requests, endpoint %s %d (single %d), plan %s (single %s: their sequences differ)",
				r.Aggregate.Requests, r.Endpoints[0].Name, r.Endpoints[0].Requests, s.Endpoints[0].Requests, r.Plan.SHA256, s.Plan.SHA256)
		}
		if res := surge(t, context.Background(), "report", merged, "-o", filepath.Join(dir, "r.html")); res.code != ExitOK {
			t.Errorf("surge report of the merged file: exit %d: %s", res.code, res.stderr)
		}
	}
}

// The merged verdict is surge run's: a failed ensure check exits 1; a
// share's own checks see only its slice.
func TestMergeExitsWithTheVerdict(t *testing.T) {
	srv, _ := pathCounter(t)
	dir := t.TempDir()
	failing := splitScript(t, dir, srv.URL, `    conditions:
      - expression: "http.requests < 100"`)
	files := runShares(t, dir, failing, [][]string{{"--segment", "0/2"}, {"--segment", "1/2"}})
	res := surge(t, context.Background(), append([]string{"merge", "--script", failing}, files...)...)
	if res.code != ExitThresholds || !strings.Contains(res.stdout, "fail: http.requests < 100") {
		t.Fatalf("merge with a failing check: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := surge(t, context.Background(), append([]string{"merge", "-q"}, files...)...); res.code != ExitOK {
		t.Fatalf("merge without a script: exit %d: %s", res.code, res.stderr)
	}
	// Thresholds are judged on the merged seconds: the whole test's
	// requests, not one share's.
	junit := filepath.Join(dir, "merge.xml")
	res = surge(t, context.Background(), append([]string{"merge", "-q", "--junit", junit,
		"--threshold", "p(99)<60s", "--threshold", "failure_rate>50%"}, files...)...)
	if res.code != ExitThresholds || !strings.Contains(res.stdout, "ok: p(99)<60s") || !strings.Contains(res.stdout, "fail: failure_rate>50%") {
		t.Fatalf("merge with thresholds: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if x, err := os.ReadFile(junit); err != nil || !strings.Contains(string(x), `type="ThresholdFailed"`) {
		t.Errorf("merge --junit: %v\n%s", err, x)
	}
	res = surge(t, context.Background(), append([]string{"merge", "-q", "--threshold", "GET /z: p(99)<60s"}, files...)...)
	if res.code != ExitUsage || !strings.Contains(res.stderr, `the test has no endpoint "GET /z"`) {
		t.Errorf("merge with a threshold on no endpoint: exit %d\n%s", res.code, res.stderr)
	}
}

func TestMergeAndSegmentErrors(t *testing.T) {
	srv, counts := pathCounter(t)
	dir := t.TempDir()
	script := splitScript(t, dir, srv.URL, "    maxErrorRate: 100")
	files := runShares(t, dir, script, [][]string{{"--segment", "0/3"}, {"--segment", "1/3"}})
	other := runShares(t, t.TempDir(), script, [][]string{{"--segment", "2/3", "--seed", "5"}})
	counts()
	tests := []struct {
		args []string
		want string
	}{
		{append([]string{"merge"}, files...), "shares missing from the sequence 0:1/3:2/3:1: 2/3:1 (2 of 3 given)"},
		{append([]string{"merge"}, append(files, other...)...), "not shares of one test"},
		{append([]string{"merge"}, files[0], files[0]), "both hold the share 0:1/3"},
		{[]string{"merge", filepath.Join(dir, "none.json")}, "no such file"},
		{append([]string{"merge", "--script", filepath.Join(dir, "none.yml")}, files...), "none.yml"},
		{append([]string{"merge", "-o", dir}, files...), "--output"},
		{[]string{"run", "--segment", "3/3", script}, "--segment: segment \"3/3\": want 0 <= K < N"},
		{[]string{"run", "--segment", "1/2:1", script}, "needs the whole sequence (--segments)"},
		{[]string{"run", "--segments", "0:1/2:1", script}, "--segments needs --segment"},
		{[]string{"run", "--segments", "0:1/2:1", "--segment", "0:1/3", script}, "not one of the shares"},
	}
	for _, tt := range tests {
		res := surge(t, context.Background(), tt.args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, tt.want) {
			t.Errorf("surge %s: exit %d, stderr %q; want 2 and %q", strings.Join(tt.args, " "), res.code, res.stderr, tt.want)
		}
	}
	if got := counts(); got["/x"]+got["/y"] != 0 {
		t.Errorf("refused commands sent %v", got)
	}
}

// Shares started over a second apart (by their own clocks) are merged,
// as hand-started shares are, but surge merge says so: files of two runs
// of one test (a share run again, a stale file) would otherwise pass for
// one test without a word.
func TestMergeSaysWhenTheSharesStartedApart(t *testing.T) {
	srv, _ := pathCounter(t)
	dir := t.TempDir()
	script := splitScript(t, dir, srv.URL, "    maxErrorRate: 100")
	files := runShares(t, dir, script, [][]string{{"--segment", "0/2"}, {"--segment", "1/2"}})
	first, err := results.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		after time.Duration
		warn  bool
	}{{0, false}, {90 * time.Second, true}} {
		second, err := results.ReadFile(files[1])
		if err != nil {
			t.Fatal(err)
		}
		second.Test.Started = first.Test.Started.Add(tc.after)
		if err := results.WriteFile(files[1], second); err != nil {
			t.Fatal(err)
		}
		res := surge(t, context.Background(), append([]string{"merge", "-q"}, files...)...)
		warned := strings.Contains(res.stderr, "merge: the shares started 1m30s apart by their own clocks ("+files[1]+" the latest")
		if res.code != ExitOK || warned != tc.warn || (!tc.warn && res.stderr != "") {
			t.Errorf("second share %v after the first: exit %d, stderr %q; want 0 and a warning: %v", tc.after, res.code, res.stderr, tc.warn)
		}
	}
}
