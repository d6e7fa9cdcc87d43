package h1

import (
	"net/http"
)

// A request that fails on a reused connection may have met one the server
// closed while it sat idle; sending it again on a fresh connection is then
// what the user meant. But a request the server may have received and
// processed must not be sent twice: the server would handle it twice and
// the client report one request. The rules are net/http's
// (persistConn.shouldRetryRequest): never on a fresh connection; if
// nothing of the request was written, any request whose body can be
// replayed; once something was written, only an idempotent request
// (Request.isReplayable), and only if nothing of the response arrived and
// the connection was lost. One retry at most: the idle connections below
// the one that failed are closed first, so the retry dials.

// attempt is what a request's connection had read and written when the
// request began, to tell afterwards whether any of it went out or any of
// the response came in.
type attempt struct {
	reused       bool
	wrote, nread int64
}

func (c *conn) begin() attempt {
	return attempt{reused: c.reused, wrote: c.nwritten, nread: c.nread}
}

// retry reports whether the request that failed with err on c may be sent
// again. replayable: its body can be sent again; idempotent: the server
// may get it twice (which implies replayable).
func (a attempt) retry(c *conn, err error, replayable, idempotent bool) bool {
	if !a.reused || !connLost(err) || c.nread != a.nread {
		return false
	}
	if c.nwritten == a.wrote {
		return replayable
	}
	return idempotent
}

// replayable says whether req's body can be sent again.
func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

// idempotent says whether req may reach the server twice: its method is
// safe or idempotent by definition, or it carries an idempotency key.
// Unlike net/http, which looks the key up under its canonical spelling
// only, any spelling counts: scripts send lower-case header names.
func idempotent(method string, h http.Header) bool {
	switch method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	for k := range h {
		if equalFold(k, "Idempotency-Key") || equalFold(k, "X-Idempotency-Key") {
			return true
		}
	}
	return false
}

// countResend counts a request about to be sent again in t.Resent when
// its failed attempt on c had written any of it.
func (t *Transport) countResend(a attempt, c *conn) {
	if t.Resent != nil && c.nwritten != a.wrote {
		t.Resent.Add(1)
	}
}
