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
// Set-Cookie or a 3xx's Location) and the body is counted and dropped.
// A request that changes every time (a script's) is serialised into a
// Prepared it keeps (Prepared.Reset, the bytes RoundTrip would write) and
// sent the same way; Transport.Open leaves the body in a Body the caller
// owns, for responses the caller reads. Read buffers of the default size
// are shared by every Transport, so that a transport per VU (a new
// connection per arrival) does not make its own. Connections take a read buffer only once a response has begun,
// so that thousands waiting on a slow server hold none.
//
// It owns: the per host:port pools of idle connections (LIFO, optionally
// bounded, with waiters when MaxConnsPerHost is reached), request
// serialisation, response parsing with strict size limits, body framing
// (Content-Length, chunked, read-until-close), context deadlines and
// cancellation, and the byte counts of every request (Counted).
//
// It behaves as net/http does, and differential tests against net/http
// hold it to that, in these matters:
//   - Retries (retry.go): a request is sent again only on a reused
//     connection, once, and only if nothing of it was written (and its
//     body can be replayed) or it is idempotent (GET, HEAD, OPTIONS,
//     TRACE, or an Idempotency-Key or X-Idempotency-Key field) and nothing
//     of the response arrived. A request not sent again fails with its
//     error: a server that may have processed it is never sent it twice.
//     (misbehave_cases_test.go's TestDifferentialReused: a close, reset
//     or half close after reading the request, a 100 or part of a
//     response and then a close, no answer, each to a GET, a DELETE and
//     a POST on a reused connection.)
//   - Idle connections (idle.go): one the server closed, reset or wrote on
//     unasked (a 408 before closing, say) is dropped when taken from the
//     pool, found by a non-blocking MSG_PEEK where net/http has a read
//     loop per connection.
//   - Early responses (early.go): a response that begins while a request
//     of more than 64 KB is still being written is read once the write
//     ends, or once 50 ms have passed, when the write is cut and the
//     connection closed; net/http too keeps a connection only if the
//     write ends within 50 ms of the response (it hands the response over
//     at once, where this client waits for the write, 50 ms at most).
//   - Obsolete line folding in a response head is joined with a space
//     (RFC 9112 section 5.2), as net/http does.
//   - The framing fields of an interim 1xx head are checked as a final
//     head's, though no body follows it: two Content-Length fields that
//     differ, a bad one, or a Transfer-Encoding other than chunked fail
//     as malformed. So does a chunked head (1xx, 204, 304 and the answer
//     to a HEAD included) whose Trailer field announces Content-Length,
//     Transfer-Encoding or Trailer (RFC 9110 section 6.5.1).
//   - Exchange's timeout bounds the dial and the wait for a connection,
//     not only the exchange.
//
// Deliberate differences from net/http:
//   - A connection back in the pool for less than 5 ms is reused without
//     the peek: it costs a system call, 9 % of the requests per CPU second
//     when done on every reuse (idle.go has the measurement). A server
//     closing within 5 ms of a response is met by the retry rules; bytes
//     it writes unasked within them, after the response was read (a
//     second answer to one request, say), are read as the next GET's
//     response. A POST, or any request not sent again once written,
//     always looks.
//   - An idempotency key counts under any spelling of its field name;
//     net/http looks for the canonical one only, and scripts send
//     lower-case names.
//   - Nothing is decompressed and no Accept-Encoding is added: callers
//     say what they accept and decode where they use the body (Surge runs
//     net/http with DisableCompression, so both paths agree).
//   - Bytes are counted on the connection: the request as written (every
//     attempt), the response as read, interim 1xx heads and chunk framing
//     included.
//   - At most MaxDialing (256) connections are being dialled to one
//     address at once, across every Transport of the process; net/http
//     dials as many as its requests ask for. Ten thousand users starting
//     together kept ten thousand dialling goroutines' stacks, and sent
//     more SYNs at once than a server's accept queue takes (dialslot.go).
//   - A request with Expect: 100-continue is written whole at once.
//     net/http waits for the 100 Continue, up to its ExpectContinueTimeout
//     (1 s in Surge), before it sends the body: a second more on every
//     such request to a server that ignores Expect. A server that answers
//     before the body instead is met as any early response is (early.go).
//
// And where a server breaks the protocol (misbehave_cases_test.go holds a
// case of each, against net/http), this client is mostly the stricter:
//   - The status line must be HTTP/1.x with a code from 100 to 999, a
//     1xx head's too. net/http also takes HTTP/0.9 and HTTP/2.0 lines,
//     and codes 000 to 099 ("+99" among them), which a test would count
//     as responses with a status of no meaning; they fail as malformed
//     (EPROTO).
//   - A 101 Switching Protocols fails as malformed: no request sent here
//     asks for one (Upgrade goes to Fallback), and the connection would
//     speak another protocol after it. net/http returns it, with the
//     connection as its body.
//   - A response head, 1xx heads included, is bounded at 64 KB
//     (MaxResponseHeaderBytes) where net/http allows 10 MB: a load test
//     holds thousands of connections, and each reads its heads into
//     buffers lent from a pool (scratch.go). A larger head fails as
//     malformed.
//   - A field name must be a token right up to its colon, in every head
//     (1xx heads too) and in trailers. net/http takes white space in a
//     name and before the colon ("X-A : 1"), a request smuggling device
//     (RFC 9112 section 5.1).
//   - Trailers are checked as net/http checks them, then dropped:
//     Response.Trailer stays nil.
//   - A response cut short by the server's close fails as a closed
//     connection (ECONNCLOSED, io.ErrUnexpectedEOF) wherever the cut
//     falls. net/http reads a head line cut short as if it were whole,
//     and may find it malformed ("HTTP/1.1 2", EPROTO), and takes a
//     trailer section cut short for one too long (EPROTO).
//   - A trailer section that does not end in CRLF CRLF fails at once as
//     malformed. net/http waits for more bytes to find one: until its
//     timeout while the server keeps the connection open, and it calls
//     a close after fewer than two of them ECONNCLOSED.
//   - A server that answers a large request early and closes without
//     reading the rest gives its response (early.go). net/http races the
//     failed write against the response, and may report the write's
//     ECONNRESET instead.
//
// What it does with a socket depends on the platform:
//   - On Unix it reads its sockets itself (rawread_unix.go): the first
//     read of a response goes into a pooled buffer inside RawConn.Read,
//     so that a connection waiting for a response holds no read buffer.
//   - The look at an idle connection and the watch for an early response
//     (above) are made on Linux only (peek_linux.go). Elsewhere an idle
//     connection the server closed is met by the retry rules, and a large
//     request is written unwatched.
//   - On Windows every connection takes the path that a connection which
//     is not a socket (from a Dial of one's own) takes on Unix
//     (rawread_other.go): it is read through net.Conn, with a read buffer
//     held for its life. Go's Windows sockets are overlapped, driven by a
//     completion port and never non-blocking: a read of the handle inside
//     RawConn.Read would block the thread. Windows builds are compiled in
//     CI (make cross), not tested at run time.
//
// It does not own TLS, HTTP/2, proxies or protocol upgrades: those stay
// with net/http. Requests that need them are passed to Transport.Fallback
// (typically the net/http Transport), or rejected with ErrUnsupported
// when there is none.
package h1
