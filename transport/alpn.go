package transport

import (
	"crypto/tls"
	"errors"
	"fmt"
)

// errNoH2ALPN is a TLS connection on which the server did not choose
// HTTP/2 in ALPN although the test asked for HTTP/2 alone (Protocol
// HTTP2). net/http would go on in HTTP/1.1 on it, and the test would
// measure, without a word, a protocol it was not asked to; refused at the
// handshake, the request is an ENOHTTP2 error and never reaches the
// server.
var errNoH2ALPN = errors.New("the server did not choose HTTP/2 (h2) in TLS ALPN")

// requireH2 is the TLS client's VerifyConnection under Protocol HTTP2: it
// runs once the handshake has chosen the protocol. An HTTPS proxy's own
// handshake is checked too, so HTTP2 through one needs a proxy that
// speaks h2.
func requireH2(cs tls.ConnectionState) error {
	if cs.NegotiatedProtocol == "h2" {
		return nil
	}
	chose := fmt.Sprintf("it chose %q", cs.NegotiatedProtocol)
	if cs.NegotiatedProtocol == "" {
		chose = "it chose none"
	}
	return fmt.Errorf("%w (%s; protocol auto would speak HTTP/1.1 to it)", errNoH2ALPN, chose)
}
