package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
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
// Redirects are followed and cookies kept, as Do does; the error is as
// Do's.
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
	defer vu.run.releaseConn(vu)
	vu.run.rec.RequestStarted()
	sample, err := vu.exchange(lean, p, sent)
	vu.run.rec.RequestDone()
	return vu.record(endpoint, intended, sent, &sample, err)
}

// exchange sends p over the lean transport, falling back to the general
// path for what it cannot carry (a proxy) and to follow a redirect.
func (vu *VU) exchange(lean *h1.Transport, p *Prepared, sent time.Time) (metrics.Sample, error) {
	r := vu.run
	reply, err := lean.Exchange(r.hard, p.wire, sent, r.test.timeout())
	if errors.Is(err, h1.ErrUnsupported) {
		_, sample, err := vu.send(p.request(), false)
		return sample, err
	}
	sample := metrics.Sample{BytesSent: reply.Sent, BytesRecv: reply.Bytes}
	if err != nil {
		_, sample, err = failed(sample, err)
		return sample, err
	}
	if reply.Header != nil {
		if cookies := (&http.Response{Header: reply.Header}).Cookies(); len(cookies) > 0 {
			vu.jar.SetCookies(p.url, cookies)
		}
		if loc := reply.Header.Get("Location"); loc != "" && h1.IsRedirect(reply.Status) {
			return vu.follow(p, reply.Status, loc, sample)
		}
	}
	sample.Status = reply.Status
	return sample, nil
}

// follow continues after a redirect answered on the lean path: the rest of
// the chain goes through the VU's http.Client, which follows any further
// redirects and keeps cookies. Both legs make one sample.
func (vu *VU) follow(p *Prepared, status int, loc string, first metrics.Sample) (metrics.Sample, error) {
	next, err := redirectRequest(p, status, loc)
	if err != nil {
		_, sample, err := failed(first, err)
		return sample, err
	}
	_, sample, err := vu.send(next, false)
	sample.BytesSent += first.BytesSent
	sample.BytesRecv += first.BytesRecv
	return sample, err
}

// redirectRequest builds the request that follows p's redirect response by
// net/http's rules: after 301, 302 and 303 a GET without body follows
// (HEAD stays HEAD), 307 and 308 repeat the method and body;
// credentials and cookies set by hand go only to the same host or its
// subdomains; Referer names p's URL unless that would leak an https URL
// to http.
func redirectRequest(p *Prepared, status int, loc string) (*http.Request, error) {
	u, err := p.url.Parse(loc)
	if err != nil {
		return nil, fmt.Errorf("failed to parse Location header %q: %w", loc, err)
	}
	req := p.request()
	req.URL, req.Host = u, u.Host
	if status != http.StatusTemporaryRedirect && status != http.StatusPermanentRedirect {
		req.Body, req.GetBody, req.ContentLength = nil, nil, 0
		if req.Method != http.MethodHead {
			req.Method = http.MethodGet
		}
	}
	if !sameOrSubdomain(u.Hostname(), p.url.Hostname()) {
		for _, k := range []string{"Authorization", "Www-Authenticate", "Cookie", "Cookie2"} {
			req.Header.Del(k)
		}
	}
	if p.url.Scheme == u.Scheme || p.url.Scheme == "http" {
		ref := *p.url
		ref.User = nil
		req.Header.Set("Referer", ref.String())
	}
	return req, nil
}

func sameOrSubdomain(host, of string) bool {
	host, of = strings.ToLower(host), strings.ToLower(of)
	return host == of || strings.HasSuffix(host, "."+of)
}
