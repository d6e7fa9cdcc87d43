package engine

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/surge-dev/surge/schedule"
)

// TestIdleUserHoldsNoJarBodyOrClient checks what a user holds that the
// requests it sends do not need: ten thousand users waiting on a slow
// server each held an empty cookie jar, a response body reader and an
// http.Client alike for all, about 300 of its 2.3 KB of live heap. A user gets a jar
// with its first cookie, and users in Shared mode share one client.
func TestIdleUserHoldsNoJarBodyOrClient(t *testing.T) {
	var seen atomic.Int64
	srv := httptest.NewServer(sessionHandler(&seen))
	t.Cleanup(srv.Close)
	plain := prepare(t, "GET", srv.URL+"/plain", "")
	login := prepare(t, "GET", srv.URL+"/login", "")
	var mu sync.Mutex
	clients := map[any]bool{}
	var held, jarless, cookied atomic.Int64
	_, err := Run(context.Background(), Test{
		Phases: []schedule.Phase{{Kind: schedule.Users, Users: 3, SpawnRate: 30, Duration: 300 * time.Millisecond}},
		Scenarios: []Scenario{{Name: "idle", Run: func(_ context.Context, vu *VU) error {
			if err := vu.Send(0, plain); err != nil {
				return err
			}
			mu.Lock()
			clients[vu.client] = true
			mu.Unlock()
			if vu.body != nil {
				held.Add(1)
			}
			if vu.jar == nil {
				jarless.Add(1)
			}
			if err := vu.Send(0, login); err != nil {
				return err
			}
			if vu.jar.Active() {
				cookied.Add(1)
			}
			return nil
		}}},
		Conns: Shared,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(clients) != 1 {
		t.Errorf("%d clients for the users of one Shared test, want 1", len(clients))
	}
	if n := held.Load(); n != 0 {
		t.Errorf("%d iterations held a body reader after Send, which reads none", n)
	}
	// A user's first iteration has no jar yet; after /login it has one,
	// with the session cookie in it, for the rest of its life.
	if n := jarless.Load(); n != 3 {
		t.Errorf("%d iterations had no jar before their first cookie, want 3 (one per user)", n)
	}
	// The phase's end may stop each user between its two requests.
	if c, s := cookied.Load(), seen.Load(); c == 0 || c < s-3 {
		t.Errorf("%d iterations had a jar on after /login, want all but the last of each user of the %d", c, s)
	}
}
