package flow

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/transport"
	"github.com/surge-dev/surge/transport/h1"
)

// A request step renders its request into a scratch that the VU takes
// from a pool for the step's duration, and sends it, over plain
// HTTP/1.1, through engine.VU.SendWire: serialised into the scratch's
// buffers by the lean client (h1.Prepared.Reset, the bytes RoundTrip
// would write), with no http.Request, context, or response header map
// made per request (a map only when captures or checks read the
// response). The cookies of the VU's jar are added to the request by
// Artillery's rules (addJarCookies) before either path sends it. That path sends what net/http's path sends and counts the
// same requests, bytes and failures; a request goes net/http's way
// (VU.DoOnce, through http.Client) instead when it needs what only that
// path does:
//   - the target is https, the test speaks HTTP/2, or a proxy is set for
//     its host (the lean client does not carry them);
//   - the URL carries credentials (http.Client turns them into
//     Authorization), or the request has a Connection field (a request
//     saying close does not reuse its connection);
//   - the body is empty but present (net/http sends it chunked);
//   - every hop after the first of a redirect, and the requests of a
//     parallel step.
// The one difference a user can see: a timeout fires up to 1 % (at most
// 20 ms) late, as for surge quick (h1's deadline slack).

// sendWire is engine.VU.SendWire; tests wrap it, to count its requests or
// to send them all net/http's way.
var sendWire = (*engine.VU).SendWire

// scratch is where one request is rendered.
type scratch struct {
	req    http.Request
	header http.Header
	vals   []string // header values, each field a window of it
	body   []byte   // nil: no body
	wire   h1.Prepared
}

var scratches = sync.Pool{New: func() any { return &scratch{header: make(http.Header, 8)} }}

// getScratch returns a scratch with an empty request.
func getScratch() *scratch {
	sc := scratches.Get().(*scratch)
	clear(sc.header)
	sc.req = http.Request{Header: sc.header}
	sc.vals, sc.body = sc.vals[:0], nil
	return sc
}

func putScratch(sc *scratch) { scratches.Put(sc) }

// value returns v as a one-value field, a window of sc.vals.
func (sc *scratch) value(v string) []string {
	sc.vals = append(sc.vals, v)
	n := len(sc.vals)
	return sc.vals[n-1 : n : n]
}

// exchange sends req and the redirects that follow it, when the step
// follows them. It returns the last response and how long its hop took.
// A req that is sc's own is tried on the lean path first.
func (rs *requestStep) exchange(st *state, req *http.Request, sc *scratch) (*engine.Response, time.Duration, error) {
	keep := engine.KeepNothing
	if rs.checks != nil {
		keep = rs.checks.keep
	}
	jar := st.vu.Jar()
	wasOn := jar.On()
	attach := rs.ownJar || wasOn // decided once, as got's cookieJar option
	for followed := 0; ; followed++ {
		start := time.Now()
		resp, err := rs.hop(st, req, sc, keep, attach)
		took := time.Since(start)
		if n := jar.TakeRejected(); n > 0 && !wasOn {
			rs.cookieErrs.add(st.vu, int64(n))
		}
		if err != nil {
			return nil, 0, err
		}
		loc := resp.Header.Get("Location")
		if !rs.follow || loc == "" || !isRedirectCode(resp.Status) {
			return resp, took, nil
		}
		if followed >= maxRedirects {
			return nil, 0, rs.tooMany
		}
		if sc != nil {
			req, sc = detach(sc), nil
		}
		if req, err = rs.redirect(req, resp.Status, loc); err != nil {
			return nil, 0, err
		}
	}
}

// hop sends one request: sc's own over the lean path when it can go
// there, anything else through VU.DoOnce.
func (rs *requestStep) hop(st *state, req *http.Request, sc *scratch, keep engine.Keep, attach bool) (*engine.Response, error) {
	if attach {
		addJarCookies(st.vu.Jar(), req, sc)
	}
	if sc == nil {
		return st.vu.DoOnce(rs.endpoint, req, keep != engine.KeepNothing)
	}
	if lean(sc) && sc.wire.Reset(req, sc.body) == nil {
		resp, sent, err := sendWire(st.vu, rs.endpoint, &sc.wire, req.URL, keep)
		if sent {
			return resp, err
		}
	}
	return st.vu.DoOnce(rs.endpoint, detach(sc), keep != engine.KeepNothing)
}

// addJarCookies sets req's cookie field to the cookies the VU's jar holds
// for its URL, as got does with Artillery's jar: the jar's cookies
// replace a cookie header the step set; with none for the URL, that
// header is sent as it is. The field is sent as Artillery names it,
// "cookie".
func addJarCookies(jar *transport.Jar, req *http.Request, sc *scratch) {
	c := jar.Header(req.URL)
	if c == "" {
		return
	}
	dropHeader(req.Header, "cookie")
	if sc != nil {
		req.Header[cookieName] = sc.value(c)
	} else {
		req.Header[cookieName] = []string{c}
	}
}

// cookieName is the lower-case field name, as Artillery sends it.
var cookieName = strings.ToLower("Cookie")

// lean says whether sc's request may take the lean path as far as the
// request itself goes (see above).
func lean(sc *scratch) bool {
	return sc.req.URL.User == nil && sc.header["Connection"] == nil && (sc.body == nil || len(sc.body) > 0)
}

// detach copies sc's request out of it, with its body, for net/http's
// path.
func detach(sc *scratch) *http.Request {
	req := sc.req
	req.Header = sc.header.Clone()
	attachBody(&req, sc.body)
	return &req
}

// attachBody gives req the body data, replayable for retries and
// redirects; nil is none.
func attachBody(req *http.Request, data []byte) {
	if data == nil {
		return
	}
	req.Body = io.NopCloser(bytes.NewReader(data))
	req.ContentLength = int64(len(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
}
