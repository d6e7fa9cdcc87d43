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
	// Tasks are picked at random (open item is 1 in 3 of a browser's):
	// 8 users for 1.5 s ran about 12 browser tasks, none of them open
	// item about once in 130 runs. 24 users for 2 s run 18 browsers, at
	// least two tasks each: (2/3)^36, under one in a million.
	args := []string{"-t", srv.URL, "--users", "24", "--spawn-rate", "120", "--duration", "2s", "-o", out, "-q"}
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
