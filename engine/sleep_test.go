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
// sooner after a wake waits for the next, and none is early.
func TestNextWake(t *testing.T) {
	at := time.Now()
	for _, tt := range []struct {
		name string
		woke time.Time
		want time.Time
	}{
		{"never woke", time.Time{}, at},
		{"woke long before", at.Add(-2 * wakeEvery), at},
		{"woke just before", at.Add(-wakeEvery / 5), at.Add(wakeEvery - wakeEvery/5)},
		{"woke exactly wakeEvery before", at.Add(-wakeEvery), at},
	} {
		if got := nextWake(at, tt.woke); !got.Equal(tt.want) {
			t.Errorf("%s: %v after at, want %v", tt.name, got.Sub(at), tt.want.Sub(at))
		}
	}
}

// Arrivals due close together never start early, however the waiter
// groups them.
func TestWaiterNeverEarly(t *testing.T) {
	w := newWaiter()
	defer w.close()
	for range 50 {
		at := time.Now().Add(wakeEvery / 10)
		if !w.until(context.Background(), at, nil) {
			t.Fatal("until returned false")
		}
		if now := time.Now(); now.Before(at) {
			t.Fatalf("until returned %v before the arrival was due", at.Sub(now))
		}
	}
}
