package taskset

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/schedule"
)

// echo answers with what it received: method, content type, header X-Who
// and the JSON body, as JSON; /missing is a 404, /empty a 200 with {}.
func echo(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
			return
		case "/empty":
			w.Write([]byte(`{}`))
			return
		}
		body, _ := io.ReadAll(r.Body)
		json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "type": r.Header.Get("Content-Type"),
			"who": r.Header.Get("X-Who"), "body": string(body)})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// once runs run as the single task of one arrival against srv.
func once(t *testing.T, srv *httptest.Server, run func(c *Client) error) engine.Result {
	t.Helper()
	u := User{Name: "u", Host: srv.URL, Tasks: []Task{{Name: "task", Run: run}}}
	test, err := Test("", []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1}}, u)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

type echoed struct{ Method, Type, Who, Body string }

func TestJSONHelpersSendEveryMethod(t *testing.T) {
	srv := echo(t)
	item := map[string]int{"id": 7}
	var got []echoed
	once(t, srv, func(c *Client) error {
		c.Header.Set("X-Who", "ann")
		for _, r := range []*Response{c.Get("/"), c.PostJSON("/", item), c.PutJSON("/", item),
			c.PatchJSON("/", item), c.Delete("/"), c.JSON("OPTIONS", "/", item)} {
			var e echoed
			if err := r.JSON(&e); err != nil {
				return err
			}
			got = append(got, e)
		}
		return nil
	})
	want := []echoed{{"GET", "", "ann", ""}, {"POST", "application/json", "ann", `{"id":7}`},
		{"PUT", "application/json", "ann", `{"id":7}`}, {"PATCH", "application/json", "ann", `{"id":7}`},
		{"DELETE", "", "ann", ""}, {"OPTIONS", "application/json", "ann", `{"id":7}`}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("request %d: server saw %+v, want %+v", i, got[i], want[i])
		}
	}
}

// Failure fails a 200 and counts its reason; Success clears a 404; an
// unjudged 404 fails as the status says; the task's error names the
// reason the user failed for.
func TestFailureAndSuccessJudgeResponsesAsCatchResponse(t *testing.T) {
	srv := echo(t)
	var errs []error
	res := once(t, srv, func(c *Client) error {
		created := c.PostJSON("/empty", map[string]string{"name": "a"})
		var out struct{ ID int }
		if created.JSON(&out) != nil || out.ID == 0 {
			created.Failure("no id in the response")
		}
		expected := c.Get("/missing")
		expected.Success()
		unjudged := c.Get("/missing")
		errs = []error{created.Err(), expected.Err()}
		return unjudged.Err()
	})
	var f *Failure
	if !errors.As(errs[0], &f) || f.Reason != "no id in the response" || f.Name != "task" || errs[1] != nil {
		t.Fatalf("errors %v: want the failure, then nil", errs)
	}
	tot := res.Final.Total
	if tot.Requests != 3 || tot.Failures != 2 || tot.Codes[404] != 2 {
		t.Fatalf("requests %d, failures %d, codes %v: want 3, 2 (the judged 200 and the unjudged 404)", tot.Requests, tot.Failures, tot.Codes)
	}
	if n := res.Final.Counters["failures.task: no id in the response"]; n != 1 {
		t.Fatalf("counters %v: want the reason counted once", res.Final.Counters)
	}
	if fb := res.Final.Failures; len(fb) != 1 || fb[0].Reason != "HTTP 404" {
		t.Fatalf("VU failures %+v: want the user failed by the task's error", fb)
	}
}

// A no-response error cannot be overruled: Success leaves it an error.
func TestSuccessDoesNotHideAnError(t *testing.T) {
	u := User{Name: "u", Tasks: []Task{{Name: "t", Run: func(c *Client) error {
		r := c.Get("/")
		r.Success()
		return r.Err()
	}}}}
	test, err := Test("http://127.0.0.1:1", []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1}}, u)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *test)
	if err != nil {
		t.Fatal(err)
	}
	if res.Final.Total.Errors != 1 || res.Final.VUs.Failed != 1 {
		t.Fatalf("errors %d, failed users %d: want 1 and 1", res.Final.Total.Errors, res.Final.VUs.Failed)
	}
}

// A user waits Wait after each task: in 600 ms, a user waiting 100 ms
// runs at most 6 tasks, while one that does not wait runs many more.
func TestWaitPausesAfterEachTask(t *testing.T) {
	srv := echo(t)
	count := func(wait Wait) int64 {
		var n atomic.Int64
		u := User{Name: "u", Wait: wait, Tasks: []Task{{Name: "t", Run: func(c *Client) error {
			n.Add(1)
			return c.Get("/empty").Err()
		}}}}
		test, err := Test(srv.URL, []schedule.Phase{{Kind: schedule.Users, Users: 1, Duration: 600 * time.Millisecond}}, u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := engine.Run(context.Background(), *test); err != nil {
			t.Fatal(err)
		}
		return n.Load()
	}
	waited, free := count(Constant(100*time.Millisecond)), count(nil)
	if waited < 1 || waited > 6 || free < 3*waited {
		t.Fatalf("%d tasks waiting 100 ms, %d without waiting: want at most 6, and far fewer than without", waited, free)
	}
}

func TestBetweenStaysWithinItsBounds(t *testing.T) {
	w := Between(10*time.Millisecond, 20*time.Millisecond)
	for range 1000 {
		if d := w(); d < 10*time.Millisecond || d > 20*time.Millisecond {
			t.Fatalf("Between gave %v", d)
		}
	}
	if d := Between(time.Second, time.Millisecond)(); d != time.Second {
		t.Fatalf("an inverted range gave %v, want its minimum", d)
	}
}

// The test's target wins over a user's Host; a user without either is
// refused.
func TestHostIsTheDefaultTarget(t *testing.T) {
	srv := echo(t)
	u := User{Name: "u", Host: "http://127.0.0.1:1", Tasks: []Task{{Name: "t", Run: func(c *Client) error {
		return c.Get("/").Err()
	}}}}
	test, err := Test(srv.URL, []schedule.Phase{{Kind: schedule.Count, ArrivalCount: 1}}, u)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Run(context.Background(), *test)
	if err != nil || res.Final.Total.Codes[200] != 1 {
		t.Fatalf("err %v, codes %v: want the target's 200", err, res.Final.Total.Codes)
	}
	u.Host = ""
	if _, err := Test("", nil, u); err == nil {
		t.Fatal("a user without Host and no target was accepted")
	}
}
