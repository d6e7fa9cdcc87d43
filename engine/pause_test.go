package engine

import (
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// On one processor, a pause lets a goroutine whose data has come on the
// network run before the collector goes on: at the first pause, not
// after the 10 ms in which Go's monitor would poll the network itself.
func TestPauseLetsNetworkWaitersRun(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	client, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := l.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	var parked, ran atomic.Bool
	go func() {
		parked.Store(true)
		var b [1]byte
		server.Read(b[:])
		ran.Store(true)
	}()
	for !parked.Load() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(5 * time.Millisecond) // into the poller
	if _, err := client.Write([]byte{1}); err != nil {
		t.Fatal(err)
	}
	p := newPauser()
	defer p.close()
	pauses := 0
	for !ran.Load() && pauses < 50 {
		spin(pauseEvery + pauseEvery/2) // the collector's work, with no system call
		p.pause()
		pauses++
	}
	// At the first pause on an idle machine. The bound leaves room for a
	// loaded one (a CPU hog, the race detector: 3 pauses were seen) and
	// still tells a pause that lets the reader run from none at all: 8
	// pauses are 3 ms of spinning, where Go's monitor polls the network
	// only after 10 ms (27 pauses).
	if pauses > 8 {
		t.Fatalf("the reader ran after %d pauses (%v of spinning), want it at the first few, well before Go's 10 ms poll",
			pauses, time.Duration(pauses)*(pauseEvery+pauseEvery/2))
	}
}

// spin keeps the processor busy for d.
func spin(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
	}
}
