//go:build unix

package h1

import (
	"context"
	"testing"
	"time"
)

// TestIdleHoldsNoReadBuffer checks that a connection between responses
// has given its read buffer back: what lets 10,000 connections waiting on
// a slow server cost no buffer each.
func TestIdleHoldsNoReadBuffer(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, nil)
	mustDo(t, tr, "GET", srv.URL+"/length", "")
	if _, err := tr.Exchange(context.Background(), prepared(t, "GET", srv.URL+"/length", "", nil), time.Time{}, 0); err != nil {
		t.Fatal(err)
	}
	p := tr.pool(prepared(t, "GET", srv.URL, "", nil).req.URL)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) != 1 {
		t.Fatalf("%d idle connections, want 1", len(p.idle))
	}
	if c := p.idle[0]; c.br != nil || c.preBuf != nil || c.bw == nil {
		t.Errorf("idle connection holds read buffer %v, prefill %v; write buffer %v (RoundTrip made one)", c.br != nil, c.preBuf != nil, c.bw != nil)
	}
}
