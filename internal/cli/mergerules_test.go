package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A rule surge merge cannot judge (a threshold that does not parse, one
// on an endpoint the test lacks, an alerts file that cannot be read) is a
// usage error before anything is written: the merged file and the report
// were written, and the summary printed, before the command said exit 2.
func TestMergeRefusesAWrongRuleBeforeWriting(t *testing.T) {
	srv, _ := pathCounter(t)
	dir := t.TempDir()
	script := splitScript(t, dir, srv.URL, "    maxErrorRate: 100")
	files := runShares(t, dir, script, [][]string{{"--segment", "0/2"}, {"--segment", "1/2"}})
	merged, report := filepath.Join(dir, "merged.json"), filepath.Join(dir, "merged.html")
	for _, c := range []struct{ rule []string }{
		{[]string{"--threshold", "p(99)<<3"}},
		{[]string{"--threshold", "GET /z: p(99)<60s"}},
		{[]string{"--alerts", filepath.Join(dir, "no-alerts.yml")}},
	} {
		args := append(append([]string{"merge", "-o", merged, "--report", report}, c.rule...), files...)
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage {
			t.Errorf("%v: exit %d, want 2: %s", c.rule, res.code, res.stderr)
		}
		if strings.Contains(res.stdout, "Summary") {
			t.Errorf("%v: the summary was printed before the error:\n%s", c.rule, res.stdout)
		}
		for _, out := range []string{merged, report} {
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%v: %s written, though the merge was refused", c.rule, filepath.Base(out))
				os.Remove(out)
			}
		}
	}
}
