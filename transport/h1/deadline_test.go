package h1

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// deadlineConn counts the deadlines set on a real connection.
type deadlineConn struct {
	net.Conn
	sets []time.Time
}

func (c *deadlineConn) SetDeadline(t time.Time) error {
	c.sets = append(c.sets, t)
	return c.Conn.SetDeadline(t)
}

// TestSetTimeoutSlack walks one connection through a run of requests: the
// deadline must never fall before start+timeout nor after it plus the
// slack, and it is moved only when a request would outlive it.
func TestSetTimeoutSlack(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	dc := &deadlineConn{Conn: a}
	c := &conn{nc: dc}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name    string
		at      time.Duration // start, after t0
		timeout time.Duration
		moves   bool
	}{
		{"first request sets it", 0, 10 * time.Second, true},
		{"1 ms later fits the slack", time.Millisecond, 10 * time.Second, false},
		{"19 ms later still fits", 19 * time.Millisecond, 10 * time.Second, false},
		{"21 ms later would outlive it", 21 * time.Millisecond, 10 * time.Second, true},
		{"a shorter timeout moves it closer", 22 * time.Millisecond, time.Second, true},
		{"small timeouts get a small slack", 22*time.Millisecond + 5*time.Millisecond, time.Second, false},
		{"past 1 % of a 1 s timeout", 22*time.Millisecond + 11*time.Millisecond, time.Second, true},
		{"no timeout clears it", 40 * time.Millisecond, 0, true},
		{"and clearing twice sets nothing", 41 * time.Millisecond, 0, false},
		{"a timeout after none sets it", 42 * time.Millisecond, 10 * time.Second, true},
	}
	for _, s := range steps {
		before := len(dc.sets)
		start := t0.Add(s.at)
		c.setTimeout(start, s.timeout)
		if moved := len(dc.sets) > before; moved != s.moves {
			t.Errorf("%s: deadline moved %v, want %v", s.name, moved, s.moves)
		}
		if s.timeout <= 0 {
			if !c.until.IsZero() {
				t.Errorf("%s: deadline %v, want none", s.name, c.until)
			}
			continue
		}
		due := start.Add(s.timeout)
		if c.until.Before(due) || c.until.After(due.Add(deadlineSlack(s.timeout))) {
			t.Errorf("%s: deadline %v, want within [%v, +%v]", s.name, c.until, due, deadlineSlack(s.timeout))
		}
	}
	if last := dc.sets[len(dc.sets)-1]; !last.Equal(c.until) {
		t.Errorf("connection's deadline %v, conn records %v", last, c.until)
	}
}

// TestExchangeDeadlineNotEarly checks that the slack only ever makes a
// timeout late, never early.
func TestExchangeDeadlineNotEarly(t *testing.T) {
	addr := rawServer(t, stall)
	tr := newTransport(t, nil)
	start := time.Now()
	_, err := tr.Exchange(context.Background(), prepared(t, "GET", "http://"+addr+"/", "", nil), start, 80*time.Millisecond)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	if waited := time.Since(start); waited < 80*time.Millisecond {
		t.Errorf("timed out after %v, before the 80 ms timeout", waited)
	}
}

// TestExchangeIdleFromStart checks that the pool takes the start the
// caller gave as the time a connection is asked for: one that went back
// to the pool longer than IdleTimeout before it is not reused.
func TestExchangeIdleFromStart(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, &Transport{IdleTimeout: time.Hour})
	p := prepared(t, "GET", srv.URL+"/length", "", nil)
	for _, start := range []time.Time{{}, {}, time.Now().Add(2 * time.Hour)} {
		if _, err := tr.Exchange(context.Background(), p, start, 0); err != nil {
			t.Fatal(err)
		}
	}
	// The first two share a connection; the third starts two hours on,
	// finds it expired and dials.
	if n := srv.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2", n)
	}
}

// TestPreparedAcrossTransports checks that a Prepared sent through two
// transports uses each one's own pool.
func TestPreparedAcrossTransports(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	one, two := newTransport(t, nil), newTransport(t, nil)
	p := prepared(t, "GET", srv.URL+"/length", "", nil)
	for i, tr := range []*Transport{one, two, one, two} {
		if r, err := tr.Exchange(context.Background(), p, time.Time{}, 5*time.Second); err != nil || r.Status != 200 {
			t.Fatalf("exchange %d: %v %v", i, r, err)
		}
	}
	if n := srv.opened.Load(); n != 2 {
		t.Errorf("%d connections, want one per transport", n)
	}
	for _, tr := range []*Transport{one, two} {
		if pool := tr.pool(p.req.URL); len(pool.idle) != 1 {
			t.Errorf("transport's pool holds %d idle connections, want 1", len(pool.idle))
		}
	}
}
