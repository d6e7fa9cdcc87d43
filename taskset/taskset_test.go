package taskset

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

type hits struct {
	mu sync.Mutex
	n  map[string]int
}

func server(t *testing.T) (*httptest.Server, *hits) {
	h := &hits{n: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.n[r.Method+" "+r.URL.Path]++
		h.mu.Unlock()
		if r.URL.Path == "/login" {
			w.Write([]byte(`{"token":"t1"}`))
			return
		}
		if r.Header.Get("Authorization") != "Bearer t1" {
			w.WriteHeader(401)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, h
}

func shopper() User {
	return User{
		Name: "shopper",
		Wait: Between(time.Millisecond, 3*time.Millisecond),
		OnStart: func(c *Client) error {
			var out struct{ Token string }
			if err := c.PostJSON("/login", map[string]string{"user": "a"}).JSON(&out); err != nil {
				return err
			}
			c.Header.Set("Authorization", "Bearer "+out.Token)
			return nil
		},
		Tasks: []Task{
			{Name: "browse", Weight: 3, Run: func(c *Client) error {
				return c.Get("/items").Err()
			}},
			{Name: "buy", Weight: 1, Run: func(c *Client) error {
				return c.Do("POST", "/cart", nil, nil).Err()
			}},
		},
	}
}

func TestClosedModelUsersLoopWeightedTasks(t *testing.T) {
	srv, h := server(t)
	test, err := Test(srv.URL, []schedule.Phase{{Kind: schedule.Users, Users: 3, Duration: 600 * time.Millisecond}}, shopper())
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	if h.n["POST /login"] != 3 {
		t.Fatalf("on_start ran %d times, want once per user (3)", h.n["POST /login"])
	}
	browse, buy := h.n["GET /items"], h.n["POST /cart"]
	if browse < 30 || buy == 0 || browse < buy {
		t.Fatalf("browse %d buy %d: want many tasks, weighted 3:1", browse, buy)
	}
	if res.Final.VUs.Failed != 0 || res.Final.Total.Codes[401] != 0 {
		t.Fatalf("failures: %+v codes %v", res.Final.VUs, res.Final.Total.Codes)
	}
	names := map[string]bool{}
	for _, e := range res.Final.Endpoints {
		if e.Requests > 0 {
			names[e.Name] = true
		}
	}
	for _, want := range []string{"shopper.on_start", "browse", "buy"} {
		if !names[want] {
			t.Errorf("no requests recorded under %q (have %v)", want, names)
		}
	}
}

func TestOpenModelRunsSetupAndOneTaskPerArrival(t *testing.T) {
	srv, h := server(t)
	test, err := Test(srv.URL, []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 5, Duration: 200 * time.Millisecond}}, shopper())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Run(context.Background(), *test); err != nil {
		t.Fatal(err)
	}
	if h.n["POST /login"] != 5 || h.n["GET /items"]+h.n["POST /cart"] != 5 {
		t.Fatalf("hits %v", h.n)
	}
}

func TestFailedSetupFailsTheUser(t *testing.T) {
	srv, h := server(t)
	u := shopper()
	u.OnStart = func(c *Client) error { return errors.New("no account") }
	test, _ := Test(srv.URL, []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 2}}, u)
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	if res.Final.VUs.Failed != 2 || len(h.n) != 0 {
		t.Fatalf("vus %+v hits %v", res.Final.VUs, h.n)
	}
}

func TestInvalidDefinitions(t *testing.T) {
	tests := []struct {
		name   string
		target string
		users  []User
	}{
		{"bad target", "ftp://x", []User{shopper()}},
		{"no users", "http://x", nil},
		{"no tasks", "http://x", []User{{Name: "idle"}}},
		{"unnamed task", "http://x", []User{{Name: "u", Tasks: []Task{{Run: func(*Client) error { return nil }}}}}},
		{"wait and pacing", "http://x", []User{{Name: "u", Wait: Constant(time.Second), Pacing: time.Second, Tasks: shopper().Tasks}}},
		{"negative pacing", "http://x", []User{{Name: "u", Pacing: -time.Second, Tasks: shopper().Tasks}}},
	}
	for _, tt := range tests {
		if _, err := Test(tt.target, nil, tt.users...); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

// A user without OnStart has no "<user>.on_start" endpoint: the summary
// and the results list only endpoints a request can be counted under.
func TestOnlyUsersWithOnStartHaveItsEndpoint(t *testing.T) {
	plain := shopper()
	plain.Name, plain.OnStart = "plain", nil
	test, err := Test("http://127.0.0.1:1", nil, shopper(), plain)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"shopper.on_start", "browse", "buy"}
	if !slices.Equal(test.Endpoints, want) {
		t.Fatalf("endpoints %q, want %q", test.Endpoints, want)
	}
}

// OnStop runs after the task of an open-model user, and not for a user
// whose OnStart failed (as Locust runs on_stop only for a user that
// started).
func TestOnStopRunsForUsersThatStarted(t *testing.T) {
	srv, h := server(t)
	u := shopper()
	u.OnStop = func(c *Client) error { return c.Do("POST", "/logout", nil, nil).Err() }
	test, _ := Test(srv.URL, []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 4, Duration: 200 * time.Millisecond}}, u)
	if _, err := engine.Run(context.Background(), *test); err != nil {
		t.Fatal(err)
	}
	if h.n["POST /logout"] != 4 {
		t.Fatalf("hits %v: want a logout per user", h.n)
	}
	u.OnStart = func(c *Client) error { return errors.New("no account") }
	test, _ = Test(srv.URL, []schedule.Phase{{Kind: schedule.Users, Users: 2, Duration: 200 * time.Millisecond}}, u)
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	if h.n["POST /logout"] != 4 || res.Final.VUs.Failed != 2 {
		t.Fatalf("hits %v, vus %+v: want no logout of a user that never started", h.n, res.Final.VUs)
	}
}
