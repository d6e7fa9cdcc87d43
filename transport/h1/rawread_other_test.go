//go:build !unix

package h1

import "testing"

// TestSocketsReadGenerically: off Unix a dialled socket is read as any
// net.Conn is (rawread_other.go), not raw.
func TestSocketsReadGenerically(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, nil)
	mustDo(t, tr, "GET", srv.URL+"/length", "")
	readsGenerically(t, tr, srv.URL)
}
