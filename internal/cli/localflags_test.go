package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// --local's workers load the script themselves, with the flags that
// shape the test: the scripts --input merges in, the variables of
// --dotenv, the scenario --scenario-name picks and --solo's one VU among
// them. A worker given fewer had another plan than its coordinator, and
// a test that runs alone was refused (exit 2 or 3) under --local.
func TestLocalWorkersGetTheScriptFlags(t *testing.T) {
	srv, received := indexServer(t)
	dir := t.TempDir()
	script := indexScript(t, dir, srv.URL, "{duration: 3, arrivalRate: 2}")
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	input := write("fast.yml", `config: {phases: [{duration: 1, arrivalRate: "{{ $env.QA_LOCAL_RATE }}"}]}`+"\n")
	dotenv := write("local.env", "QA_LOCAL_RATE=6\n")
	for _, c := range []struct {
		flags    []string
		requests int
	}{
		{[]string{"-i", input, "--dotenv", dotenv, "--scenario-name", "x"}, 6},
		{[]string{"--solo"}, 1},
	} {
		args := append(append([]string{"run", "-q", "--local", "2"}, c.flags...), script)
		cmd, stderr := surgeProcess(t, args...)
		if code := waitExit(t, cmd, func() { cmd.Process.Kill() }, 60*time.Second); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", c.flags, code, stderr)
		}
		got := received()
		if len(got) != c.requests {
			t.Errorf("%v: %d requests, want %d as one process sends", c.flags, len(got), c.requests)
		}
		for _, a := range got {
			if c.flags[0] == "-i" && !strings.HasPrefix(a.path, "/x/") {
				t.Errorf("%v: a request to %s, not of the scenario x", c.flags, a.path)
			}
		}
	}
}
