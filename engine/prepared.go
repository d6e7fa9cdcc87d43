package engine

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/surge-dev/surge/metrics"
	"github.com/surge-dev/surge/transport/h1"
)

// Prepared is a request that a scenario sends many times unchanged, as an
// ad-hoc test does. Over plain HTTP/1.1 it is serialised once and
// exchanged without an http.Request or http.Response per request, which
// roughly halves the generator's CPU per request; over anything else, and
// once the VU holds cookies, it goes the way of Do.
type Prepared struct {
	method string
	url    *url.URL
	host   string      // sent as Host: the URL's, or a Host header's
	header http.Header // read-only: requests get a clone
	body   []byte
	wire   *h1.Prepared // nil when the lean path cannot carry it
}

// Prepare makes a Prepared request; header and body must not change
// afterwards. As curl and net/http's client do, a Host header names the
// host sent (Go's transports ignore it in the header map), and
// credentials in the URL are sent as basic authentication unless the
// header sets Authorization; they are then taken out of the URL, so that
// nothing derived from it (errors, Referer) repeats them.
func Prepare(method string, u *url.URL, header http.Header, body []byte) *Prepared {
	host := u.Host
	if h := header.Get("Host"); h != "" || u.User != nil {
		header = header.Clone()
		if header == nil {
			header = http.Header{}
		}
		if h != "" {
			host = h
			header.Del("Host")
		}
	}
	if u.User != nil {
		if header.Get("Authorization") == "" {
			pass, _ := u.User.Password()
			(&http.Request{Header: header}).SetBasicAuth(u.User.Username(), pass)
		}
		bare := *u
		bare.User = nil
		u = &bare
	}
	p := &Prepared{method: method, url: u, host: host, header: header, body: body}
	p.wire, _ = h1.Prepare(&http.Request{Method: method, URL: u, Host: host, Header: header}, body)
	return p
}

// request builds the http.Request for the general path.
func (p *Prepared) request() *http.Request {
	req := &http.Request{Method: p.method, URL: p.url, Host: p.host, Header: p.header.Clone(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if len(p.body) > 0 {
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(p.body)), nil }
		req.Body, _ = req.GetBody()
		req.ContentLength = int64(len(p.body))
	}
	return req
}

// Send sends p, records it under endpoint and discards the response body.
// Redirects are followed and cookies kept, as Do does, each hop recorded
// as a request; the error is as Do's.
func (vu *VU) Send(endpoint int, p *Prepared) error {
	lean, ok := vu.client.Transport.(*h1.Transport)
	if !ok || p.wire == nil || vu.jar.Active() {
		_, err := vu.Do(endpoint, p.request(), false)
		return err
	}
	intended, sent, err := vu.begin()
	if err != nil {
		return err
	}
	vu.run.rec.RequestStarted()
	sample, header, err := vu.exchange(lean, p, sent)
	vu.run.rec.RequestDone()
	vu.run.releaseConn(vu) // before a redirect's next hop takes one again
	if err := vu.record(endpoint, intended, sent, &sample, err); err != nil || header == nil {
		return err
	}
	req := p.request()
	next, err := nextHop(req, sample.Status, header, 0)
	if err != nil || next == nil {
		return err
	}
	_, err = vu.follow(endpoint, next, false, 1)
	return err
}

// exchange sends p over the lean transport, falling back to the general
// path for what it cannot carry (a proxy). The header is nil unless the
// response set cookies (kept in the VU's jar) or redirects.
func (vu *VU) exchange(lean *h1.Transport, p *Prepared, sent time.Time) (metrics.Sample, http.Header, error) {
	r := vu.run
	reply, err := lean.Exchange(r.hard, p.wire, sent, r.test.timeout())
	if errors.Is(err, h1.ErrUnsupported) {
		resp, sample, err := vu.send(p.request(), false)
		if err != nil {
			return sample, nil, err
		}
		return sample, resp.Header, nil
	}
	sample := metrics.Sample{BytesSent: reply.Sent, BytesRecv: reply.Bytes}
	if err != nil {
		_, sample, err = failed(sample, err)
		return sample, nil, err
	}
	if reply.Header != nil {
		vu.keepCookies(p.url, reply.Header)
	}
	sample.Status = reply.Status
	return sample, reply.Header, nil
}
