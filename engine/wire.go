package engine

import (
	"net/url"
	"strings"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/transport/h1"
)

// Keep is what SendWire keeps of a response.
type Keep uint8

const (
	// KeepNothing counts the response and drops its body.
	KeepNothing Keep = iota
	// KeepBody keeps the body (decoded, at most Test.MaxBody), and the
	// header map only of a response that sets cookies, redirects or has
	// an encoded body: enough for captures that read the body alone.
	KeepBody
	// KeepAll keeps the body and every response's header map.
	KeepAll
)

// SendWire is DoOnce for a request its caller serialised for the lean
// HTTP/1.1 client (h1.Prepared.Reset): recorded under endpoint as DoOnce
// records it, no redirect followed, as much of the response kept as keep
// says, cookies the response sets kept in the VU's jar. The caller adds
// the jar's cookies to p, if it wants them (as for DoOnce). It
// sends no http.Request, makes no context per request and builds a
// header map only where keep asks for it or the response sets cookies or
// redirects. u is the request's URL, for the jar and errors.
//
// It sends and records nothing and returns sent false when the request
// must go the way of DoOnce: the VU's transport is not the lean client
// (HTTP/2, a per-VU net/http fallback), or the request's host goes
// through a proxy.
func (vu *VU) SendWire(endpoint int, p *h1.Prepared, u *url.URL, keep Keep) (resp *Response, sent bool, err error) {
	lean, ok := vu.client.Transport.(*h1.Transport)
	if !ok || !lean.Carries(p) {
		return nil, false, nil
	}
	intended, start, err := vu.begin()
	if err != nil {
		return nil, true, err
	}
	vu.run.rec.RequestStarted()
	resp, sample, err := vu.sendWire(lean, p, u, start, keep)
	vu.run.rec.RequestDone()
	vu.run.releaseConn(vu) // before a redirect's next hop takes one again
	if err := vu.record(endpoint, intended, start, &sample, err); err != nil {
		return nil, true, err
	}
	return resp, true, nil
}

// sendWire exchanges p under the test's hard context and timeout.
func (vu *VU) sendWire(lean *h1.Transport, p *h1.Prepared, u *url.URL, start time.Time, keep Keep) (*Response, metrics.Sample, error) {
	r := vu.run
	var sample metrics.Sample
	var reply h1.Reply
	var err error
	if keep != KeepNothing && vu.body == nil {
		vu.body = new(h1.Body)
	}
	switch keep {
	case KeepAll:
		reply, err = lean.Open(r.hard, p, start, r.test.timeout(), vu.body)
	case KeepBody:
		reply, err = lean.OpenBody(r.hard, p, start, r.test.timeout(), vu.body)
	default:
		reply, err = lean.Exchange(r.hard, p, start, r.test.timeout())
	}
	sample.BytesSent, sample.BytesRecv = reply.Sent, reply.Bytes
	if err != nil {
		return failed(sample, clientError(p.Method(), u, err))
	}
	resp := &Response{Status: reply.Status, Proto: reply.Proto, Header: reply.Header}
	if keep != KeepNothing {
		_, err = readBody(vu.body, reply.Header, vu.body.Length(), resp, true, r.test.maxBody())
		vu.body.Close() // before counting: the counts are final then
		sample.BytesSent, sample.BytesRecv = vu.body.WireBytes()
		if err != nil { // as DoOnce's: after the client returned, unwrapped
			return failed(sample, err)
		}
	}
	if reply.Header != nil {
		vu.keepCookies(u, reply.Header)
	}
	sample.Status = reply.Status
	return resp, sample, nil
}

// clientError wraps err as http.Client wraps the errors of DoOnce's
// requests ("Post \"http://…\": …"), so that both paths say the same.
func clientError(method string, u *url.URL, err error) error {
	return &url.Error{Op: urlErrorOp(method), URL: u.String(), Err: err}
}

// urlErrorOp is http.Client's name for a method in errors: "Get", "Post".
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	if lower := strings.ToLower(method); len(lower) > 1 {
		return method[:1] + lower[1:]
	}
	return method
}
