// Package transport builds the HTTP machinery virtual users send requests
// through, and names what went wrong when a request got no response.
//
// It owns the tuned net/http Transport (HTTP/1.1, HTTP/2 over TLS, h2c),
// the lazily created per-VU cookie jar, and the mapping from Go errors to
// the stable error kinds recorded in metrics (ECONNREFUSED, ETIMEDOUT, …).
package transport
