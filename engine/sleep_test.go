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

// A waiter wakes its sleeper at most once per wakeEvery: an arrival due
// sooner after a wake waits for the next, and is never early.
func TestWaiterWakesAtMostEveryWakeEvery(t *testing.T) {
	w := newWaiter()
	defer w.close()
	ctx := context.Background()
	for range 20 {
		first := time.Now().Add(100 * time.Microsecond)
		if !w.until(ctx, first, nil) {
			t.Fatal("until returned false")
		}
		woke := w.woke
		second := time.Now().Add(wakeEvery / 10) // due after the wake, sooner than the next

		if !w.until(ctx, second, nil) {
			t.Fatal("until returned false")
		}
		if now := time.Now(); now.Before(second) || now.Before(woke.Add(wakeEvery)) {
			t.Fatalf("the second arrival went %v after the wake before it, want at least %v", now.Sub(woke), wakeEvery)
		}
	}
}
