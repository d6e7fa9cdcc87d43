package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputsMustNameDistinctFiles: two file outputs of a run that would
// write one file (by name, through a symbolic or hard link, or through
// "..") are a usage error before any load, whichever pair it is; "-" is
// standard output for --stream only.
func TestOutputsMustNameDistinctFiles(t *testing.T) {
	srv, served := countingServer(t)
	dir := t.TempDir()
	in := func(name string) string { return filepath.Join(dir, name) }
	if err := os.WriteFile(in("same.json"), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("same.json", in("link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(in("same.json"), in("hard.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(in("sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		args []string
		want string
	}{
		"stream through a link":  {[]string{"--stream", in("link.json"), "-o", in("same.json")}, "--output and --stream name the same file"},
		"a hard link":            {[]string{"--report", in("hard.json"), "-o", in("same.json")}, "--output and --report name the same file"},
		"stream and report":      {[]string{"--stream", in("x1"), "--report", in("x1")}, "--report and --stream name the same file"},
		"stream and junit":       {[]string{"--stream", in("x2"), "--junit", in("x2")}, "--junit and --stream name the same file"},
		"report and junit by ..": {[]string{"--report", in("sub/../x3"), "--junit", in("x3")}, "--report and --junit name the same file"},
		"-o -":                   {[]string{"-o", "-"}, `--output -: would create a file named "-": only --stream`},
		"--junit -":              {[]string{"--junit", "-"}, `--junit -: would create a file named "-": only --stream`},
	}
	for name, c := range cases {
		args := append([]string{"quick", srv.URL + "/", "--rate", "5", "--duration", "1s", "-q"}, c.args...)
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", name, res.code, res.stderr, c.want)
		}
	}
	if n := served.Load(); n != 0 {
		t.Fatalf("%d requests sent by runs refused as usage errors", n)
	}
	if b, _ := os.ReadFile(in("same.json")); string(b) != "{}" {
		t.Fatalf("same.json was written: %q", b)
	}
	for _, name := range []string{"x1", "x2", "x3"} {
		if _, err := os.Stat(in(name)); err == nil {
			t.Errorf("%s was created", name)
		}
	}
}

// TestDevNullTakesEveryOutput: /dev/null, a character device, may take
// several outputs at once, as it did before outputs had to differ.
func TestDevNullTakesEveryOutput(t *testing.T) {
	srv, _ := countingServer(t)
	res := surge(t, context.Background(), "quick", srv.URL+"/", "--rate", "5", "--duration", "1s", "-q",
		"-o", "/dev/null", "--report", "/dev/null", "--junit", "/dev/null", "--stream", "/dev/null")
	if res.code != ExitOK {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
}
