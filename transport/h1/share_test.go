package h1

import (
	"bufio"
	"context"
	"net"
	"runtime"
	"testing"
	"time"
)

// TestTransportsShareBuffers sends one request each through many
// transports, as VUs with a connection of their own do: the read buffers
// (4 KB, and 4 KB for the first read) must come from the buffers of the
// connections closed before, not be made anew for every transport.
func TestTransportsShareBuffers(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops buffers at random under the race detector")
	}
	// The server allocates next to nothing per connection: what is
	// measured is the client's.
	addr := rawServer(t, func(c net.Conn) {
		if readHead(bufio.NewReaderSize(c, 16)) == nil {
			c.Write(hello)
		}
	})
	const n = 50
	p := prepared(t, "GET", "http://"+addr+"/", "", nil)
	send := func() {
		tr := &Transport{}
		if _, err := tr.Exchange(context.Background(), p, time.Time{}, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		tr.CloseIdleConnections()
	}
	send()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		send()
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 6<<10 {
		t.Errorf("%d bytes allocated per transport and request: buffers are not shared", per)
	}
}
