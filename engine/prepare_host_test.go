package engine

import (
	"net/http"
	"net/url"
	"testing"
)

// TestPrepareHostAndCredentials: a Host header becomes the Host on both
// paths, URL credentials become basic authentication (unless the header
// has its own) and leave the URL, and a nil header is fine.
func TestPrepareHostAndCredentials(t *testing.T) {
	u, _ := url.Parse("http://ann:pw@127.0.0.1:9/x")
	p := Prepare("GET", u, nil, nil)
	req := p.request()
	if user, pass, ok := req.BasicAuth(); !ok || user != "ann" || pass != "pw" || req.URL.User != nil || u.User == nil {
		t.Fatalf("auth %q %q %v, url %v (the caller's URL must keep its user: %v)", user, pass, ok, req.URL, u)
	}
	p = Prepare("GET", u, http.Header{"Host": {"api.example"}, "Authorization": {"Bearer t"}}, nil)
	req = p.request()
	if req.Host != "api.example" || req.Header.Get("Host") != "" || req.Header.Get("Authorization") != "Bearer t" {
		t.Fatalf("host %q, header %v", req.Host, req.Header)
	}
	plain, _ := url.Parse("http://127.0.0.1:9/")
	if req := Prepare("GET", plain, http.Header{}, nil).request(); req.Host != "127.0.0.1:9" {
		t.Fatalf("host %q", req.Host)
	}
}
