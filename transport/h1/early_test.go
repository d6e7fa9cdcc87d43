//go:build linux

package h1

import (
	"net"
	"os"
	"testing"
	"time"
)

// TestEarlyWatch drives a watch for an early response over a real
// connection: the watcher sees the server's first byte while the write is
// in progress and gives it the grace; a write that ends within the grace
// is not cut and leaves the connection's own deadline behind, not the
// grace's; one that the grace ends is cut.
func TestEarlyWatch(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	nc, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	sc, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	tr := newTransport(t, nil)
	c := tr.newConn(nc, tr.pool(mustRequest(t, "GET", "http://"+l.Addr().String()).URL))

	c.watchWrite(watchAbove + 1)
	sc.Write([]byte("H")) // the response begins, the request not yet written
	waitAnswered(t, c)
	if c.writeEnded(nil) {
		t.Fatal("a write that ended within the grace was cut")
	}
	time.Sleep(2 * earlyGrace)
	if _, err := nc.Write([]byte("x")); err != nil {
		t.Fatalf("a write after the grace: %v; the grace's deadline stayed on the connection", err)
	}

	c.watchWrite(-1) // of unknown length: watched too; the byte is still unread
	waitAnswered(t, c)
	if !c.writeEnded(&net.OpError{Op: "write", Err: os.ErrDeadlineExceeded}) {
		t.Fatal("a write the grace ended was not cut")
	}

	// The grace never outlasts the request's own deadline.
	c.until = time.Now().Add(earlyGrace / 2)
	rec := &writeDeadlines{Conn: nc}
	c.nc = rec
	c.watchWrite(-1)
	waitAnswered(t, c) // and the grace is set: both under c.early.mu
	if grace := rec.sets[0]; grace.After(c.until) {
		t.Errorf("grace until %v, after the request's deadline %v", grace, c.until)
	}
	c.writeEnded(nil)
}

// writeDeadlines records the write deadlines set on a real connection.
type writeDeadlines struct {
	net.Conn
	sets []time.Time
}

func (c *writeDeadlines) SetWriteDeadline(t time.Time) error {
	c.sets = append(c.sets, t)
	return c.Conn.SetWriteDeadline(t)
}

// waitAnswered waits until c's watcher has seen the response begin.
func waitAnswered(t *testing.T, c *conn) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		c.early.mu.Lock()
		state := c.early.state
		c.early.mu.Unlock()
		if state == answered {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the watcher never saw the server's byte")
		}
	}
}
