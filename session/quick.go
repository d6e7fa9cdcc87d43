package session

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/scenario"

	"github.com/surge-dev/surge/transport"
)

// OneRequest returns the test surge quick runs: one scenario that sends
// the same request on every arrival (open model) or iteration (closed
// model), serialised once and, over plain HTTP/1.1, written straight to
// the socket (engine.Prepare). Its VUs share one keep-alive pool, as hey
// and Vegeta do; the caller sets the Phases and, if it wants, Connections,
// Timeout, HTTP and Expect.
//
// method "" is GET. The header is sent as given (a Host header names the
// host sent); credentials in the URL are sent as basic authentication.
// The endpoint is named "METHOD /path". A URL that is not http(s) with a
// host, a method that is not a token or a header that would inject
// another is an error; header and body must not change afterwards.
func OneRequest(method, rawURL string, header http.Header, body []byte) (*engine.Test, error) {
	return RoundRobin([]Request{{Method: method, URL: rawURL, Header: header, Body: body}})
}

// ParseHeaders reads header lines as curl's and hey's -H give them,
// "Name: value", into the header of a one-liner's requests. A Host
// header names the host sent; a value with a control character is
// refused (a CR or LF would inject a header). User-Agent (flow.UserAgent)
// and Accept-Encoding (transport.QuickAcceptEncoding, as net/http and hey
// send) are added unless a line names them, in any case: a line replaces
// the default, never adds a second value to it.
func ParseHeaders(lines []string) (http.Header, error) {
	h := http.Header{}
	for _, line := range lines {
		k, v, ok := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q: want 'Name: value'", line)
		}
		if err := scenario.CheckHeader(k, v); err != nil {
			return nil, fmt.Errorf("%q: %w", line, err)
		}
		h.Add(k, v)
	}
	for name, value := range map[string]string{"User-Agent": flow.UserAgent, "Accept-Encoding": transport.QuickAcceptEncoding} {
		if _, given := h[name]; !given {
			h.Set(name, value)
		}
	}
	return h, nil
}

// Request is one request of a RoundRobin test.
type Request struct {
	Method string // "": GET
	URL    string
	Header http.Header
	Body   []byte
}

// RoundRobin is OneRequest over several requests: the k-th scenario run
// started sends request k mod len(reqs), as Vegeta walks its targets.
// Each request is an endpoint of its own, named "METHOD /path", with the
// host when the requests do not all share one, and "#n" (its place in
// reqs, from 1) when two would still have the same name; of more than
// MaxQuickEndpoints requests, those of one name share an endpoint, and
// there are at most MaxQuickEndpoints (see endpointNames). The same
// checks as OneRequest's apply to every request.
func RoundRobin(reqs []Request) (*engine.Test, error) {
	if len(reqs) == 0 {
		return nil, fmt.Errorf("no requests")
	}
	urls := make([]*url.URL, len(reqs))
	for i := range reqs {
		reqs[i].Method = cmp.Or(reqs[i].Method, http.MethodGet)
		u, err := checkRequest(reqs[i])
		if err != nil {
			if len(reqs) > 1 {
				return nil, fmt.Errorf("request %d: %w", i+1, err)
			}
			return nil, err
		}
		urls[i] = u
	}
	t := &engine.Test{Conns: engine.Shared}
	endpoints := make([]int, len(reqs))
	prepared := make([]*engine.Prepared, len(reqs))
	for i, name := range endpointNames(reqs, urls) {
		endpoints[i] = t.Endpoint(name)
		prepared[i] = engine.Prepare(reqs[i].Method, urls[i], reqs[i].Header, reqs[i].Body)
	}
	t.Targets = prepared
	var next atomic.Uint64
	n := uint64(len(reqs))
	t.Scenarios = []engine.Scenario{{Name: "quick", Run: func(_ context.Context, vu *engine.VU) error {
		k := (next.Add(1) - 1) % n
		return vu.Send(endpoints[k], prepared[k])
	}}}
	return t, nil
}

// checkRequest refuses what cannot be sent: a URL that is not http(s)
// with a host, a method that is not a token, a header that would inject
// another.
func checkRequest(r Request) (*url.URL, error) {
	if why := transport.URLProblem(r.URL); why != "" {
		return nil, fmt.Errorf("%q %s", flow.Redact(r.URL), why)
	}
	u, err := url.Parse(r.URL)
	if err != nil {
		return nil, err
	}
	if !isToken(r.Method) {
		return nil, fmt.Errorf("method %q: not an HTTP method name", r.Method)
	}
	for name, values := range r.Header {
		for _, v := range values {
			if err := scenario.CheckHeader(name, v); err != nil {
				return nil, err
			}
		}
	}
	return u, nil
}

// MaxQuickEndpoints bounds the endpoints of a RoundRobin test: a targets
// file of 100,000 URLs must not become 100,000 rows of the summary and the
// results' intervals, nor 100,000 values of the endpoint label of every
// Prometheus series (about 60 series each).
const MaxQuickEndpoints = 100

// OtherTargets is the endpoint of the targets past MaxQuickEndpoints'
// names.
const OtherTargets = "(other targets)"

// endpointNames names each request's endpoint: "METHOD /path", with the
// host when the requests go to more than one, and "#n" when two names
// would still be the same. More than MaxQuickEndpoints requests share
// their endpoints instead: those of one name are one endpoint (no "#n"),
// and the names past the first MaxQuickEndpoints-1 (in the order of the
// list) are one more, OtherTargets.
func endpointNames(reqs []Request, urls []*url.URL) []string {
	hosts := map[string]bool{}
	for _, u := range urls {
		hosts[u.Host] = true
	}
	names := make([]string, len(reqs))
	count := map[string]int{}
	for i, u := range urls {
		where := cmp.Or(u.Path, "/")
		if len(hosts) > 1 {
			where = u.Host + where
		}
		names[i] = reqs[i].Method + " " + where
		count[names[i]]++
	}
	if len(reqs) > MaxQuickEndpoints {
		return boundNames(names)
	}
	for i, name := range names {
		if count[name] > 1 {
			names[i] = fmt.Sprintf("%s #%d", name, i+1)
		}
	}
	return names
}

// boundNames keeps the first MaxQuickEndpoints-1 distinct names, and the
// rest too when there are no more than MaxQuickEndpoints of them; the
// others become OtherTargets.
func boundNames(names []string) []string {
	distinct := map[string]bool{}
	for _, n := range names {
		distinct[n] = true
	}
	if len(distinct) <= MaxQuickEndpoints {
		return names
	}
	kept := map[string]bool{}
	for i, n := range names {
		if !kept[n] && len(kept) == MaxQuickEndpoints-1 {
			names[i] = OtherTargets
			continue
		}
		kept[n] = true
	}
	return names
}

// isToken reports whether s is an RFC 9110 token: visible ASCII but for
// the delimiters.
func isToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r > '~' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	})
}
