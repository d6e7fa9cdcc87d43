package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/session"
	"github.com/surge-dev/surge/testbed"
)

// The starter's users run against the built-in target without a failed
// task, every task's requests under its name, and the results written.
func TestStarterUsersRunAgainstTheTarget(t *testing.T) {
	h, err := testbed.New(testbed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	test, err := buildTest(srv.URL, 8, 40, 1500*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "results.json")
	if _, err := session.Run(context.Background(), test, results.Test{Name: "go users"}, session.Options{ResultsFile: out}); err != nil {
		t.Fatal(err)
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
