package h1

import "testing"

// TestGenericReadPath: a connection the transport cannot read raw, as
// every connection on Windows (rawread_other.go), keeps its read buffer
// between responses; a server's close of it while idle, which nothing
// peeks at here, is met by the retry rules, and the request goes out
// again on a new connection. eachRead runs the round-trip tests through
// this path too.
func TestGenericReadPath(t *testing.T) {
	srv := newCountServer(t, diffHandler())
	tr := newTransport(t, &Transport{Dial: dialHidden})
	mustDo(t, tr, "GET", srv.URL+"/length", "")
	readsGenerically(t, tr, srv.URL)
	srv.CloseClientConnections()
	waitFor(t, "the server's close", func() bool { return srv.closed.Load() == 1 })
	if _, body := mustDo(t, tr, "GET", srv.URL+"/length", ""); body != "hello" {
		t.Errorf("after the idle connection closed: body %q", body)
	}
	if n := srv.opened.Load(); n != 2 {
		t.Errorf("%d connections, want 2 (the request sent again on a new one)", n)
	}
}

// readsGenerically checks that the one idle connection tr holds to url's
// host reads through its net.Conn, with a read buffer of its own.
func readsGenerically(t *testing.T, tr *Transport, url string) {
	t.Helper()
	p := tr.pool(mustRequest(t, "GET", url).URL)
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) != 1 {
		t.Fatalf("%d idle connections, want 1", len(p.idle))
	}
	if c := p.idle[0]; c.raw != nil || c.br == nil {
		t.Errorf("idle connection: raw reads %v, read buffer %v; want none and one", c.raw != nil, c.br != nil)
	}
}
