package distributed

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/surge-dev/surge/coord/wire"
	"github.com/surge-dev/surge/internal/freeaddr"
	"github.com/surge-dev/surge/results"
	"github.com/surge-dev/surge/schedule"
	"github.com/surge-dev/surge/session"
)

// rawWorker joins addr by hand up to its Ready, leaving the clock
// exchange to the test.
func rawWorker(t *testing.T, addr, plan string) *wire.Conn {
	t.Helper()
	var nc net.Conn
	var err error
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if nc, err = net.Dial("tcp", addr); err == nil || time.Now().After(deadline) {
			break
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	c := wire.New(nc)
	t.Cleanup(func() { c.Close() })
	var welcome wire.Welcome
	if err := c.Send(wire.KindHello, wire.Hello{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Expect(wire.KindWelcome, &welcome, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	ready := wire.Ready{Plan: plan, Segment: welcome.Segment, Sequence: welcome.Sequence}
	if err := c.Send(wire.KindReady, ready); err != nil {
		t.Fatal(err)
	}
	return c
}

// coordinateTwoShares starts a coordinator of two equal shares on a free
// loopback address, waiting wait for its workers; done gets its error.
func coordinateTwoShares(t *testing.T, wait time.Duration) (schedule.Sequence, string, chan error) {
	t.Helper()
	seq, err := schedule.EqualSequence(2)
	if err != nil {
		t.Fatal(err)
	}
	addr := freeaddr.Loopback(t)
	done := make(chan error, 1)
	go func() {
		_, err := Coordinate(context.Background(), Config{Listen: addr, Wait: wait, Sequence: seq},
			nil, results.Test{}, session.Options{}, nil)
		done <- err
	}()
	return seq, addr, done
}

// A worker still measuring its clock when another share is refused at
// the barrier must be told why, not find its connection closed: under
// load a worker reported "coordinator: EOF" (exit 3) where the run was
// refused for a mismatch (exit 2).
func TestAWorkerReadyAfterTheBarrierFailedIsToldWhy(t *testing.T) {
	_, addr, done := coordinateTwoShares(t, 20*time.Second)
	late := rawWorker(t, addr, "plan-a")
	var ping wire.Ping
	if err := late.Expect(wire.KindPing, &ping, 20*time.Second); err != nil {
		t.Fatal(err) // its clock exchange has begun: it holds there
	}
	refused := rawWorker(t, addr, "plan-b")
	var r wire.Refused
	if err := refused.Expect(wire.KindRefused, &r, 20*time.Second); err != nil || !strings.Contains(r.Reason, "plan hash") {
		t.Fatalf("the second share: %+v (%v), want refused for its plan hash", r, err)
	}
	if err := <-done; err == nil {
		t.Fatal("the coordinator started a test of two plans")
	}
	// The barrier is over; the late worker finishes its clock exchange.
	for range clockTrips {
		if err := late.Send(wire.KindPong, wire.Pong{Sent: ping.Sent, Received: time.Now(), Answered: time.Now()}); err != nil {
			t.Fatal(err)
		}
		f, err := late.Receive(20*time.Second, wire.KindPing, wire.KindRefused)
		if err != nil {
			t.Fatalf("the late worker: %v, want the barrier's refusal", err)
		}
		if f.Kind == wire.KindRefused {
			if err := f.Decode(&r); err != nil || r.Code != 2 || !strings.Contains(r.Reason, "plan hash") {
				t.Fatalf("the late worker's refusal %+v (%v), want code 2 naming the plan hash", r, err)
			}
			return
		}
		f.Decode(&ping)
	}
	t.Fatal("the late worker was never refused")
}

// A worker told why the barrier failed says it once: "coordinator: 1 of
// 2 shares not ready …", not "coordinator: coordinator: …" (the
// coordinator sent its reason with its own prefix, and the worker added
// another).
func TestAWorkerToldWhyTheBarrierFailedNamesTheCoordinatorOnce(t *testing.T) {
	seq, addr, done := coordinateTwoShares(t, 2*time.Second)
	srv := slowServer(t)
	w := Worker{Addr: addr, Wait: 20 * time.Second, Segment: seq.Share(1), Sequence: seq.String()}
	_, _, werr := Work(context.Background(), w, testOf(t, srv.URL, "{duration: 1, arrivalRate: 2}"), results.Test{}, session.Options{})
	cerr := <-done
	if cerr == nil || werr == nil {
		t.Fatalf("coordinator %v, worker %v: want both to fail, share 0 missing", cerr, werr)
	}
	if got := werr.Error(); !strings.HasPrefix(got, "coordinator: 1 of 2 shares not ready") || strings.Count(got, "coordinator:") != 1 {
		t.Errorf("the worker says %q, want the coordinator's reason once, as it says it: %q", got, cerr)
	}
}
