package h1

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/surge-dev/surge/internal/freeaddr"
)

// TestWarmOpensIdleConnections checks that Warm leaves n connections
// idle, that requests then use them without dialling, and that a second
// Warm opens none.
func TestWarmOpensIdleConnections(t *testing.T) {
	s := newCountServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }))
	tr := newTransport(t, nil)
	p := prepared(t, "GET", s.URL+"/", "", nil)
	if got := tr.Warm(context.Background(), p, 5); got != 5 {
		t.Fatalf("Warm opened %d connections, want 5", got)
	}
	waitFor(t, "the server to see 5 connections", func() bool { return s.opened.Load() == 5 })
	for i := range 20 {
		if _, err := tr.Exchange(context.Background(), p, time.Time{}, 0); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if got := tr.Warm(context.Background(), p, 5); got != 0 {
		t.Errorf("a second Warm opened %d connections, want 0", got)
	}
	if n := s.opened.Load(); n != 5 {
		t.Errorf("the server saw %d connections, want the 5 warmed", n)
	}
}

// TestWarmKeepsToTheBound checks MaxConnsPerHost against Warm.
func TestWarmKeepsToTheBound(t *testing.T) {
	s := newCountServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	tr := newTransport(t, &Transport{MaxConnsPerHost: 3})
	if got := tr.Warm(context.Background(), prepared(t, "GET", s.URL+"/", "", nil), 8); got != 3 {
		t.Fatalf("Warm opened %d connections under MaxConnsPerHost 3, want 3", got)
	}
}

// TestWarmStopsAtAFailedDial checks that a refused dial ends the warm-up
// without holding the pool's slots: the requests after it may dial.
func TestWarmStopsAtAFailedDial(t *testing.T) {
	tr := newTransport(t, &Transport{MaxConnsPerHost: 4})
	p := prepared(t, "GET", "http://"+freeaddr.Loopback(t)+"/", "", nil)
	if got := tr.Warm(context.Background(), p, 4); got != 0 {
		t.Fatalf("Warm opened %d connections to a closed port", got)
	}
	pool := p.poolOf(tr)
	pool.mu.Lock()
	conns := pool.conns
	pool.mu.Unlock()
	if conns != 0 {
		t.Errorf("the pool holds %d slots after failed dials, want 0", conns)
	}
}

// TestWarmLeavesProxiedHostsAlone checks that a host Exchange would not
// carry (it goes through a proxy) is not dialled.
func TestWarmLeavesProxiedHostsAlone(t *testing.T) {
	s := newCountServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	proxy, _ := url.Parse("http://127.0.0.1:1")
	tr := newTransport(t, &Transport{Proxy: func(*http.Request) (*url.URL, error) { return proxy, nil }})
	if got := tr.Warm(context.Background(), prepared(t, "GET", s.URL+"/", "", nil), 2); got != 0 {
		t.Fatalf("Warm opened %d connections to a proxied host", got)
	}
	if n := s.opened.Load(); n != 0 {
		t.Errorf("the server saw %d connections", n)
	}
}
