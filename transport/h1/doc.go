// Package h1 is a lean HTTP/1.1 client for plain http:// keep-alive
// traffic, offered as an http.RoundTripper.
//
// It exists because a load generator must send as many requests per core as
// wrk, and net/http's Transport spends two goroutine hand-offs (its
// per-connection read and write loops) and a few dozen allocations on every
// request. Here the request is written and the response head read on the
// caller's goroutine, and the body is read from the connection by whoever
// reads Response.Body; nothing else runs per request.
//
// For a request sent many times unchanged, Prepare serialises it once and
// Transport.Exchange sends it without an http.Request or http.Response:
// the response head is parsed in place (a header map is built only for
// Set-Cookie or a redirect's Location) and the body is counted and
// dropped. Connections take a read buffer only once a response has begun,
// so that thousands waiting on a slow server hold none.
//
// It owns: the per host:port pools of idle connections (LIFO, optionally
// bounded, with waiters when MaxConnsPerHost is reached), request
// serialisation, response parsing with strict size limits, body framing
// (Content-Length, chunked, read-until-close), context deadlines and
// cancellation, and the single retry of a request that met a connection the
// server had already closed.
//
// It does not own TLS, HTTP/2, proxies, protocol upgrades or transparent
// gzip: those stay with net/http. Requests that need them are passed to
// Transport.Fallback (typically the net/http Transport), or rejected with
// ErrUnsupported when there is none.
package h1
