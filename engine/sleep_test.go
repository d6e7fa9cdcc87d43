package engine

import (
	"context"
	"testing"
	"time"
)

// TestSleeperNeverEarly checks the one property arrivals rely on: a
// sleep lasts at least as long as asked (how much longer is the machine's
// business, and not asserted).
func TestSleeperNeverEarly(t *testing.T) {
	s := newSleeper()
	defer s.close()
	for _, d := range []time.Duration{0, time.Microsecond, 50 * time.Microsecond, 300 * time.Microsecond, 2 * time.Millisecond} {
		for range 20 {
			start := time.Now()
			s.sleep(d)
			if got := time.Since(start); got < d {
				t.Fatalf("sleep(%v) returned after %v", d, got)
			}
		}
	}
}

func TestWaiterUntil(t *testing.T) {
	w := newWaiter()
	defer w.close()
	ctx, cancel := context.WithCancel(context.Background())
	at := time.Now().Add(5 * time.Millisecond)
	if !w.until(ctx, at, nil) || time.Now().Before(at) {
		t.Fatal("until returned early or false")
	}
	changed := make(chan struct{})
	close(changed)
	if w.until(ctx, time.Now().Add(time.Hour), changed) {
		t.Fatal("until ignored a change")
	}
	cancel()
	if w.until(ctx, time.Now().Add(time.Hour), nil) || w.until(ctx, time.Now(), nil) {
		t.Fatal("until ignored a cancelled context")
	}
}
