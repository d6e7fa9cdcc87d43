package engine

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/surge-dev/surge/transport/h1"
)

// Each hop of a redirect is a request of its own: the server counts it,
// and so does Surge, with its own status and its own latency (from the
// end of the hop before it). A chain counted as one request would make
// Surge's count disagree with the server's, and hide the redirects'
// codes, as Artillery counts them (every hop in http.requests and
// http.codes.*). So the VU's client never follows a redirect itself
// (noFollow); Do follows, by net/http's rules.

// MaxRedirects is how many redirect responses a request takes, as
// net/http's client: the tenth ends it with ErrTooManyRedirects, so that
// a redirect loop costs ten requests.
const MaxRedirects = 10

// ErrTooManyRedirects fails a VU whose request was redirected
// MaxRedirects times. Every hop was answered and is counted with its
// status; the VU counts as failed under ETOOMANYREDIRECTS.
var ErrTooManyRedirects error = &redirectError{reason: "ETOOMANYREDIRECTS",
	err: fmt.Errorf("stopped after %d redirects", MaxRedirects)}

// redirectError ends a chain of redirects whose hops were all answered
// (and counted): too many of them, or a Location that is no URL.
type redirectError struct {
	reason string
	err    error
}

func (e *redirectError) Error() string { return e.err.Error() }
func (e *redirectError) Unwrap() error { return e.err }

// FailureReason implements Reasoner.
func (e *redirectError) FailureReason() string { return e.reason }

// noFollow is the VU clients' CheckRedirect: Do follows redirects, one
// request at a time.
func noFollow(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// nextHop is the request that follows resp, the response to req after
// hops redirects, or nil when resp is where the request ends: not a
// redirect, no Location, or a 307/308 whose body cannot be sent again (as
// net/http's client, which then returns the redirect itself).
func nextHop(req *http.Request, status int, header http.Header, hops int) (*http.Request, error) {
	loc := header.Get("Location")
	if !h1.IsRedirect(status) || loc == "" {
		return nil, nil
	}
	keepsBody := status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect
	if keepsBody && req.GetBody == nil && req.Body != nil && req.Body != http.NoBody {
		return nil, nil
	}
	if hops+1 >= MaxRedirects {
		return nil, ErrTooManyRedirects
	}
	return redirectRequest(req, status, loc)
}

// redirectRequest builds the request that follows a redirect response to
// prev by net/http's rules: after 301, 302 and 303 a GET without body
// follows (HEAD stays HEAD), 307 and 308 repeat the method and body;
// credentials and cookies set by hand go only to the same host or its
// subdomains; Referer names prev's URL unless that would leak an https
// URL to http.
func redirectRequest(prev *http.Request, status int, loc string) (*http.Request, error) {
	u, err := prev.URL.Parse(loc)
	if err != nil {
		return nil, &redirectError{reason: "EINVALIDURL", err: fmt.Errorf("failed to parse Location header %q: %w", loc, err)}
	}
	req := &http.Request{Method: prev.Method, URL: u, Host: u.Host, Header: prev.Header.Clone(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if prev.Host != "" && prev.Host != prev.URL.Host && isRelative(loc) {
		req.Host = prev.Host // a Host set by hand stays for a relative Location, as in net/http
	}
	if status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect {
		if err := replayBody(prev, req); err != nil {
			return nil, err
		}
	} else if req.Method != http.MethodHead {
		req.Method = http.MethodGet
	}
	if !sameOrSubdomain(u.Hostname(), prev.URL.Hostname()) {
		for _, k := range []string{"Authorization", "Www-Authenticate", "Cookie", "Cookie2"} {
			req.Header.Del(k)
		}
	}
	req.Header.Del("Referer")
	if prev.URL.Scheme == u.Scheme || prev.URL.Scheme == "http" {
		ref := *prev.URL
		ref.User = nil
		req.Header.Set("Referer", ref.String())
	}
	return req, nil
}

// replayBody gives req a fresh copy of prev's body.
func replayBody(prev, req *http.Request) error {
	if prev.GetBody == nil {
		return nil
	}
	body, err := prev.GetBody()
	if err != nil {
		return &redirectError{reason: "EOTHER", err: fmt.Errorf("replaying the body for a redirect: %w", err)}
	}
	req.Body, req.GetBody, req.ContentLength = body, prev.GetBody, prev.ContentLength
	return nil
}

// isRelative says whether a Location has no scheme (net/http's test).
func isRelative(loc string) bool {
	u, err := url.Parse(loc)
	return err == nil && !u.IsAbs()
}

func sameOrSubdomain(host, of string) bool {
	host, of = strings.ToLower(host), strings.ToLower(of)
	return host == of || strings.HasSuffix(host, "."+of)
}
