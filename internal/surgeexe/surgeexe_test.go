package surgeexe

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { Main(m) }

// The installed surge is the command line: a shell finds it in PATH and
// gets surge's output and exit codes.
func TestInstalledSurgeRunsTheCommandLine(t *testing.T) {
	cmd := exec.Command("sh", "-c", "surge compare --format nope a b; echo \"exit $?\"")
	cmd.Env = PathWith(Install(t))
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), `--format "nope"`) || !strings.Contains(string(out), "exit 2") {
		t.Fatalf("output:\n%s", out)
	}
}

// Start returns the address the target listens on, and it answers there.
func TestStartReturnsTheTargetsAddress(t *testing.T) {
	url := Start(t, "target", "--addr", "127.0.0.1:0")
	resp, err := http.Get(url + "/status/204")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
}
