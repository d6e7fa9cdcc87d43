package cli

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// postLoad posts body to the dashboard's /api/load and decodes the state
// (or the error) it answers.
func postLoad(t *testing.T, addr, body string) (code int, st map[string]any) {
	t.Helper()
	resp, err := http.Post("http://"+addr+"/api/load", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	json.NewDecoder(resp.Body).Decode(&st)
	return resp.StatusCode, st
}

// perSecond is how many requests n counted over the next second.
func perSecond(n *atomic.Int64) int64 {
	before := n.Load()
	time.Sleep(time.Second)
	return n.Load() - before
}

func TestDashboardSwitchesBetweenUsersAndArrivals(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		time.Sleep(50 * time.Millisecond)
	}))
	defer srv.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult)
	go func() {
		done <- surge(t, ctx, "quick", srv.URL, "--users", "2", "--duration", "30s", "--dashboard="+addr, "-q")
	}()
	defer func() { cancel(); <-done }()
	for i := 0; i < 50 && n.Load() == 0; i++ {
		time.Sleep(100 * time.Millisecond)
	}
	users := perSecond(&n) // 2 users of 50 ms requests: about 40 a second

	code, st := postLoad(t, addr, `{"rate": 200}`)
	if code != http.StatusOK || st["model"] != "open" || st["rate"] != 200.0 {
		t.Fatalf("switching to a rate: %d %v", code, st)
	}
	time.Sleep(300 * time.Millisecond)
	arrivals := perSecond(&n)

	code, st = postLoad(t, addr, `{"users": 1}`)
	if code != http.StatusOK || st["model"] != "closed" || st["users"] != 1.0 {
		t.Fatalf("switching back to users: %d %v", code, st)
	}
	time.Sleep(300 * time.Millisecond)
	user := perSecond(&n) // 1 user: about 20 a second
	t.Logf("requests a second: 2 users %d, 200/s %d, 1 user %d", users, arrivals, user)
	if users > 60 || arrivals < 120 || user > 30 || user == 0 {
		t.Fatalf("requests a second: 2 users %d, 200/s %d, 1 user %d: want about 40, 200, 20", users, arrivals, user)
	}
	if code, st = postLoad(t, addr, `{"rate": 5, "users": 3}`); code == http.StatusOK {
		t.Fatalf("a rate and users at once were accepted: %v", st)
	}
}
