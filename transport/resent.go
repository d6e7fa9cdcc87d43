package transport

import (
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// resendCounting counts, in n, the requests net/http wrote more than once:
// it sends a request again on a new connection when the one it used was
// lost (as the lean transport does, see h1's retry.go), and the server may
// then have received both. net/http says nothing of it but calls
// WroteRequest for every attempt.
type resendCounting struct {
	next http.RoundTripper
	n    *atomic.Int64
}

// countingResends wraps next when n is set.
func countingResends(next http.RoundTripper, n *atomic.Int64) http.RoundTripper {
	if n == nil {
		return next
	}
	return resendCounting{next: next, n: n}
}

func (r resendCounting) RoundTrip(req *http.Request) (*http.Response, error) {
	var writes atomic.Int64 // called from net/http's own goroutines
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { writes.Add(1) }}
	resp, err := r.next.RoundTrip(req.WithContext(httptrace.WithClientTrace(req.Context(), trace)))
	if extra := writes.Load() - 1; extra > 0 {
		r.n.Add(extra)
	}
	return resp, err
}

// CloseIdleConnections passes the call on, as http.Client expects of a
// transport.
func (r resendCounting) CloseIdleConnections() {
	if c, ok := r.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
