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
package transport
