// Package transport builds the HTTP machinery virtual users send requests
// through, and names what went wrong when a request got no response.
//
// It owns the tuned net/http Transport (HTTP/1.1, HTTP/2 over TLS, h2c)
// with its transparent compression off, the lean client in front of it
// for plain HTTP/1.1 (package h1), the decoding of response bodies
// (Decode: gzip, deflate, br, zstd) for the places that use them, the
// lazily created per-VU cookie jar, and the mapping from Go errors to the
// stable error kinds recorded in metrics (ECONNREFUSED, ETIMEDOUT, EMFILE,
// …).
//
// One deliberate difference from net/http: with Protocol HTTP2 a TLS
// server must choose h2 in ALPN. net/http, asked for HTTP/2 alone, goes on
// in HTTP/1.1 with a server that ignores ALPN; here the handshake fails
// (ENOHTTP2) and no request is sent, so that a test never measures a
// protocol it was not asked to.
package transport
