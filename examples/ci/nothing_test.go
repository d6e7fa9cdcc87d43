package ciexample

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/surge-dev/surge/internal/surgeexe"
)

// A change that breaks the scenario itself, so that the stress test
// sends nothing, fails the stress step: with no request, latency and the
// failure rates have no data and their thresholds neither pass nor fail,
// and count>0 is what catches it. Without it the run would pass and, on
// the first pipeline, become the baseline. stress.sh runs as the job runs
// it, beside a stress.yml whose scenario only thinks.
func TestStressFailsARunThatSentNothing(t *testing.T) {
	dir := t.TempDir()
	script, err := os.ReadFile("stress.sh")
	if err != nil {
		t.Fatal(err)
	}
	yml, err := os.ReadFile("stress.yml")
	if err != nil {
		t.Fatal(err)
	}
	phases, _, _ := strings.Cut(string(yml), "scenarios:")
	broken := phases + "scenarios:\n  - name: broken by the change\n    flow:\n      - think: 0.01\n"
	for name, data := range map[string][]byte{"stress.sh": script, "stress.yml": []byte(broken)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := surgeexe.Start(t, "target", "--addr", "127.0.0.1:0")
	cmd := exec.Command("bash", "-e", filepath.Join(dir, "stress.sh"), target, filepath.Join(dir, "out"))
	cmd.Env = append(surgeexe.PathWith(surgeexe.Install(t)), "RATE=5", "RAMP=1s", "DURATION=2s", "GITHUB_STEP_SUMMARY=")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "fail: count>0: count=0") {
		t.Fatalf("stress.sh on a scenario that sends nothing: %v\n%s", err, out)
	}
	junit, err := os.ReadFile(filepath.Join(dir, "out", "stress-junit.xml"))
	if err != nil {
		t.Fatal(err)
	}
	checkJUnit(t, string(junit), 4, 1)
}
