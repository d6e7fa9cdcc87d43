package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputMayNotReplaceAnInput: an output naming a file the command
// reads (by name or through a link) is a usage error before anything is
// read or sent, and the input is left as it was. Before, surge report
// run.json -o run.json replaced the only copy of a test's results with
// its HTML page, surge merge a.json b.json -o b.json a share with the
// merged file, and surge run load.yml -o load.yml the script.
func TestOutputMayNotReplaceAnInput(t *testing.T) {
	srv, served := countingServer(t)
	dir := t.TempDir()
	in := func(name string) string { return filepath.Join(dir, name) }
	script := "config:\n  target: " + srv.URL + "\n  phases: [{duration: 1, arrivalRate: 2}]\n" +
		"scenarios:\n  - flow: [{get: {url: /}}]\n"
	writeFile(t, in("load.yml"), script)
	writeFile(t, in("targets.txt"), "GET "+srv.URL+"/\n")
	writeFile(t, in("users.csv"), "alice\nbob\n")
	writeFile(t, in("payload.yml"), strings.Replace(script, "  phases:", "  payload: {path: users.csv, fields: [name]}\n  phases:", 1))
	res := surge(t, context.Background(), "run", "-q", "-o", in("a.json"), in("load.yml"))
	if res.code != ExitOK {
		t.Fatalf("run: exit %d: %s", res.code, res.stderr)
	}
	copyFile(t, in("a.json"), in("b.json"))
	if err := os.Symlink("a.json", in("link.html")); err != nil {
		t.Fatal(err)
	}
	before := served.Load()
	cases := map[string][]string{
		"report -o its input":        {"report", in("a.json"), "-o", in("a.json")},
		"report -o a link to it":     {"report", in("a.json"), "-o", in("link.html")},
		"compare --report the head":  {"compare", in("a.json"), in("b.json"), "--report", in("b.json")},
		"compare --junit LABEL=PATH": {"compare", "main=" + in("a.json"), in("b.json"), "--junit", in("a.json")},
		"merge -o a share":           {"merge", in("a.json"), "-o", in("a.json")},
		"merge --report the script":  {"merge", in("a.json"), "--script", in("load.yml"), "--report", in("load.yml")},
		"run -o its script":          {"run", "-q", "-o", in("load.yml"), in("load.yml")},
		"run --stream its script":    {"run", "-q", "--stream", in("load.yml"), in("load.yml")},
		"run -o its payload":         {"run", "-q", "-o", in("users.csv"), in("payload.yml")},
		"quick -o its targets":       {"quick", "--targets", in("targets.txt"), "-n", "2", "-q", "-o", in("targets.txt")},
		"quick --report its body":    {"quick", srv.URL, "--body", "@" + in("targets.txt"), "-n", "2", "-q", "--report", in("targets.txt")},
	}
	originals := map[string][]byte{}
	for _, name := range []string{"a.json", "b.json", "load.yml", "targets.txt", "users.csv"} {
		originals[name] = readFile(t, in(name))
	}
	for name, args := range cases {
		res := surge(t, context.Background(), args...)
		if res.code != ExitUsage || !strings.Contains(res.stderr, "names the same file as the input") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the input named", name, res.code, res.stderr)
		}
	}
	for name, data := range originals {
		if !bytes.Equal(readFile(t, in(name)), data) {
			t.Errorf("%s was replaced", name)
		}
	}
	if n := served.Load() - before; n != 0 {
		t.Errorf("%d requests sent by runs refused as usage errors", n)
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	writeFile(t, to, string(readFile(t, from)))
}
