package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/surge-dev/surge/results"
)

func TestExampleWritesAResultsFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.json")
	err := run(context.Background(), config{rate: 40, duration: time.Second, output: out})
	if err != nil {
		t.Fatal(err)
	}
	r, err := results.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Aggregate.Requests != 40 || r.Aggregate.Codes["200"] != 40 || r.Endpoints[0].Name != "GET /sleep" || r.Test.Name != "example" {
		t.Fatalf("results: %d requests, codes %v, endpoints %v, test %+v",
			r.Aggregate.Requests, r.Aggregate.Codes, r.Endpoints, r.Test)
	}
}
