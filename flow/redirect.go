package flow

import (
	"net/http"
	"strings"
)

// Redirects in scripts are followed as Artillery 2.0.34 follows them
// (its HTTP client, got 14), not by net/http's rules, so that a script
// sends the requests it sends under Artillery:
//   - a response is a redirect when it has a Location and its status is
//     300, 301, 302, 303, 304, 307 or 308;
//   - a 303 turns any method but GET and HEAD into a GET without a body;
//     every other redirect repeats the method and the body (got does not
//     rewrite a POST answered by 301 or 302, as browsers do);
//   - a hop to another host or port drops the host, cookie and
//     authorization headers; no Referer is added;
//   - ten redirects are followed; the eleventh fails the VU with
//     ERR_TOO_MANY_REDIRECTS.
//
// Every hop is a request of its own, counted with its own status (as
// Artillery counts them in http.requests and http.codes.*); captures,
// expect checks and apdex read the last response. A 3xx without a
// Location ends the request here; Artillery would wait for a response
// that never comes.

// maxRedirects is got's default: redirects followed before failing.
const maxRedirects = 10

// errTooManyRedirects is the code Artillery counts (errors.*) for a
// request redirected more than maxRedirects times.
const errTooManyRedirects = "ERR_TOO_MANY_REDIRECTS"

func isRedirectCode(status int) bool {
	switch status {
	case 300, 301, 302, 303, 304, 307, 308:
		return true
	}
	return false
}

// redirect builds the request that follows a redirect to loc.
func (rs *requestStep) redirect(prev *http.Request, status int, loc string) (*http.Request, error) {
	u, err := prev.URL.Parse(loc)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &stepError{Code: rs.invalid.Code, Counter: rs.invalid.Counter, Detail: Redact(loc)}
	}
	// Sent as Node's URL parser makes it: a Location "/a b?q=x y" went
	// out with a space in the request line, which servers refuse.
	u.Fragment, u.RawFragment = "", ""
	u.RawQuery = encodeQuery(u.RawQuery)
	if absolute(loc) || strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") {
		setPath(u, pathOf(loc))
	}
	next := &http.Request{Method: prev.Method, URL: u, Host: prev.Host, Header: prev.Header.Clone(),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	// The jar adds the cookies of each hop's URL; the header the client
	// built for the hop before must not be sent again.
	dropHeader(next.Header, "cookie")
	if status == http.StatusSeeOther && prev.Method != http.MethodGet && prev.Method != http.MethodHead {
		next.Method = http.MethodGet
	} else if err := resend(prev, next); err != nil {
		return nil, err
	}
	if u.Hostname() != prev.URL.Hostname() || u.Port() != prev.URL.Port() {
		next.Host = u.Host
		for _, name := range []string{"host", "authorization"} {
			dropHeader(next.Header, name)
		}
	} else if prev.Host == prev.URL.Host {
		next.Host = u.Host
	}
	return next, nil
}

// resend gives next a fresh copy of prev's body, if it had one.
func resend(prev, next *http.Request) error {
	if prev.GetBody == nil {
		return nil
	}
	body, err := prev.GetBody()
	if err != nil {
		return err
	}
	next.Body, next.GetBody, next.ContentLength = body, prev.GetBody, prev.ContentLength
	return nil
}

// dropHeader removes a field under its lower-case name (how scripts set
// them) and its canonical one (how net/http sets them).
func dropHeader(h http.Header, name string) {
	delete(h, strings.ToLower(name))
	delete(h, http.CanonicalHeaderKey(name))
}
