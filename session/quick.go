package session

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/surge-dev/surge/engine"
	"github.com/surge-dev/surge/flow"
	"github.com/surge-dev/surge/scenario"
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
	method = cmp.Or(method, http.MethodGet)
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL with a host", flow.Redact(rawURL))
	}
	if !isToken(method) {
		return nil, fmt.Errorf("method %q: not an HTTP method name", method)
	}
	for name, values := range header {
		for _, v := range values {
			if err := scenario.CheckHeader(name, v); err != nil {
				return nil, err
			}
		}
	}
	t := &engine.Test{Conns: engine.Shared}
	endpoint := t.Endpoint(method + " " + cmp.Or(u.Path, "/"))
	p := engine.Prepare(method, u, header, body)
	t.Scenarios = []engine.Scenario{{Name: "quick", Run: func(_ context.Context, vu *engine.VU) error {
		return vu.Send(endpoint, p)
	}}}
	return t, nil
}

// isToken reports whether s is an RFC 9110 token: visible ASCII but for
// the delimiters.
func isToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r > '~' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	})
}
