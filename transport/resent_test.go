package transport

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// hangUpOnSecond answers each connection's first request and hangs up
// on its second after reading it: a server that handled a request and
// then lost the connection, as one does whose keep-alive timeout strikes
// just as a request arrives.
func hangUpOnSecond(handled *atomic.Int64) http.Handler {
	var mu sync.Mutex
	seen := map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		mu.Lock()
		seen[r.RemoteAddr]++
		second := seen[r.RemoteAddr] == 2
		mu.Unlock()
		if !second {
			io.WriteString(w, "ok")
			return
		}
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
	})
}

// Over TLS, requests go through net/http, which sends a GET again when
// the connection it reused is lost: the server then counts what the
// caller sent plus what was counted as sent again, no more.
func TestResentCountsNetHTTPsSecondAttempts(t *testing.T) {
	var handled, resent atomic.Int64
	srv := httptest.NewTLSServer(hangUpOnSecond(&handled))
	defer srv.Close()
	for _, perVU := range []bool{false, true} {
		handled.Store(0)
		resent.Store(0)
		c := Config{Insecure: true, Resent: &resent}
		rt := NewRoundTripper(c)
		if perVU {
			rt = PerVU(c)()
		}
		client := &http.Client{Transport: rt}
		const sent = 6
		for range sent {
			resp, err := client.Get(srv.URL)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		client.CloseIdleConnections()
		if resent.Load() == 0 || handled.Load() != sent+resent.Load() {
			t.Errorf("per VU %v: the server handled %d requests; %d were sent and %d counted as sent again",
				perVU, handled.Load(), sent, resent.Load())
		}
	}
}
