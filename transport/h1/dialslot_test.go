package h1

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// An address's slots run out at MaxDialing; another address's do not, and
// a slot given back is taken by the next dial.
func TestDialSlotsBoundOneAddress(t *testing.T) {
	const addr, other = "slots.test:1", "slots.test:2"
	var held []chan struct{}
	for range MaxDialing {
		slots, err := dialSlot(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, slots)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := dialSlot(ctx, addr); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("slot %d of %s: %v, want it to wait until the context ended", MaxDialing+1, addr, err)
	}
	slots, err := dialSlot(context.Background(), other)
	if err != nil {
		t.Fatalf("%s waited for %s's slots: %v", other, addr, err)
	}
	<-slots
	<-held[0]
	if _, err := dialSlot(context.Background(), addr); err != nil {
		t.Fatal(err)
	}
	for _, s := range held {
		<-s
	}
}

// Through the transport: more users at once than MaxDialing never have
// more dials in flight than that, and all of them get their connection.
func TestDialsInFlightAreBounded(t *testing.T) {
	s := newCountServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	var inFlight, peak atomic.Int64
	gate := make(chan struct{})
	tr := newTransport(t, &Transport{Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-gate
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}})
	const users = MaxDialing + 64
	errs := make(chan error, users)
	var wg sync.WaitGroup
	for range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := do(t, tr, "GET", s.URL, "")
			errs <- err
		}()
	}
	waitFor(t, "MaxDialing dials in flight", func() bool { return inFlight.Load() >= MaxDialing })
	// Dials beyond the bound would arrive now, while the first hold.
	time.Sleep(100 * time.Millisecond)
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p > MaxDialing {
		t.Fatalf("%d dials in flight at once, want at most %d", p, MaxDialing)
	}
	if got := s.opened.Load(); got != users {
		t.Fatalf("server saw %d connections, want %d", got, users)
	}
}
