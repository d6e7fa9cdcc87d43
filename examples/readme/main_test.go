package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/results"
)

// body is the body of function name in main.go, without its last line
// (the return the README's block leaves to its reader) and one tab less
// indented: as the README shows it.
func body(t *testing.T, src, name string) string {
	t.Helper()
	start := strings.Index(src, "\nfunc "+name+"(")
	if start < 0 {
		t.Fatalf("main.go has no func %s", name)
	}
	lines := strings.Split(src[start+1:], "\n")
	var out []string
	for _, l := range lines[1:] {
		if l == "}" {
			break
		}
		out = append(out, strings.TrimPrefix(l, "\t"))
	}
	return strings.Join(out[:len(out)-1], "\n") + "\n"
}

// The README shows the two functions' code as it is here, where it
// compiles (go vet ./... builds it).
func TestReadmeShowsTheExamples(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"withSession", "withEngine"} {
		if block := "```go\n" + body(t, string(src), name) + "```\n"; !strings.Contains(string(readme), block) {
			t.Errorf("README.md does not show %s as main.go has it:\n%s", name, block)
		}
	}
}

// The README's blocks do what the README says: built as they are but for
// the server's address, a test of one second instead of ten and the
// dashboard on a free port (go build -overlay: main.go stays as it is),
// each sends the plan's 200 requests a second; the first writes the
// results file and the report and prints the p99 and that it was not
// interrupted, the second prints its request count and p99.
func TestReadmeExamplesRun(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { served.Add(1) }))
	defer srv.Close()
	dir := t.TempDir()
	binary := build(t, dir, strings.NewReplacer("http://127.0.0.1:8080", srv.URL, "10 * time.Second", "1 * time.Second",
		"127.0.0.1:8089", "127.0.0.1:0"))
	cmd := exec.Command(binary)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^[0-9.]+ false\n200 [0-9.]+(µs|ms|s)\n`).Match(out) || served.Load() != 400 {
		t.Fatalf("served %d requests, output:\n%s\nwant 400, the p99 and false, then 200 and the p99", served.Load(), out)
	}
	r, err := results.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil || r.Aggregate.Requests != 200 || r.Test.Name != "health" {
		t.Fatalf("results.json: %v, %+v", err, r)
	}
	if _, err := os.Stat(filepath.Join(dir, "report.html")); err != nil {
		t.Fatal(err)
	}
}

// build compiles the program with main.go rewritten by r, through an
// overlay, into dir.
func build(t *testing.T, dir string, r *strings.Replacer) string {
	t.Helper()
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs("main.go")
	if err != nil {
		t.Fatal(err)
	}
	rewritten := filepath.Join(dir, "main.go")
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{abs: rewritten}})
	if err := os.WriteFile(rewritten, []byte(r.Replace(string(src))), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	binary := filepath.Join(dir, "readme")
	if out, err := exec.Command("go", "build", "-overlay", filepath.Join(dir, "overlay.json"), "-o", binary, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return binary
}
