package hangup

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// OnSecond answers each connection's first request with "ok" and closes
// the connection on its second, unanswered; handled counts every request
// it read.
func OnSecond(handled *atomic.Int64) http.Handler {
	var mu sync.Mutex
	seen := map[string]int{} // requests read, by the client's address
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
