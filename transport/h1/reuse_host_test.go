package h1

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// TestPreparedReusedForAnotherHostGoesThere: a caller that renders each
// request into one http.Request it owns (flow's scratch) and Resets one
// Prepared with it sends request after request through the same pointer.
// A request to another host must reach that host: the Prepared must not
// keep the last host's pool because the request it remembers is, by
// then, the new one. (A script's absolute URL to a second host went
// over the first host's keep-alive connection.)
func TestPreparedReusedForAnotherHostGoesThere(t *testing.T) {
	hit := func(name string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Server", name)
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	a, b := hit("a"), hit("b")
	tr := &Transport{}
	defer tr.CloseIdleConnections()
	var p Prepared
	var into Body
	req := &http.Request{Method: "GET", Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	for _, srv := range []*httptest.Server{a, b, a, b} {
		u, _ := url.Parse(srv.URL + "/x")
		req.URL, req.Host = u, u.Host // the same request, rewritten in place
		if err := p.Reset(req, nil); err != nil {
			t.Fatal(err)
		}
		r, err := tr.Open(context.Background(), &p, time.Time{}, 5*time.Second, &into)
		if err != nil {
			t.Fatal(err)
		}
		into.Close()
		want := map[*httptest.Server]string{a: "a", b: "b"}[srv]
		if got := r.Header.Get("X-Server"); got != want {
			t.Fatalf("a request for %s reached server %q, want %q", u.Host, got, want)
		}
	}
}
