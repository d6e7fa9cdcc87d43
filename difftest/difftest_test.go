package difftest

import (
	"bytes"
	"context"
	"flag"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/surge-dev/surge/internal/cli"
	"github.com/surge-dev/surge/results"
)

var only = flag.String("difftest.only", "", "run only the scripts whose name matches this regexp")

// TestSurgeMatchesArtillery runs every script of the suite with Surge
// against the recorder and compares the summary with the one recorded
// from Artillery 2.0.34.
func TestSurgeMatchesArtillery(t *testing.T) {
	dir, err := filepath.Abs("scripts")
	if err != nil {
		t.Fatal(err)
	}
	cases, err := Cases(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 12 {
		t.Fatalf("only %d scripts in the suite", len(cases))
	}
	t.Chdir(dir)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if *only != "" && !matches(*only, c.Name) {
				t.Skip("not selected")
			}
			golden, err := ReadGolden(GoldenPath(filepath.Join(dir, "..", "testdata", "golden"), c.Name))
			if err != nil {
				t.Fatalf("no golden (record it with difftest/record.sh): %v", err)
			}
			got := runSurge(t, c)
			want, _ := Canonical(golden)
			have, _ := Canonical(got)
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("Surge differs from Artillery (-artillery +surge):\n%s", diff)
			}
		})
	}
}

// runSurge runs one script through the command line, in-process.
func runSurge(t *testing.T, c Case) Summary {
	rec, err := StartRecorder()
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	for k, v := range c.Spec.Env {
		t.Setenv(k, v)
	}
	report := filepath.Join(t.TempDir(), "results.json")
	args := append([]string{"run", "-q", "-t", rec.URL(), "--output", report}, c.Spec.Args...)
	script := filepath.Base(c.Script)
	if c.Spec.SurgeScript != "" {
		script = c.Spec.SurgeScript
	}
	args = append(args, script)
	var out, errb bytes.Buffer
	code := cli.MainContext(context.Background(), args, cli.IO{Stdout: &out, Stderr: &errb})
	r, err := results.ReadFile(report)
	if err != nil {
		t.Fatalf("exit %d, no results: %v\n%s", code, err, errb.String())
	}
	return Summarize(Run{Entries: rec.Entries(), Counters: r.Counters, Stdout: out.String(), ExitCode: code}, c.Spec)
}
