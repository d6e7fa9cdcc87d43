package transport

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/surge-dev/surge/metrics"
)

// alpnServer serves HTTPS with TLS up to version, choosing among protos
// in ALPN; with no protos it ignores ALPN, as servers without the
// extension do. It counts the requests it serves.
func alpnServer(t *testing.T, version uint16, protos []string) (string, *atomic.Int64) {
	t.Helper()
	var served atomic.Int64
	own := httptest.NewTLSServer(nil)
	cert := own.TLS.Certificates // httptest's self-signed certificate
	own.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { served.Add(1) })}
	go srv.Serve(tls.NewListener(l, &tls.Config{Certificates: cert, MaxVersion: version, NextProtos: protos}))
	t.Cleanup(func() { srv.Close() })
	return "https://" + l.Addr().String() + "/", &served
}

// HTTP/2 alone over TLS to a server that does not choose h2 is an
// ENOHTTP2 error at the handshake, under TLS 1.2 and 1.3, whether the
// server refuses the handshake (it knows ALPN, not h2) or ignores ALPN:
// the request never reaches the server, where net/http alone would have
// sent it in HTTP/1.1. The default protocol still speaks HTTP/1.1 there.
func TestHTTP2AloneRefusesAServerThatDoesNotChooseH2(t *testing.T) {
	for _, tt := range []struct {
		name    string
		version uint16
		protos  []string
		says    string
	}{
		{"TLS 1.3, HTTP/1.1 only", tls.VersionTLS13, []string{"http/1.1"}, "tls: no application protocol"},
		{"TLS 1.2, HTTP/1.1 only", tls.VersionTLS12, []string{"http/1.1"}, "tls: no application protocol"},
		{"TLS 1.3, no ALPN", tls.VersionTLS13, nil, "did not choose HTTP/2 (h2) in TLS ALPN (it chose none"},
		{"TLS 1.2, no ALPN", tls.VersionTLS12, nil, "did not choose HTTP/2 (h2) in TLS ALPN (it chose none"},
	} {
		url, served := alpnServer(t, tt.version, tt.protos)
		_, err := (&http.Client{Transport: New(Config{Insecure: true, Protocol: HTTP2})}).Get(url)
		if got := Classify(err); got != metrics.ErrNoHTTP2 || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: error %v classified %v, want ENOHTTP2 saying %q", tt.name, err, got, tt.says)
		}
		resp, err := (&http.Client{Transport: New(Config{Insecure: true})}).Get(url)
		if err != nil || resp.ProtoMajor != 1 {
			t.Errorf("%s: protocol auto: %v", tt.name, err)
		} else {
			resp.Body.Close()
		}
		if n := served.Load(); n != 1 {
			t.Errorf("%s: the server served %d requests, want the one of protocol auto", tt.name, n)
		}
	}
}

// An alert from the server (here: its client certificate is missing) is
// a TLS error, not EOTHER.
func TestClassifyTheServersAlertAsTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert}
	srv.StartTLS()
	defer srv.Close()
	_, err := (&http.Client{Transport: New(Config{Insecure: true})}).Get(srv.URL)
	if got := Classify(err); got != metrics.ErrTLS {
		t.Errorf("Classify(%v) = %v, want ETLS", err, got)
	}
}
