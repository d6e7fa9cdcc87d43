package taskset

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

// A task that panics after sending a request fails its user, as Locust
// counts an exception in a task, and the request it sent is counted:
// the results still agree with the server.
func TestAPanickingTaskFailsTheUserAndItsRequestCounts(t *testing.T) {
	srv, h := server(t)
	u := User{Name: "careless", Tasks: []Task{{Name: "read", Run: func(c *Client) error {
		c.Get("/items")
		_ = c.Vars["token"].(string) // no token: the type assertion panics
		return nil
	}}}}
	test, _ := Test(srv.URL, []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 10, Duration: 200 * time.Millisecond}}, u)
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	if h.n["GET /items"] != 10 || res.Final.Total.Requests != 10 {
		t.Fatalf("served %v, recorded %d requests: want 10 of each", h.n, res.Final.Total.Requests)
	}
	f := res.Final.Failures
	if res.Final.VUs.Failed != 10 || len(f) != 1 || f[0].Reason != "panic" || !strings.Contains(f[0].First, "panic_test.go:") {
		t.Fatalf("failed %d, by reason %+v: want 10 panics, saying where", res.Final.VUs.Failed, f)
	}
}

// An OnStart that panics fails its user as an OnStart error does: the
// user runs no task, however often the closed model calls it again.
func TestAPanickingOnStartFailsTheUser(t *testing.T) {
	srv, h := server(t)
	u := shopper()
	u.OnStart = func(c *Client) error {
		c.PostJSON("/login", nil)
		var token *string
		c.Header.Set("Authorization", *token) // a nil pointer: Go panics
		return nil
	}
	test, _ := Test(srv.URL, []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 300 * time.Millisecond}}, u)
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	if h.n["POST /login"] != 2 || len(h.n) != 1 || res.Final.Total.Requests != 2 {
		t.Fatalf("served %v, recorded %d: want the 2 logins and no task", h.n, res.Final.Total.Requests)
	}
	if res.Final.VUs.Failed != 2 || res.Final.Failures[0].Reason != "panic" {
		t.Fatalf("vus %+v, failures %+v: want 2 users failed by a panic", res.Final.VUs, res.Final.Failures)
	}
}
