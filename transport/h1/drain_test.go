package h1

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// chunkedReply is a whole response whose body Exchange drains through the
// conn's drain reader: its bytes on the wire are known exactly.
const chunkedReply = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"

// answerChunked answers every request on c with chunkedReply.
func answerChunked(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		if _, err := http.ReadRequest(br); err != nil {
			return
		}
		if _, err := c.Write([]byte(chunkedReply)); err != nil {
			return
		}
	}
}

// TestDrainedBytesAreReadBeforeTheConnIsReused: Exchange reads a chunked
// body's byte count before the connection goes back to the pool, where
// another request re-inits the same drain reader at once. Counting after
// the release read the next exchange's counts (and is a data race, which
// -race reports).
func TestDrainedBytesAreReadBeforeTheConnIsReused(t *testing.T) {
	addr := rawServer(t, answerChunked)
	tr := newTransport(t, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wrong := map[int64]int{}
	for range 8 {
		wg.Go(func() {
			q := prepared(t, "GET", "http://"+addr+"/", "", nil) // one per user, as quick's VUs
			for range 300 {
				r, err := tr.Exchange(context.Background(), q, time.Time{}, 5*time.Second)
				if err != nil {
					t.Error(err)
					return
				}
				if r.Bytes != int64(len(chunkedReply)) {
					mu.Lock()
					wrong[r.Bytes]++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if len(wrong) > 0 {
		t.Errorf("bytes received other than the %d of each reply: %v", len(chunkedReply), wrong)
	}
}
