package main

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/surge-dev/surge"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/testbed"
)

// The starter's users run against the built-in target, with surge run's
// load flags, without a failed task, every task's requests under its
// name, and the results written.
func TestStarterUsersRunAgainstTheTarget(t *testing.T) {
	h, err := testbed.New(testbed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "results.json")
	var stderr bytes.Buffer
	args := []string{"-t", srv.URL, "--users", "8", "--spawn-rate", "40", "--duration", "1500ms", "-o", out, "-q"}
	if code := surge.Run(args, &stderr, &stderr, browser(), creator()); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for _, e := range r.Endpoints {
		byName[e.Name] = e.Requests
	}
	for _, task := range []string{"list items", "open item", "create item"} {
		if byName[task] == 0 {
			t.Errorf("task %q sent no request: %v", task, byName)
		}
	}
	if r.Aggregate.Failures != 0 || r.Counters["vusers.failed"] != 0 {
		t.Fatalf("%d failed requests, %d failed users", r.Aggregate.Failures, r.Counters["vusers.failed"])
	}
}
