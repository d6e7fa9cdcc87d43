package main

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/testbed"
)

func TestExampleUsersRunAgainstTheTarget(t *testing.T) {
	h, err := testbed.New(testbed.Config{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	test, err := buildTest(srv.URL, 4, 800*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for _, e := range res.Final.Endpoints {
		byName[e.Name] = e.Requests
	}
	if byName["list items"] == 0 || res.Final.VUs.Failed != 0 || res.Final.Total.Errors != 0 {
		t.Fatalf("requests by task %v, vus %+v, errors %d", byName, res.Final.VUs, res.Final.Total.Errors)
	}
	for code := range res.Final.Total.Codes {
		if code >= 400 {
			t.Fatalf("status codes %v", res.Final.Total.Codes)
		}
	}
}
